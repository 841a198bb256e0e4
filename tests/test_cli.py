"""The command line: equality with sacrebleu, the main job, and one-sentence errors."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from _tiny_marian import tiny_marian  # noqa: F401

BIN = Path(sys.executable).parent


def mteval(*args, cwd=None, env=None):
    environment = dict(os.environ, HF_HUB_OFFLINE="1", **(env or {}))
    return subprocess.run([str(BIN / "mteval"), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=environment)


@pytest.fixture()
def line_files(tmp_path):
    hyp = tmp_path / "hyp.txt"
    ref = tmp_path / "ref.txt"
    hyp.write_text("The ministry asks platforms to strengthen systems.\nHe said so on Wednesday .\nA third line\n")
    ref.write_text("The ministry asked the platforms to strengthen their systems.\nHe said this on Wednesday.\nA third line.\n")
    return hyp, ref


def test_score_equals_sacrebleu_cli(line_files):
    hyp, ref = line_files
    ours = json.loads(mteval("score", "--hyp", hyp, "--ref", ref, "--json").stdout)["scores"]
    for metric, args in {"bleu": ["-m", "bleu"], "chrf": ["-m", "chrf"], "chrf++": ["-m", "chrf", "--chrf-word-order", "2"],
                         "ter": ["-m", "ter"]}.items():
        sacre = subprocess.run([str(BIN / "sacrebleu"), str(ref), "-i", str(hyp), *args, "-w", "6", "-f", "json"],
                               capture_output=True, text=True, check=True)
        theirs = json.loads(sacre.stdout)
        assert round(ours[metric]["score"], 4) == round(theirs["score"], 4)
        assert ours[metric]["signature"].split("|")[0] == theirs["signature"].split("|")[0]


def test_score_prints_a_table_with_intervals(line_files):
    hyp, ref = line_files
    result = mteval("score", "--hyp", hyp, "--ref", ref, "--confidence", "--confidence-n", "200")
    assert result.returncode == 0
    assert "bleu" in result.stdout and "nrefs:1" in result.stdout and "[" in result.stdout


def _one_sentence_error(result):
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_bad_inputs_get_one_sentence_and_status_2(tmp_path, line_files):
    hyp, ref = line_files
    short = tmp_path / "short.txt"
    short.write_text("one line\n")
    assert "has 1 lines but" in _one_sentence_error(mteval("score", "--hyp", short, "--ref", ref))
    assert "no such file" in _one_sentence_error(mteval("score", "--hyp", tmp_path / "nope", "--ref", ref))
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert "empty" in _one_sentence_error(mteval("score", "--hyp", empty, "--ref", ref))
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"caf\xe9\n")
    assert "not valid UTF-8" in _one_sentence_error(mteval("score", "--hyp", latin, "--ref", ref))
    assert "Unknown language code 'xx'" in _one_sentence_error(
        mteval("audit", hyp, ref, "--src-lang", "xx"))
    unpaired = tmp_path / "corpus"
    unpaired.mkdir()
    (unpaired / "a.id.txt").write_text("Satu.")
    assert "no matching a.en.txt" in _one_sentence_error(mteval("run", unpaired, "--no-comet"))


def test_translate_writes_one_line_per_sentence_and_reuses_cache(tiny_marian, example_dir, tmp_path):
    source = example_dir / "antara-kominfo-2024.id.txt"
    out = tmp_path / "mt.txt"
    env = {"MTEVAL_CACHE_DIR": str(tmp_path / "cache")}
    args = ("translate", source, "--model", tiny_marian, "--engine", "transformers", "--max-length", "20",
            "--beam-size", "1", "-o", out)
    first = mteval(*args, env=env)
    assert first.returncode == 0, first.stderr
    lines = out.read_text().splitlines()
    assert len(lines) == 21
    assert lines[4].startswith("Baca juga:") and lines[-1] == "Copyright © ANTARA 2024"
    assert "15 translated by the model" in first.stderr
    second = mteval(*args, env=env)
    assert "0 translated by the model, 15 from the cache" in second.stderr
    assert out.read_text().splitlines() == lines


def test_corrupt_cache_cli_keeps_file(tiny_marian, example_dir, tmp_path):
    cache = tmp_path / "broken.sqlite"
    cache.write_bytes(b"garbage" * 50)
    result = mteval("translate", example_dir / "antara-kominfo-2024.id.txt", "--model", tiny_marian,
                    "--engine", "transformers", "--cache", cache, "-o", tmp_path / "o.txt")
    assert "broken.sqlite" in _one_sentence_error(result)
    assert cache.read_bytes() == b"garbage" * 50


def test_offline_hub_model_is_one_sentence(example_dir, tmp_path):
    result = mteval("translate", example_dir / "antara-kominfo-2024.id.txt", "--model", "Helsinki-NLP/opus-mt-id-en",
                    "-o", tmp_path / "o.txt")
    line = _one_sentence_error(result)
    assert "Helsinki-NLP/opus-mt-id-en" in line and "--model PATH" in line


def test_help_imports_no_heavy_library():
    code = ("import sys; from mteval.cli.command import main, build_parser; build_parser().format_help(); "
            "print(sorted(m for m in ('torch', 'transformers', 'comet', 'pandas', 'ctranslate2') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_system_with_wrong_number_of_lines_is_refused(example_dir, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("one\ntwo\n")
    line = _one_sentence_error(mteval("compare", example_dir, "--hyp", f"a={short}", "--hyp", f"b={short}", "--no-comet"))
    assert "System 'a' has 2 lines" in line and "21 source sentences" in line


def test_audit_json_follows_gold_conventions(example_dir):
    result = mteval("audit", example_dir / "antara-kominfo-2024.id.txt", example_dir / "antara-kominfo-2024.en.txt", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"source_sentences", "reference_sentences", "alignment", "divergences"} <= set(data)
    covered = sorted(i for bead in data["alignment"] for i in bead["source"])
    assert covered == list(range(len(data["source_sentences"])))
    covered = sorted(j for bead in data["alignment"] for j in bead["reference"])
    assert covered == list(range(len(data["reference_sentences"])))
    kinds = {d["kind"] for d in data["divergences"]}
    assert {"source_only", "reference_only", "entity_mismatch"} <= kinds
    spans = [s["text"] for d in data["divergences"] for s in d["spans"]]
    assert any("Ganjar Pranowo" in text for text in spans)


def test_audit_names_a_reference_in_the_wrong_language(example_dir):
    source = example_dir / "antara-kominfo-2024.id.txt"
    result = mteval("audit", source, source, "--json")
    assert result.returncode == 0, result.stderr
    assert "mteval: warning: The reference of document" in result.stderr
    assert "looks like Indonesian, not English" in result.stderr
    assert json.loads(result.stdout)["warnings"] == [result.stderr.split("mteval: warning: ")[1].strip()]


def test_audit_presplit_takes_one_sentence_per_line(tmp_path):
    source, reference = tmp_path / "s.txt", tmp_path / "r.txt"
    source.write_text("Presiden Joko Widodo tiba di Jakarta pada Senin. Ia disambut menteri.\nBaca juga: Berita lain\n")
    reference.write_text("President Joko Widodo arrived in Jakarta on Monday. He was welcomed by ministers.\n")
    data = json.loads(mteval("audit", source, reference, "--presplit", "--json").stdout)
    assert [s["text"] for s in data["source_sentences"]] == [
        "Presiden Joko Widodo tiba di Jakarta pada Senin. Ia disambut menteri.", "Baca juga: Berita lain"]
    assert data["source_sentences"][1]["role"] == "related_link"
    assert {"source": [0], "reference": [0]}.items() <= data["alignment"][0].items()


def test_compare_line_parallel_files(line_files, tmp_path):
    hyp, ref = line_files
    source = tmp_path / "src.txt"
    source.write_text("Kementerian meminta platform memperkuat sistem.\nIa mengatakannya pada Rabu.\nBaris ketiga\n")
    other = tmp_path / "other.txt"
    other.write_text("Ministry platform system.\nHe said Wednesday.\nThird\n")
    result = mteval("compare", source, ref, "--line-parallel", "--hyp", f"a={hyp}", "--hyp", f"b={other}",
                    "--no-comet", "--trials", "200", "--bootstrap", "100", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["corpus"]["a"]["whole"]["bleu"]["n_segments"] == 3
    assert data["significance"]["whole"]["paired_bootstrap"]["baseline"] == "a"
