"""The re-pairing of a bead member that the alignment shifted by one line (``align/shifts.py``)."""
import numpy as np

from mteval.pair_audit.align.shifts import reshift
from mteval.pair_audit.align.sentences import Alignment
from mteval.pair_audit.align.signals import BeadScorer
from mteval.pair_audit.divergences import detect
from mteval.pair_audit.divergences.detect import AuditConfig, audit_pair


def _cosine(table, default=0.5):
    return lambda i, j: table.get((i, j), default)


def test_a_member_is_paired_with_the_english_before_it_and_its_neighbour_stands_alone():
    beads = [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,))]
    # the English 1 translates source 2, not source 1
    out = reshift(beads, [(2, "source", 2)], _cosine({(2, 1): 0.9, (1, 1): 0.8}), 0.01)
    assert out == [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]
    assert beads == [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,))]  # the caller's list is left as it was


def test_a_member_at_the_end_of_its_bead_takes_the_english_after_it():
    beads = [((0, 1), (0,)), ((2,), (1,))]
    out = reshift(beads, [(0, "source", 1)], _cosine({(1, 1): 0.9, (2, 1): 0.8}), 0.01)
    assert out == [((0,), (0,)), ((1,), (1,)), ((2,), ())]


def test_the_reference_side_is_re_paired_the_same_way():
    beads = [((0,), (0, 1)), ((1,), (2,))]
    out = reshift(beads, [(0, "reference", 1)], _cosine({(1, 1): 0.9, (1, 2): 0.8}), 0.01)
    assert out == [((0,), (0,)), ((1,), (1,)), ((), (2,))]


def test_nothing_moves_without_a_clear_margin_or_a_one_to_one_neighbour():
    beads = [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,))]
    member = [(2, "source", 2)]
    # the English 1 fits both sources alike: the alignment stands
    assert reshift(beads, member, _cosine({(2, 1): 0.805, (1, 1): 0.8}), 0.01) == beads
    # a member that is not at the edge facing the neighbour
    assert reshift(beads, [(2, "source", 3)], _cosine({(3, 1): 0.9, (1, 1): 0.8}), 0.01) == beads
    # the neighbour is a null bead or a merge
    assert reshift([((1,), ()), ((2, 3), (0,))], [(1, "source", 2)], _cosine({}), 0.01) == \
        [((1,), ()), ((2, 3), (0,))]
    merged = [((0, 1), (0,)), ((2, 3), (1,))]
    assert reshift(merged, [(1, "source", 2)], _cosine({(2, 0): 0.9}), 0.01) == merged
    # a side of two sentences facing two
    wide = [((0,), (0,)), ((1, 2), (1, 2))]
    assert reshift(wide, [(1, "source", 1)], _cosine({(1, 0): 0.9, (0, 0): 0.1}), 0.01) == wide


def test_a_bead_takes_part_in_one_repair_only():
    beads = [((0, 1), (0,)), ((2,), (1,)), ((3, 4), (2,))]
    members = [(0, "source", 1), (2, "source", 3)]
    # both members fit the English of bead 1 better than its own source 2
    out = reshift(beads, members, _cosine({(1, 1): 0.9, (3, 1): 0.95, (2, 1): 0.7}), 0.01)
    assert out == [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3, 4), (2,))]


# the audit: an Indonesian sentence whose English was dropped, aligned one line off
_SRC = ["Bank itu membukukan laba Rp5 triliun.",
        "Bisnis farmasi menyumbang lebih dari 70 persen penjualan Kalbe.",
        "Pertumbuhan ekonomi tahun ini diperkirakan 6,2 persen.",
        "Pada triwulan III pertumbuhan ekonomi diperkirakan 6,3 persen."]
_REF = ["The bank booked a profit of Rp5 trillion.",
        "The economy is expected to grow 6.2 percent this year.",
        "Growth was expected to reach 6.3 percent in the third quarter."]


def _shifted_alignment(monkeypatch):
    """The aligner's answer fixed to the shifted path, with a scorer on hand-made unit vectors."""
    topics = np.eye(4, dtype=np.float32)
    src = topics[[0, 1, 2, 3]]
    ref = np.stack([topics[0], 0.8 * topics[2] + 0.6 * topics[3], topics[3]])  # English 1 is source 2's
    ref[1] /= np.linalg.norm(ref[1])
    src[1] = 0.6 * topics[1] + 0.8 * topics[2]  # source 1 is on the same story
    scorer = BeadScorer(src, ref, _SRC, _REF)
    beads = [((0,), (0,), 0.9), ((1,), (1,), 0.6), ((2, 3), (2,), 0.7)]
    alignment = Alignment(beads=beads, related=True, distances=[0.2, 0.6, 0.5], provenance={}, scorer=scorer)
    monkeypatch.setattr(detect, "align_sentences", lambda *a, **k: alignment)


def _majors(audit):
    return sorted((d.kind, s.side, s.sentence) for d in audit.divergences if d.severity == "major" for s in d.spans
                  if d.kind == "source_only" or s.side == "source")


def test_the_audit_flags_the_dropped_sentence_not_its_neighbour(monkeypatch):
    _shifted_alignment(monkeypatch)
    audit = audit_pair(_SRC, _REF, config=AuditConfig(clause_check=False))
    assert [(b.source, b.reference) for b in audit.beads] == [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]
    assert _majors(audit) == [("source_only", "source", 1)]
    assert audit.provenance["reshifted_members"] == 1
    assert 0.0 <= audit.beads[2].confidence <= 1.0


def test_without_the_repair_the_flags_sit_on_the_wrong_sentences(monkeypatch):
    _shifted_alignment(monkeypatch)
    audit = audit_pair(_SRC, _REF, config=AuditConfig(clause_check=False, shift_min_gain=None))
    assert [(b.source, b.reference) for b in audit.beads] == [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,))]
    assert _majors(audit) == [("number_mismatch", "source", 1), ("source_only", "source", 2)]
    assert audit.provenance["reshifted_members"] == 0


def test_only_body_sentences_are_re_paired(monkeypatch):
    from types import SimpleNamespace

    _shifted_alignment(monkeypatch)
    source = [SimpleNamespace(text=t, role="body") for t in _SRC]
    source[2] = SimpleNamespace(text=_SRC[2], role="byline")
    audit = audit_pair(source, _REF, config=AuditConfig(clause_check=False))
    assert [(b.source, b.reference) for b in audit.beads] == [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,))]
    assert audit.provenance["reshifted_members"] == 0
