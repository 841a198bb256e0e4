from __future__ import annotations

from mteval.pair_audit.align.scoring import read_vecalign, score_alignment, score_divergences


def test_strict_lax_and_null_conventions():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3,))]
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((), (2,)), ((3,), (3,))]
    r = score_alignment(test, gold)
    assert r["strict"]["precision"] == 2 / 3 and r["strict"]["recall"] == 2 / 3
    assert r["lax"]["precision"] == 1.0 and r["lax"]["recall"] == 1.0
    assert r["null"]["precision"] == 0.5 and r["null"]["recall"] == 1.0


def test_read_vecalign():
    assert read_vecalign("[0]:[0]\n[]:[1]\n[1, 2]:[2]:0.3\n") == [((0,), (0,)), ((), (1,)), ((1, 2), (2,))]


def test_divergence_matching_by_kind_and_span():
    gold = [{"kind": "source_only", "spans": [{"side": "source", "sentence": 6, "text": "Ganjar Pranowo"}]}]
    good = [{"kind": "source_only", "spans": [{"side": "source", "sentence": 6, "text": "pasangan Ganjar Pranowo"}]}]
    wrong = [{"kind": "reference_only", "spans": [{"side": "source", "sentence": 6, "text": "Ganjar Pranowo"}]}]
    assert score_divergences(good, gold)["all"]["recall"] == 1.0
    assert score_divergences(wrong, gold)["all"]["recall"] == 0.0
