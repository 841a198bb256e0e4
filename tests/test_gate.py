"""`mteval compare`, `mteval gate` and the CI example, on the bundled example with tiny models."""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from _tiny_marian import tiny_marian, untrained_marian  # noqa: F401
from mteval.gate import check_regression, parse_max_drops
from mteval.errors import IncomparableResultsError, InputError
from mteval.results.records import Results

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[1]


def mteval(*args, env=None):
    environment = dict(os.environ, HF_HUB_OFFLINE="1", **(env or {}))
    return subprocess.run([str(BIN / "mteval"), *map(str, args)], capture_output=True, text=True, env=environment)


@pytest.fixture(scope="module")
def gate_runs(tiny_marian, untrained_marian, example_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("gate")
    env = {"MTEVAL_CACHE_DIR": str(out / "cache")}
    common = ("--engine", "transformers", "--beam-size", "1", "--max-length", "32", "--no-comet", "--bootstrap", "100")
    for name, model in (("good", tiny_marian), ("bad", untrained_marian)):
        result = mteval("run", example_dir, "--model", f"{name}={model}", *common, "--out", out / name, env=env)
        assert result.returncode == 0, result.stderr
    return out


def test_gate_passes_against_itself_and_fails_a_worse_model(gate_runs, tmp_path):
    good, bad = gate_runs / "good" / "results.json", gate_runs / "bad" / "results.json"
    passed = mteval("gate", good, "--baseline", good, "--max-drop", "bleu=0.5", "--markdown", tmp_path / "g.md",
                    "--junit", tmp_path / "g.xml")
    assert passed.returncode == 0, passed.stderr
    assert "passed" in (tmp_path / "g.md").read_text()
    failed = mteval("gate", bad, "--baseline", good, "--max-drop", "chrf=1.0", "--junit", tmp_path / "f.xml")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    junit = (tmp_path / "f.xml").read_text()
    assert 'failures="1"' in junit and "<failure" in junit
    suite = ET.fromstring(junit)
    assert suite.get("name") == "mteval gate: bad vs good"
    assert [case.get("name") for case in suite] == ["chrf (whole): bad vs good"]


def test_gate_significance_uses_stored_segments(gate_runs):
    good = Results.from_json(gate_runs / "good" / "results.json")
    bad = Results.from_json(gate_runs / "bad" / "results.json")
    report = check_regression(good, bad, max_drops={"chrf": 0.0}, significant=True, n_samples=200)
    verdict = report.verdicts[0]
    assert verdict.p_value is not None and 0 < verdict.p_value <= 1
    assert verdict.regression == (verdict.p_value < 0.05)
    same = check_regression(good, good, max_drops={"chrf": 0.0}, significant=True, n_samples=200)
    assert same.passed and same.verdicts[0].drop == 0


def test_gate_refuses_incomparable_results(gate_runs, tmp_path):
    good = json.loads((gate_runs / "good" / "results.json").read_text())
    other = dict(good, provenance=dict(good["provenance"], corpus_fingerprint="0" * 64))
    (tmp_path / "other.json").write_text(json.dumps(other))
    result = mteval("gate", gate_runs / "good" / "results.json", "--baseline", tmp_path / "other.json")
    assert result.returncode == 2 and "corpus_fingerprint" in result.stderr and "Traceback" not in result.stderr
    tokenised = dict(good, provenance=dict(good["provenance"], metrics=dict(good["provenance"]["metrics"], bleu="tok:intl")))
    with pytest.raises(IncomparableResultsError, match="metrics.bleu"):
        check_regression(Results.from_dict(tokenised), Results.from_dict(good), max_drops={"bleu": 1})
    old = dict(good, schema_version=0)
    (tmp_path / "old.json").write_text(json.dumps(old))
    result = mteval("gate", gate_runs / "good" / "results.json", "--baseline", tmp_path / "old.json")
    assert result.returncode == 2 and "schema version 0" in result.stderr


def test_gate_refuses_results_aligned_differently(gate_runs, tmp_path):
    good = json.loads((gate_runs / "good" / "results.json").read_text())
    assert len(good["provenance"]["audit"]["alignment_fingerprint"]) == 32
    realigned = dict(good, provenance=dict(good["provenance"], audit=dict(good["provenance"]["audit"],
                                                                         alignment_fingerprint="f" * 32)))
    (tmp_path / "realigned.json").write_text(json.dumps(realigned))
    result = mteval("gate", gate_runs / "good" / "results.json", "--baseline", tmp_path / "realigned.json")
    assert result.returncode == 2 and "alignment_fingerprint" in result.stderr and "Traceback" not in result.stderr
    assert check_regression(Results.from_dict(good), Results.from_dict(good)).passed


def test_gate_direction_and_error_counts_come_from_the_registry(gate_runs):
    good = Results.from_json(gate_runs / "good" / "results.json")
    system = good.systems[0]
    worse = Results.from_json(gate_runs / "good" / "results.json")
    worse.corpus[system].parts["whole"]["ter"].score += 5  # TER up: worse
    worse.corpus[system].parts["whole"]["mt_errors"].score += 5
    report = check_regression(good, worse)
    assert [v.metric for v in report.verdicts if v.regression] == ["ter"]  # mt_errors not gated by default
    report = check_regression(good, worse, max_drops={"mt_errors": 1.0})
    assert report.verdicts[0].regression and report.verdicts[0].drop == pytest.approx(5)
    with pytest.raises(InputError, match="unknown metric 'bleurt'"):
        check_regression(good, good, max_drops={"bleurt": 1.0})


def test_gate_refuses_another_comet_model_or_precision(gate_runs):
    good = json.loads((gate_runs / "good" / "results.json").read_text())
    for system in good["corpus"].values():
        for part in system.values():
            part["comet"] = {"metric": "comet", "score": 0.8, "signature": "comet", "n_segments": 10}

    def with_comet(**comet):
        return Results.from_dict(dict(good, provenance=dict(good["provenance"], comet=comet)))

    base = with_comet(model="Unbabel/wmt22-comet-da", precision="fp32")
    assert check_regression(base, base, max_drops={"comet": 0.01}).passed
    with pytest.raises(IncomparableResultsError, match="comet.model"):
        check_regression(base, with_comet(model="other", precision="fp32"), max_drops={"comet": 0.01})
    with pytest.raises(IncomparableResultsError, match="comet.precision"):
        check_regression(base, with_comet(model="Unbabel/wmt22-comet-da", precision="bf16"), max_drops={"comet": 0.01})


def test_max_drop_parsing():
    assert parse_max_drops(["bleu=0.5", "COMET=0.01"]) == {"bleu": 0.5, "comet": 0.01}
    for bad in (["bleu"], ["bleu=-1"], ["=1"], ["bleu=x"]):
        with pytest.raises(InputError):
            parse_max_drops(bad)


def test_compare_table_and_json(gate_runs, tiny_marian, untrained_marian, example_dir):
    env = {"MTEVAL_CACHE_DIR": str(gate_runs / "cache")}
    common = ("--engine", "transformers", "--beam-size", "1", "--max-length", "32", "--no-comet", "--bootstrap", "100",
              "--trials", "500")
    result = mteval("compare", example_dir, "--model", f"good={tiny_marian}", "--model", f"bad={untrained_marian}",
                    *common, env=env)
    assert result.returncode == 0, result.stderr
    assert "good (baseline)" in result.stdout and "p (AR)" in result.stdout
    data = json.loads(mteval("compare", example_dir, "--model", f"good={tiny_marian}", "--model",
                             f"bad={untrained_marian}", "--baseline", "bad", *common, "--json", env=env).stdout)
    tests = data["significance"]["whole"]
    assert tests["paired_bootstrap"]["baseline"] == "bad"
    assert tests["approximate_randomization"]["n_resamples"] == 500
    one = mteval("compare", example_dir, "--model", f"good={tiny_marian}", "--no-comet")
    assert one.returncode == 2 and "at least two systems" in one.stderr


def test_ci_example_script(tiny_marian, untrained_marian, tmp_path):
    """The same commands as examples/ci: a pass, then a regression."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", MTEVAL_CACHE_DIR=str(tmp_path / "cache"),
               PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    script = REPO / "examples" / "ci" / "gate.sh"
    ok = subprocess.run(["bash", str(script), str(tiny_marian), str(tiny_marian), str(tmp_path / "pass")],
                        capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "pass" / "gate.md").exists() and (tmp_path / "pass" / "gate.xml").exists()
    regression = subprocess.run(["bash", str(script), str(tiny_marian), str(untrained_marian), str(tmp_path / "fail")],
                                capture_output=True, text=True, env=env)
    assert regression.returncode == 1, regression.stderr
    assert "regression" in (tmp_path / "fail" / "gate.md").read_text()
    workflow = (REPO / "examples" / "ci" / "translation-gate.yml").read_text()
    assert "examples/ci/gate.sh" in workflow
    misuse = subprocess.run(["bash", str(script), str(tiny_marian)], capture_output=True, text=True, env=env)
    assert misuse.returncode == 2 and "usage:" in misuse.stderr  # not 1, which the script's caller reads as a regression


def test_a_drop_that_rounds_to_zero_is_printed_without_a_minus_sign():
    from mteval.gate import signed_drop

    assert signed_drop(-1e-9) == "+0.0000" and signed_drop(0.0) == "+0.0000"
    assert signed_drop(-0.25) == "-0.2500" and signed_drop(1.23456) == "+1.2346"
    # beyond the float-rounding bound but under four decimals: shown, not +0.0000
    assert signed_drop(2e-6) == "+2e-06" and signed_drop(-3.4e-5) == "-3.4e-05" and signed_drop(1e-6) == "+0.0000"
    from mteval.gate import GateReport, MetricVerdict

    unmoved = GateReport("a", "b", "whole", False, 0.05, [MetricVerdict("ter", 30.0, 30.0, -0.0, 0.0)])
    assert json.dumps(unmoved.to_dict()["verdicts"][0]["drop"]) == "0.0"  # TER's -(b - a) of equal scores


def test_significance_of_comet_is_over_the_beads_both_runs_scored(gate_runs):
    # reference-based COMET leaves source-only beads unscored in both runs: --significant tests the others
    data = Results.from_json(gate_runs / "good" / "results.json").to_dict()
    for system in data["corpus"].values():
        for part in system.values():
            part["comet"] = {"metric": "comet", "score": 0.8, "signature": "comet", "n_segments": 10}

    def with_comet(skip_one: bool = False) -> Results:
        results = Results.from_dict(json.loads(json.dumps(data)))
        scored = 0
        for doc in results.documents:
            for n, segment in enumerate(doc.segments):
                for system, scores in segment.scores.items():
                    if segment.reference and not (skip_one and scored == 3):
                        scores["comet"] = 0.5 + 0.01 * (n % 7)
                    scored += bool(segment.reference)
        return results

    base = with_comet()
    assert any(not s.reference for d in base.documents for s in d.segments)  # there are unscored beads
    report = check_regression(base, base, max_drops={"comet": 0.01}, significant=True, n_samples=100)
    assert report.passed and report.verdicts[0].p_value is not None
    with pytest.raises(InputError, match="which the other run scored"):
        check_regression(base, with_comet(skip_one=True), max_drops={"comet": 0.01}, significant=True, n_samples=100)


def _line_parallel_pair(tmp_path: Path) -> dict[str, Path]:
    """Sixty line-parallel segments with a second reference and two systems, one a little worse; one byline."""
    import random

    rng = random.Random(0)
    words = "the minister said on Monday that rice prices rose by five percent in Jakarta and Surabaya".split()
    refs = [" ".join(rng.choice(words) for _ in range(12)) + "." for _ in range(59)] + ["Editor: Budi Santoso"]

    def perturbed(keep: float) -> list[str]:
        return [" ".join(w for w in line.split() if rng.random() < keep) or line for line in refs]

    files = {"src": ["sumber " + line for line in refs], "ref": refs, "ref2": perturbed(0.9),
             "base": perturbed(0.8), "cand": perturbed(0.75)}
    paths = {}
    for name, lines in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def test_gate_significance_tests_as_compare_did(tmp_path):
    """--significant scores the stored segments again with the run's tokenizer, casing and every reference:
    its p-values are compare's."""
    f = _line_parallel_pair(tmp_path)
    out = tmp_path / "cmp"
    flags = ("--ref", f["ref2"], "-lc", "-tok", "intl", "-m", "bleu", "chrf", "--no-comet")
    result = mteval("compare", f["src"], f["ref"], "--line-parallel", "--hyp", f"base={f['base']}", "--hyp",
                    f"cand={f['cand']}", *flags, "--out", out, "-f", "tsv")
    assert result.returncode == 0, result.stderr
    compared = {row[0]: float(row[6]) for row in (line.split("\t") for line in result.stdout.splitlines()[1:])
                if row[1] == "cand"}
    gate = mteval("gate", out / "results.json", "--baseline", out / "results.json", "--system", "cand",
                  "--baseline-system", "base", "--significant", "--json")
    assert gate.returncode in (0, 1), gate.stderr
    gated = {v["metric"]: v["p_value"] for v in json.loads(gate.stdout)["verdicts"]}
    assert gated == pytest.approx(compared, abs=1e-4) and len(gated) == 2


def test_gate_names_the_system_and_refuses_another_cut(tmp_path):
    f = _line_parallel_pair(tmp_path)
    common = ("--line-parallel", "--no-comet", "-m", "bleu", "-q")
    both = mteval("compare", f["src"], f["ref"], "--hyp", f"base={f['base']}", "--hyp", f"cand={f['cand']}", *common,
                  "--out", tmp_path / "both")
    assert both.returncode == 0, both.stderr
    one = mteval("run", f["src"], f["ref"], "--hyp", f"base={f['base']}", *common, "--out", tmp_path / "one")
    assert one.returncode == 0, one.stderr
    # a comparison's file holds its baseline first: gating it unnamed would gate the baseline and pass
    unnamed = mteval("gate", tmp_path / "both" / "results.json", "--baseline", tmp_path / "one" / "results.json")
    assert unnamed.returncode == 2 and "hold 2 systems (base, cand); name the one to gate with --system" in unnamed.stderr
    unnamed = mteval("gate", tmp_path / "one" / "results.json", "--baseline", tmp_path / "both" / "results.json")
    assert unnamed.returncode == 2 and "--baseline-system" in unnamed.stderr
    named = mteval("gate", tmp_path / "both" / "results.json", "--baseline", tmp_path / "one" / "results.json",
                   "--system", "cand")
    assert named.returncode == 1, named.stdout + named.stderr
    roles = mteval("run", f["src"], f["ref"], "--hyp", f"base={f['base']}", *common, "--line-roles",
                   "--out", tmp_path / "roles")
    assert roles.returncode == 0, roles.stderr
    cut = mteval("gate", tmp_path / "roles" / "results.json", "--baseline", tmp_path / "one" / "results.json")
    assert cut.returncode == 2 and "'segmentation.cuts' differs" in cut.stderr


def test_a_drop_within_float_noise_passes_and_a_real_one_fails(gate_runs, tmp_path):
    """A system gated against itself from another run passes: COMET moves by up to 1e-6 with batching and caching."""
    import shutil

    good = gate_runs / "good"
    for name, shift in (("noise", 6e-9), ("real", 1e-3)):
        shutil.copytree(good, tmp_path / name)
        path = tmp_path / name / "results.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        system = next(iter(data["corpus"]))
        data["corpus"][system]["whole"]["chrf"]["score"] -= shift
        path.write_text(json.dumps(data), encoding="utf-8")
        result = mteval("gate", path, "--baseline", good / "results.json", "--max-drop", "chrf=0")
        assert result.returncode == (0 if name == "noise" else 1), result.stdout + result.stderr
