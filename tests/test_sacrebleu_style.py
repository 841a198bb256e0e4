"""sacrebleu's habits on mteval's command line, checked against the real sacrebleu CLI.

Chinese BLEU with -l en-zh, multi-reference scores, standard input, -sl / -f tsv / -b,
line-parallel runs that score every line, sacrebleu-compatible p-values, exit codes
and a reader that closes the pipe early.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def mteval(*args, stdin=subprocess.DEVNULL, input=None):
    environment = dict(os.environ, HF_HUB_OFFLINE="1")
    if input is not None:
        stdin = None
    return subprocess.run([str(BIN / "mteval"), *map(str, args)], capture_output=True, text=True, env=environment,
                          stdin=stdin, input=input)


def sacrebleu(*args) -> str:
    return subprocess.run([str(BIN / "sacrebleu"), *map(str, args)], capture_output=True, text=True, check=True,
                          stdin=subprocess.DEVNULL).stdout


def _write(path: Path, lines) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture()
def chinese(tmp_path):
    hyp = _write(tmp_path / "hyp.zh", ["我们今天去市场买菜。", "天气很好，很多人出来散步。", "他说这个问题很重要。"])
    ref = _write(tmp_path / "ref.zh", ["我们今天去超市买菜。", "天气很好，许多人出来散步。", "他说这个问题非常重要。"])
    ref2 = _write(tmp_path / "ref2.zh", ["我们今天到市场买菜。", "今天天气很好，很多人出去散步。", "他表示这个问题很重要。"])
    return hyp, ref, ref2


@pytest.fixture()
def english(tmp_path):
    hyp = _write(tmp_path / "hyp.en", ["The ministry asks platforms to strengthen systems.", "He said so on Wednesday .",
                                       "Related news: Minister meets farmers", "", "Editor: Siti Zulaikha"])
    ref = _write(tmp_path / "ref.en", ["The ministry asked the platforms to strengthen their systems.",
                                       "He said this on Wednesday.", "Related news: The minister meets farmers",
                                       "An empty hypothesis line.", "Editor: Siti Zulaikha"])
    ref2 = _write(tmp_path / "ref2.en", ["The ministry told platforms to make their systems stronger.",
                                         "He said so on Wednesday.", "Related news: Minister met farmers",
                                         "Nothing here.", "Editor: Siti"])
    src = _write(tmp_path / "src.id", ["Kementerian meminta platform memperkuat sistem.", "Ia mengatakannya pada Rabu.",
                                       "Baca juga: Menteri bertemu petani", "Baris kosong.", "Editor: Siti Zulaikha"])
    return src, hyp, ref, ref2


def test_chinese_bleu_equals_sacrebleu_with_the_language_pair(chinese):
    hyp, ref, _ = chinese
    ours = float(mteval("score", ref, "-i", hyp, "-l", "en-zh", "-m", "bleu", "-b", "-w", "6").stdout)
    assert ours == pytest.approx(float(sacrebleu(ref, "-i", hyp, "-l", "en-zh", "-b", "-w", "6")), abs=1e-6)
    assert ours > 0
    plain = float(mteval("score", ref, "-i", hyp, "-m", "bleu", "-b").stdout)
    assert plain == pytest.approx(float(sacrebleu(ref, "-i", hyp, "-b", "-w", "4")), abs=1e-4)
    tok = float(mteval("score", "--ref", ref, "--hyp", hyp, "-tok", "zh", "-m", "bleu", "-b", "-w", "6").stdout)
    assert tok == pytest.approx(ours, abs=1e-9)


@pytest.mark.parametrize("metric, sacre_args", [("bleu", ["-m", "bleu"]), ("chrf", ["-m", "chrf"]),
                                                ("chrf++", ["-m", "chrf", "-cw", "2"]), ("ter", ["-m", "ter"])])
def test_multi_reference_scores_equal_sacrebleu(english, metric, sacre_args):
    _, hyp, ref, ref2 = english
    result = mteval("score", "--ref", ref, "--ref", ref2, "--hyp", hyp, "-m", metric, "-f", "json")
    assert result.returncode == 0, result.stderr
    ours = json.loads(result.stdout)["scores"][metric]
    theirs = json.loads(sacrebleu(ref, ref2, "-i", hyp, *sacre_args, "-w", "6", "-f", "json"))
    assert ours["score"] == pytest.approx(theirs["score"], abs=1e-6)
    assert ours["signature"].startswith("nrefs:2|")
    one = json.loads(mteval("score", "--ref", ref, "--hyp", hyp, "-m", metric, "-f", "json").stdout)["scores"][metric]
    assert one["score"] != ours["score"]  # the second reference really counts


def test_lowercase_equals_sacrebleu(english):
    _, hyp, ref, _ = english
    upper = _write(hyp.parent / "upper.en", [line.upper() for line in hyp.read_text("utf-8").splitlines()])
    ours = float(mteval("score", ref, "-i", upper, "-m", "bleu", "-lc", "-b", "-w", "6").stdout)
    assert ours == pytest.approx(float(sacrebleu(ref, "-i", upper, "-lc", "-b", "-w", "6")), abs=1e-6)


def test_hypotheses_from_standard_input(english):
    _, hyp, ref, _ = english
    piped = mteval("score", ref, "-m", "bleu", "chrf", "-b", input=hyp.read_text("utf-8"))
    dashed = mteval("score", "--ref", ref, "--hyp", "-", "-m", "bleu", "chrf", "-b", input=hyp.read_text("utf-8"))
    from_file = mteval("score", "--ref", ref, "--hyp", hyp, "-m", "bleu", "chrf", "-b")
    assert piped.returncode == dashed.returncode == from_file.returncode == 0, piped.stderr
    assert piped.stdout == dashed.stdout == from_file.stdout
    assert len(from_file.stdout.splitlines()) == 2


def test_nothing_piped_in_is_one_sentence(english):
    _, _, ref, _ = english
    result = mteval("score", "--ref", ref, "-m", "bleu")
    assert result.returncode == 2 and "standard input" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("metric, sacre_args", [("bleu", ["-m", "bleu"]), ("chrf", ["-m", "chrf"]), ("ter", ["-m", "ter"])])
def test_sentence_level_tsv_equals_sacrebleu_sl(english, metric, sacre_args):
    _, hyp, ref, _ = english
    result = mteval("score", "--ref", ref, "--hyp", hyp, "-m", metric, "-sl", "-f", "tsv", "-w", "6")
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header == f"segment\t{metric}"
    ours = [float(row.split("\t")[1]) for row in rows]
    theirs = [float(v) for v in sacrebleu(ref, "-i", hyp, *sacre_args, "-sl", "-b", "-w", "6").split()]
    assert ours == pytest.approx(theirs, abs=1e-6)
    bare = mteval("score", "--ref", ref, "--hyp", hyp, "-m", metric, "-sl", "-b", "-w", "6").stdout.split()
    assert [float(v) for v in bare] == pytest.approx(theirs, abs=1e-6)


def test_line_parallel_run_scores_every_line_like_score_and_sacrebleu(english):
    src, hyp, ref, _ = english
    run = mteval("run", src, ref, "--line-parallel", "--hyp", f"mt={hyp}", "--no-comet", "--bootstrap", "0",
                 "-f", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    whole = data["corpus"]["mt"]["whole"]
    scored = json.loads(mteval("score", "--ref", ref, "--hyp", hyp, "-f", "json").stdout)["scores"]
    for metric in ("bleu", "chrf", "chrf++", "ter"):
        assert whole[metric]["n_segments"] == 5
        assert whole[metric]["score"] == pytest.approx(scored[metric]["score"], abs=1e-9)
    assert whole["bleu"]["score"] == pytest.approx(float(sacrebleu(ref, "-i", hyp, "-b", "-w", "6")), abs=1e-6)
    with_roles = json.loads(mteval("run", src, ref, "--line-parallel", "--line-roles", "--hyp", f"mt={hyp}",
                                   "--no-comet", "--bootstrap", "0", "-f", "json").stdout)
    assert with_roles["corpus"]["mt"]["whole"]["bleu"]["n_segments"] == 3  # link and byline set aside, when asked


def test_line_parallel_multi_reference_run_equals_sacrebleu(english):
    src, hyp, ref, ref2 = english
    run = mteval("run", src, ref, "--ref", ref2, "--line-parallel", "--hyp", f"mt={hyp}", "--no-comet",
                 "--bootstrap", "0", "-f", "tsv", "-w", "6")
    assert run.returncode == 0, run.stderr
    rows = {(r.split("\t")[1], r.split("\t")[2]): r.split("\t") for r in run.stdout.splitlines()[1:]}
    theirs = json.loads(sacrebleu(ref, ref2, "-i", hyp, "-m", "bleu", "-w", "6", "-f", "json"))
    assert float(rows[("whole", "bleu")][3]) == pytest.approx(theirs["score"], abs=1e-6)
    assert "nrefs:2" in rows[("whole", "bleu")][-1]


def test_a_second_reference_for_document_pairs_is_one_sentence(english):
    src, hyp, ref, ref2 = english
    result = mteval("run", src, ref, "--ref", ref2, "--hyp", f"mt={hyp}", "--no-comet")
    assert result.returncode == 2
    assert "--line-parallel only" in result.stderr and result.stderr.count("\n") == 1


@pytest.fixture()
def two_systems(tmp_path):
    """Line-parallel source and reference, and two systems that differ from the reference in other lines."""
    lines = [f"This is sentence number {i} of the test." for i in range(12)]
    ref = _write(tmp_path / "ref.en", lines)
    a = _write(tmp_path / "a.en", [line.replace("number", "no.") if i % 2 else line for i, line in enumerate(lines)])
    b = _write(tmp_path / "b.en", [line.replace("test", "exam") if i % 3 else line for i, line in enumerate(lines)])
    src = _write(tmp_path / "src.id", [f"Ini kalimat nomor {i} dari ujian." for i in range(12)])
    return src, ref, a, b


def test_sacrebleu_compatible_p_values_equal_sacrebleu(two_systems):
    src, ref, a, b = two_systems
    result = mteval("compare", src, ref, "--line-parallel", "--hyp", f"a={a}", "--hyp", f"b={b}", "--no-comet",
                    "-m", "bleu", "chrf", "--paired-compat", "sacrebleu", "-f", "json")
    assert result.returncode == 0, result.stderr
    tests = json.loads(result.stdout)["significance"]["whole"]
    names = {"bleu": "BLEU", "chrf": "chrF2"}
    for ours_name, flag in (("paired_bootstrap", "--paired-bs"), ("approximate_randomization", "--paired-ar")):
        theirs = json.loads(sacrebleu(ref, "-i", a, b, flag, "-m", "bleu", "chrf", "-f", "json"))
        for metric, label in names.items():
            assert tests[ours_name]["results"]["b"][metric]["p_value"] == pytest.approx(theirs[1][label]["p_value"])


def test_intervals_sign_like_sacrebleu_and_its_other_flags_are_not_misread(two_systems, tmp_path):
    src, ref, a, _ = two_systems
    # -ci is a switch, as in sacrebleu: the reference after it is not its count
    result = mteval("score", "-ci", ref, "-i", a, "-m", "bleu", "chrf", "ter", "-f", "json")
    assert result.returncode == 0, result.stderr
    ours = {name: score["signature"] for name, score in json.loads(result.stdout)["scores"].items()}
    theirs = {entry["name"]: entry["signature"]
              for entry in json.loads(sacrebleu(ref, "-i", a, "-m", "bleu", "chrf", "ter", "-ci", "-f", "json"))}
    assert ours == {"bleu": theirs["BLEU"], "chrf": theirs["chrF2"], "ter": theirs["TER"]}
    assert "bs:1000|seed:12345" in ours["bleu"]
    # sentence-level scores say how they were made too, as sacrebleu -sl does on every line
    segments = mteval("score", ref, "-i", a, "-m", "bleu", "-sl").stdout
    assert segments.splitlines()[-1] == "# bleu: " + sacrebleu(ref, "-i", a, "-m", "bleu", "-sl").split(" = ")[0][5:]
    # sacrebleu's -s (smoothing) is refused, not taken for -sl
    result = mteval("score", ref, "-i", a, "-s", "floor")
    assert result.returncode == 2 and "sacrebleu's -s is not supported" in result.stderr
    result = mteval("score", ref, "-i", a, "-l", "en-xx")
    assert result.returncode == 2 and "Unknown language code 'xx'" in result.stderr
    bom = tmp_path / "bom.en"
    bom.write_bytes(b"\xef\xbb\xbf" + a.read_bytes())
    result = mteval("score", ref, "-i", bom, "-m", "bleu", "-b")
    assert result.returncode == 0 and f"{bom} starts with a byte-order mark" in result.stderr


def test_sacrebleu_paired_sample_flags(two_systems):
    """-cin does not reach sacrebleu's paired bootstrap, --paired-bs-n does; --paired-ar-n is --trials; the test
    selectors are accepted."""
    src, ref, a, b = two_systems
    common = [src, ref, "--line-parallel", "--hyp", f"a={a}", "--hyp", f"b={b}", "--no-comet", "-m", "bleu", "-f",
              "json", "--paired-compat", "sacrebleu"]

    def ours(*extra):
        result = mteval("compare", *common, *extra)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["significance"]["whole"]

    def theirs(*extra):
        return json.loads(sacrebleu(ref, "-i", a, b, "-m", "bleu", "-f", "json", *extra))[1]["BLEU"]["p_value"]

    short = ours("-cin", "50", "--paired-bs", "-parn", "300")
    assert short["paired_bootstrap"]["n_resamples"] == 1000 and short["approximate_randomization"]["n_resamples"] == 300
    assert short["paired_bootstrap"]["results"]["b"]["bleu"]["p_value"] == pytest.approx(theirs("--paired-bs", "-cin", "50"))
    assert short["approximate_randomization"]["results"]["b"]["bleu"]["p_value"] == pytest.approx(
        theirs("--paired-ar", "--paired-ar-n", "300"))
    bs = ours("--paired-bs-n", "200", "--paired-ar")
    assert bs["paired_bootstrap"]["n_resamples"] == 200
    assert bs["paired_bootstrap"]["results"]["b"]["bleu"]["p_value"] == pytest.approx(theirs("--paired-bs", "-pbsn", "200"))
    default = mteval("compare", *common[:-2], "-cin", "50")  # mteval's own tests: --bootstrap is theirs too
    assert json.loads(default.stdout)["significance"]["whole"]["paired_bootstrap"]["n_resamples"] == 50
    result = mteval("compare", *common, "--paired-bs-n", "0")
    assert result.returncode == 2 and "--paired-bs-n" in result.stderr
    result = mteval("compare", *common, "--trials", "0", "--out", src.parent / "out")
    assert result.returncode == 2 and "--trials" in result.stderr
    result = mteval("compare", *common[:-4], "-q", "--out", src.parent / "out")
    assert result.returncode == 0 and "mteval compare: results written" in result.stderr


@pytest.mark.parametrize("args, needle", [
    (["--seed", "3"], "--bootstrap-seed"),
    (["--src-lang", "qq"], "Unknown language code 'qq'"),
    (["-l", "nonsense"], "-l expects SOURCE-TARGET"),
    (["--bootstrap", "-5"], "--bootstrap must be"),
    (["-w", "-1"], "-w/--width is a number of decimals"),
])
def test_misuse_exits_2_with_one_sentence(english, args, needle):
    src, hyp, ref, _ = english
    result = mteval("run", src, ref, "--line-parallel", "--hyp", f"mt={hyp}", "--no-comet", *args)
    assert result.returncode == 2, result.stderr
    assert needle in result.stderr and "Traceback" not in result.stderr


def test_ci_and_w_mean_the_same_in_every_command(two_systems):
    src, ref, a, b = two_systems
    common = [src, ref, "--line-parallel", "--hyp", f"a={a}", "--no-comet", "-m", "bleu"]
    # -ci alone is 1000 samples, -ci --confidence-n N is N, and either is taken by run and compare as by score
    for extra, samples in ((["-ci"], 1000), (["-ci", "--confidence-n", "40"], 40), (["--bootstrap", "0"], 0)):
        result = mteval("run", *common, *extra, "-f", "json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["provenance"]["bootstrap"]["n_samples"] == samples
    # -w sets the decimals of the text table too when given
    table = mteval("run", *common, "-w", "3", "-q").stdout
    assert table.splitlines()[2].split()[2].count(".") == 1 and len(table.splitlines()[2].split()[2].split(".")[1]) == 3
    # compare -f tsv is the comparison: differences to the baseline and both p-values
    result = mteval("compare", *common, "--hyp", f"b={b}", "-ci", "-f", "tsv", "-w", "2")
    assert result.returncode == 0, result.stderr
    header, *rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert header == ["metric", "system", "score", "ci_low", "ci_high", "difference", "p_bootstrap", "p_ar"]
    b_row = [row for row in rows if row[1] == "b"][0]
    assert len(b_row[2].split(".")[1]) == 2 and 0 < float(b_row[6]) <= 1 and 0 < float(b_row[7]) <= 1


def test_unreadable_input_exits_2(tmp_path, english):
    _, hyp, ref, _ = english
    short = _write(tmp_path / "short.en", ["one line"])
    for args in (["--ref", ref, "--hyp", short], ["--ref", tmp_path / "missing", "--hyp", hyp]):
        result = mteval("score", *args)
        assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_closed_pipe_ends_quietly(tmp_path):
    lines = [f"Line {i} of a long file with some words in it." for i in range(20000)]
    ref = _write(tmp_path / "ref.en", lines)
    hyp = _write(tmp_path / "hyp.en", [line.replace("some", "a few") for line in lines])
    process = subprocess.Popen([str(BIN / "mteval"), "score", "--ref", str(ref), "--hyp", str(hyp), "-m", "chrf", "-sl"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    stderr = process.stderr.read().decode()
    assert process.wait() == 0
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


def test_help_shows_every_default():
    result = mteval("score", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for needle in ("(default: 12345)", "(default: text)", "(default: 4;", "-ci", "-tok", "-sl", "-b, --score-only"):
        assert needle in text
    run_help = " ".join(mteval("run", "--help").stdout.split())
    assert "--decode-seed SEED seed of translation (decoding) (default: 0)" in run_help
    assert "--bootstrap N" in run_help and "(default: 1000" in run_help


@pytest.mark.parametrize("pair, module, hyp, ref", [
    ("en-ja", "MeCab", ["今日は晴れです。", "明日は雨でしょう。"], ["今日は晴れでした。", "明日は雨が降るでしょう。"]),
    ("en-ko", "mecab_ko", ["오늘은 날씨가 좋다.", "내일은 비가 온다."], ["오늘 날씨가 좋다.", "내일은 비가 올 것이다."]),
])
def test_japanese_and_korean_bleu_equal_sacrebleu_when_mecab_is_installed(tmp_path, pair, module, hyp, ref):
    pytest.importorskip(module)
    hyp_file, ref_file = _write(tmp_path / "hyp", hyp), _write(tmp_path / "ref", ref)
    ours = mteval("score", ref_file, "-i", hyp_file, "-l", pair, "-m", "bleu", "-f", "json")
    assert ours.returncode == 0, ours.stderr
    score = json.loads(ours.stdout)["scores"]["bleu"]
    assert "mecab" in score["signature"]
    theirs = json.loads(sacrebleu(ref_file, "-i", hyp_file, "-l", pair, "-w", "6", "-f", "json"))
    assert score["score"] == pytest.approx(theirs["score"], abs=1e-6)


def test_a_missing_mecab_is_one_sentence(monkeypatch):
    from sacrebleu.tokenizers import tokenizer_ja_mecab

    from mteval.errors import InputError
    from mteval.metrics.lexical import LexicalOptions, score_corpus

    monkeypatch.setattr(tokenizer_ja_mecab, "MeCab", None)
    with pytest.raises(InputError, match=r"'ja-mecab' tokenizer cannot start here: it needs mecab-python3 and ipadic"):
        score_corpus(hypotheses=["a"], references=["a"], metrics=["bleu"], options=LexicalOptions(target_lang="ja"))


def test_json_scores_are_rounded_to_an_explicit_width_as_sacrebleu_rounds_them(english):
    _, hyp, ref, _ = english
    theirs = json.loads(sacrebleu(ref, "-i", hyp, "-m", "bleu", "-w", "2", "-f", "json"))
    ours = json.loads(mteval("score", ref, "-i", hyp, "-m", "bleu", "-w", "2", "-f", "json").stdout)
    assert ours["scores"]["bleu"]["score"] == theirs["score"]
    full = json.loads(mteval("score", ref, "-i", hyp, "-m", "bleu", "-f", "json").stdout)["scores"]["bleu"]["score"]
    assert full != round(full, 2)  # without -w, JSON keeps every digit
    rows = json.loads(mteval("score", ref, "-i", hyp, "-m", "chrf", "-sl", "-w", "1", "-f", "json").stdout)["segments"]
    assert all(row["chrf"] == round(row["chrf"], 1) for row in rows)
    assert any(row["chrf"] != int(row["chrf"]) for row in rows)


def test_evaluate_takes_the_significance_and_tokenizer_options_of_the_command_line(two_systems):
    import mteval as api
    from mteval.errors import InputError

    src, ref, a, b = two_systems
    results = api.evaluate(source=src, reference=ref, line_parallel=True, hypotheses={"a": a, "b": b},
                           metrics=("bleu",), n_bootstrap=50, paired_compat="sacrebleu", n_paired_bootstrap=200,
                           n_trials=300, tokenize="intl", lowercase=True)
    tests = results.significance["whole"]
    assert tests["paired_bootstrap"]["n_resamples"] == 200 and tests["approximate_randomization"]["n_resamples"] == 300

    def theirs(*flags):
        return json.loads(sacrebleu(ref, "-i", a, b, "-m", "bleu", "-tok", "intl", "-lc", "-f", "json", *flags))[1]

    assert tests["paired_bootstrap"]["results"]["b"]["bleu"]["p_value"] == pytest.approx(
        theirs("--paired-bs", "-pbsn", "200")["BLEU"]["p_value"])
    assert tests["approximate_randomization"]["results"]["b"]["bleu"]["p_value"] == pytest.approx(
        theirs("--paired-ar", "-parn", "300")["BLEU"]["p_value"])
    signature = results.provenance["metrics"]["bleu"]
    assert "case:lc" in signature and "tok:intl" in signature
    for wrong, named in ((dict(paired_compat="sacreblue"), "paired_compat"), (dict(tokenize="nope"), "tokenize='nope'")):
        with pytest.raises(InputError, match=named):
            api.evaluate(source=src, reference=ref, line_parallel=True, hypotheses={"a": a}, metrics=("bleu",), **wrong)


def test_tab_separated_systems_on_standard_input_are_refused_not_scored_as_one(two_systems):
    _, ref, a, b = two_systems
    lines = list(zip(a.read_text(encoding="utf-8").splitlines(), b.read_text(encoding="utf-8").splitlines()))
    both = "".join(f"{x}\t{y}\n" for x, y in lines)
    theirs = json.loads(subprocess.run([str(BIN / "sacrebleu"), str(ref), "-m", "bleu", "-f", "json"], input=both,
                                       capture_output=True, text=True, check=True).stdout)
    assert len(theirs) == 2  # sacrebleu reads two systems
    result = mteval("score", ref, "-m", "bleu", "-b", input=both)
    assert result.returncode == 2 and "2 tab-separated columns" in result.stderr and not result.stdout
    # a tab in some lines only is text, as before
    some = "".join(f"{x}\t{y}\n" if i else f"{x}\n" for i, (x, y) in enumerate(lines))
    assert mteval("score", ref, "-m", "bleu", "-b", input=some).returncode == 0


def test_line_parallel_outputs_are_kept_as_read_like_their_references(tmp_path):
    """A decomposed accent or a zero-width space in both files: the output must not be normalised alone."""
    src = _write(tmp_path / "src.id", ["Presiden mengunjungi kafe di Jakarta.", "Ia minum kopi."])
    ref = _write(tmp_path / "ref.en", ["The president visited a cafe\u0301 in Jakarta.", "He drank co\u200bffee."])
    hyp = _write(tmp_path / "hyp.en", ref.read_text(encoding="utf-8").splitlines())
    run = mteval("run", src, ref, "--line-parallel", "--hyp", f"mt={hyp}", "--no-comet", "--bootstrap", "0",
                 "-m", "bleu", "chrf", "-f", "json")
    assert run.returncode == 0, run.stderr
    whole = json.loads(run.stdout)["corpus"]["mt"]["whole"]
    assert whole["bleu"]["score"] == pytest.approx(float(sacrebleu(ref, "-i", hyp, "-b", "-w", "6"))) == 100.0
    assert whole["chrf"]["score"] == pytest.approx(100.0)
    import mteval as api

    lines = hyp.read_text(encoding="utf-8").splitlines()
    for output in (lines, hyp):
        results = api.evaluate(source=src, reference=ref, line_parallel=True, hypotheses={"mt": output},
                               metrics=("bleu",), n_bootstrap=0)
        assert results.score("mt", "bleu") == pytest.approx(100.0)
