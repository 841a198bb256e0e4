"""Paired bootstrap and approximate randomization over per-segment statistics."""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _tiny_comet import seed_lines
from mteval.errors import InputError
from mteval.metrics import significance as sig

BIN = Path(sys.executable).parent


def _sentences() -> list[str]:
    """Clauses of the seed articles (both languages: the strings only need to be text)."""
    parts = []
    for line in seed_lines():
        parts.extend(p.strip() for p in re.split(r"(?<=[.!?,;])\s+", line) if len(p.split()) >= 4)
    return parts


def _degrade(sentence: str, rng: random.Random, rate: float) -> str:
    words = sentence.split()
    kept = [w for w in words if rng.random() > rate] or words[:1]
    if rng.random() < rate:
        rng.shuffle(kept)
    return " ".join(kept)


@pytest.fixture(scope="module")
def corpus():
    refs = _sentences()
    assert len(refs) >= 40
    rng = random.Random(4)
    systems = {
        "base": [_degrade(s, rng, 0.25) for s in refs],
        "good": [_degrade(s, rng, 0.05) for s in refs],
        "poor": [_degrade(s, rng, 0.45) for s in refs],
    }
    return systems, refs


def test_corpus_scores_equal_sacrebleu(corpus):
    from sacrebleu.metrics import BLEU, CHRF, TER

    systems, refs = corpus
    result = sig.paired_bootstrap(hypotheses=systems, references=refs, metrics=("bleu", "chrf", "chrf++", "ter"), n_samples=50)
    makers = {"bleu": BLEU, "chrf": CHRF, "chrf++": lambda: CHRF(word_order=2), "ter": TER}
    for name, make in makers.items():
        for system, hyps in systems.items():
            assert result[system][name].score == pytest.approx(make().corpus_score(hyps, [refs]).score, abs=1e-9)
    assert result.signatures["bleu"].startswith("nrefs:1|") and "tok:13a" in result.signatures["bleu"]


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_vectorised_scores_equal_sacrebleu_per_row(corpus, data):
    systems, refs = corpus
    name = data.draw(st.sampled_from(sig.LEXICAL))
    evaluator = sig._Lexical(name)
    stats = evaluator.statistics(systems[data.draw(st.sampled_from(sorted(systems)))], [refs])
    n = len(stats)
    rows = data.draw(st.lists(st.lists(st.integers(0, n - 1), min_size=1, max_size=n), min_size=1, max_size=4))
    sums = np.array([stats[row].sum(axis=0) for row in rows])
    # also degenerate rows: nothing at all, and a single segment
    sums = np.vstack([sums, np.zeros(stats.shape[1]), stats[:1]])
    expected = [evaluator.metric._compute_score_from_stats([sig._plain(v) for v in row]).score for row in sums]
    assert evaluator.scores(sums, n) == pytest.approx(expected, abs=1e-9)


def test_deterministic_with_seed(corpus):
    systems, refs = corpus
    one = sig.paired_bootstrap(hypotheses=systems, references=refs, n_samples=200, seed=3).to_dict()
    two = sig.paired_bootstrap(hypotheses=systems, references=refs, n_samples=200, seed=3).to_dict()
    other = sig.paired_bootstrap(hypotheses=systems, references=refs, n_samples=200, seed=4).to_dict()
    assert one == two
    assert one["results"]["good"]["bleu"]["mean"] != other["results"]["good"]["bleu"]["mean"]
    ar1 = sig.approximate_randomization(hypotheses=systems, references=refs, n_trials=300, n_bootstrap=100, seed=3)
    ar2 = sig.approximate_randomization(hypotheses=systems, references=refs, n_trials=300, n_bootstrap=100, seed=3)
    assert ar1.to_dict() == ar2.to_dict()
    json.dumps(ar1.to_dict())  # serialisable


@pytest.mark.parametrize("test", ["bootstrap", "ar"])
def test_identical_systems_have_p_one(corpus, test):
    systems, refs = corpus
    same = {"a": systems["base"], "b": list(systems["base"])}
    comet = {"comet": {"a": [0.1 * i for i in range(len(refs))], "b": [0.1 * i for i in range(len(refs))]}}
    metrics = ("bleu", "chrf", "ter", "comet")
    if test == "bootstrap":
        result = sig.paired_bootstrap(hypotheses=same, references=refs, metrics=metrics, segment_scores=comet, n_samples=200)
    else:
        result = sig.approximate_randomization(hypotheses=same, references=refs, metrics=metrics, segment_scores=comet, n_trials=500, n_bootstrap=50)
    for metric in metrics:
        assert result["b"][metric].p_value == pytest.approx(1.0)
        assert result["b"][metric].difference == 0.0


def test_clearly_better_system_has_small_p(corpus):
    systems, refs = corpus
    bs = sig.paired_bootstrap(hypotheses=systems, references=refs, metrics=("bleu", "chrf", "ter"), n_samples=1000)
    ar = sig.approximate_randomization(hypotheses=systems, references=refs, metrics=("bleu", "chrf", "ter"), n_trials=2000, n_bootstrap=100)
    for result in (bs, ar):
        for metric in ("bleu", "chrf", "ter"):
            assert result["good"][metric].p_value < 0.01, (result.test, metric)
            assert result["poor"][metric].p_value < 0.01, (result.test, metric)
        assert result["good"]["bleu"].difference > 0 and result["poor"]["bleu"].difference < 0
        assert result["good"]["ter"].difference < 0  # fewer edits
    good = bs["good"]["bleu"]
    assert good.ci_low <= good.score <= good.ci_high


def test_comet_segment_scores_resampled_like_their_mean(corpus):
    systems, refs = corpus
    n = len(refs)
    rng = np.random.default_rng(0)
    comet = {name: rng.normal(0.7 + 0.05 * i, 0.1, n).tolist() for i, name in enumerate(systems)}
    copies = {k: list(v) for k, v in comet.items()}
    result = sig.paired_bootstrap(hypotheses=systems, references=refs, metrics=("comet",), segment_scores={"comet": comet}, n_samples=300, seed=9)
    assert comet == copies  # inputs untouched
    idx = np.random.default_rng(9).choice(n, size=(300, n), replace=True)
    for name in systems:
        column = np.array(comet[name])
        resampled = np.sort(column[idx].mean(axis=1))
        got = result[name]["comet"]
        assert got.score == pytest.approx(column.mean())
        assert got.mean == pytest.approx(resampled.mean())
        assert (got.ci_low, got.ci_high) == pytest.approx((resampled[300 // 40], resampled[300 - 300 // 40 - 1]))
    assert result["good"]["comet"].difference == pytest.approx(np.mean(comet["good"]) - np.mean(comet["base"]))


def _sacrebleu_cli(tmp_path, systems, refs, flag, extra=()):
    (tmp_path / "ref.txt").write_text("\n".join(refs) + "\n", encoding="utf-8")
    files = []
    for name, hyps in systems.items():
        path = tmp_path / f"{name}.txt"
        path.write_text("\n".join(hyps) + "\n", encoding="utf-8")
        files.append(path.name)
    cmd = [str(BIN / "sacrebleu"), "ref.txt", "-i", *files, "-m", "bleu", "chrf", "ter", flag, "-f", "json", *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize("flag", ["--paired-bs", "--paired-ar"])
def test_sacrebleu_compatible_mode_matches_sacrebleu_cli(tmp_path, corpus, flag):
    systems, refs = corpus
    extra = ("--paired-ar-n", "2000") if flag == "--paired-ar" else ()
    expected = _sacrebleu_cli(tmp_path, systems, refs, flag, extra)
    if flag == "--paired-bs":
        ours = sig.paired_bootstrap(hypotheses=systems, references=refs, metrics=("bleu", "chrf", "ter"), sacrebleu_compatible=True)
    else:
        ours = sig.approximate_randomization(
            hypotheses=systems, references=refs, metrics=("bleu", "chrf", "ter"), n_trials=2000, sacrebleu_compatible=True
        )
    keys = {"bleu": "BLEU", "chrf": "chrF2", "ter": "TER"}
    for row, system in zip(expected, systems):
        for metric, key in keys.items():
            got, want = ours[system][metric], row[key]
            assert got.score == pytest.approx(want["score"], abs=1e-9)
            if flag == "--paired-bs":  # the sacrebleu CLI gives no intervals with --paired-ar
                assert got.mean == pytest.approx(want["mean"], abs=1e-4)  # sacrebleu sums float32 statistics
                assert got.ci_half_width == pytest.approx(want["ci"], abs=1e-4)
            if want["p_value"] is None:
                assert got.p_value is None
            else:
                assert got.p_value == pytest.approx(want["p_value"], abs=1e-12)


def test_single_system_interval(corpus):
    systems, refs = corpus
    out = sig.bootstrap_interval(hypotheses=systems["good"], references=refs, metrics=("bleu", "chrf"), n_samples=200, seed=1)
    paired = sig.paired_bootstrap(hypotheses={"good": systems["good"], "x": systems["base"]}, references=refs, n_samples=200, seed=1)
    for metric in ("bleu", "chrf"):
        assert out[metric].score == paired["good"][metric].score
        assert (out[metric].ci_low, out[metric].ci_high) == (paired["good"][metric].ci_low, paired["good"][metric].ci_high)


def test_bad_inputs(corpus):
    systems, refs = corpus
    with pytest.raises(InputError):
        sig.paired_bootstrap(hypotheses={"a": systems["base"]}, references=refs)
    with pytest.raises(InputError):
        sig.paired_bootstrap(hypotheses={"a": systems["base"], "b": systems["good"][:-1]}, references=refs)
    with pytest.raises(InputError):
        sig.paired_bootstrap(hypotheses=systems, references=refs[:-1])
    with pytest.raises(InputError, match="comet"):
        sig.paired_bootstrap(hypotheses=systems, references=refs, metrics=("comet",))
    with pytest.raises(InputError, match="missing"):
        sig.paired_bootstrap(hypotheses=systems, references=refs, metrics=("comet",), segment_scores={"comet": {"base": [0.0] * len(refs)}})
    with pytest.raises(InputError):
        sig.approximate_randomization(hypotheses=systems, references=refs, n_trials=0)


def test_multiple_reference_streams(corpus):
    from sacrebleu.metrics import BLEU

    systems, refs = corpus
    second = [_degrade(s, random.Random(i), 0.1) for i, s in enumerate(refs)]
    result = sig.paired_bootstrap(hypotheses=systems, references=[refs, second], metrics=("bleu",), n_samples=20)
    assert result["good"]["bleu"].score == pytest.approx(BLEU().corpus_score(systems["good"], [refs, second]).score)


def test_shared_statistics_give_the_same_results(corpus):
    systems, refs = corpus
    shared = sig.segment_statistics(hypotheses=systems, references=refs, metrics=("bleu", "ter"))
    direct = sig.approximate_randomization(hypotheses=systems, references=refs, metrics=("bleu", "ter"), n_trials=300, n_bootstrap=50)
    reused = sig.approximate_randomization(statistics=shared, n_trials=300, n_bootstrap=50)
    assert reused.to_dict() == direct.to_dict()
    assert sig.paired_bootstrap(statistics=shared, n_samples=100).to_dict() == sig.paired_bootstrap(
        hypotheses=systems, references=refs, metrics=("bleu", "ter"), n_samples=100
    ).to_dict()
