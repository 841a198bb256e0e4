from __future__ import annotations

from mteval.pair_audit.align.scoring import read_vecalign, score_alignment, score_alignments, score_divergences


def test_strict_lax_and_null_conventions_of_vecalign():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3,))]
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((), (2,)), ((3,), (3,))]
    r = score_alignment(test, gold)
    # precision over all 5 predicted beads: (0)-(0), ()-(2) and (3)-(3) are exact; (1)-(1) is lax;
    # the null bead (2)-() is a miss under both
    assert r["strict"]["precision"] == 3 / 5 and r["lax"]["precision"] == 4 / 5
    # recall over the 3 gold beads with both sides: (1, 2)-(1) is only a lax hit
    assert r["strict"]["recall"] == 2 / 3 and r["lax"]["recall"] == 1.0
    assert r["null"]["precision"] == 0.5 and r["null"]["recall"] == 1.0


def test_counts_are_summed_over_documents_before_dividing():
    one = ([((0,), (0,)), ((1,), ())], [((0,), (0,)), ((1,), (1,))])
    two = ([((0,), (0,))] * 1 + [((1,), (1,)), ((2,), (2,))], [((0,), (0,)), ((1,), (1,)), ((2,), (2,))])
    r = score_alignments([one, two])
    assert r["strict"]["precision"] == 4 / 5 and r["strict"]["recall"] == 4 / 5
    assert score_alignment([], [((0,), (0,))])["strict"]["f1"] == 0.0


def test_read_vecalign():
    assert read_vecalign("[0]:[0]\n[]:[1]\n[1, 2]:[2]:0.3\n") == [((0,), (0,)), ((), (1,)), ((1, 2), (2,))]


def test_divergence_matching_by_kind_and_span():
    gold = [{"kind": "source_only", "spans": [{"side": "source", "sentence": 6, "text": "Ganjar Pranowo"}]}]
    good = [{"kind": "source_only", "spans": [{"side": "source", "sentence": 6, "text": "pasangan Ganjar Pranowo"}]}]
    wrong = [{"kind": "reference_only", "spans": [{"side": "source", "sentence": 6, "text": "Ganjar Pranowo"}]}]
    assert score_divergences(good, gold)["all"]["recall"] == 1.0
    assert score_divergences(wrong, gold)["all"]["recall"] == 0.0
