"""Null beads where content is really one-sided; real merges stay merged (controlled embeddings)."""
from __future__ import annotations

import numpy as np

from mteval.documents.segment import Sentence
from mteval.pair_audit.align.signals import BeadScorer, SignalWeights
from mteval.pair_audit.divergences.detect import AuditConfig, audit_pair

N = 8


def unit(v):
    return v / np.linalg.norm(v)


def base_vectors(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(64, 64)))
    return q[:N + 2].astype(np.float32)  # orthonormal: sentence k of the source is q[k]


def texts(n: int, side: str) -> list[Sentence]:
    return [Sentence(f"{side} sentence {chr(97 + k)} about the weather") for k in range(n)]


def run(src_vecs, ref_vecs, weights=None):
    return audit_pair(texts(len(src_vecs), "source"), texts(len(ref_vecs), "reference"),
                      source_embeddings=np.asarray(src_vecs, np.float32),
                      reference_embeddings=np.asarray(ref_vecs, np.float32),
                      config=AuditConfig(weights=weights or SignalWeights()))


def related_insertion(q):
    """The reference with a sentence inserted after sentence 3, on a related topic (cosine 0.3 with it)."""
    src = [q[k] for k in range(N)]
    noisy = [unit(q[k] + 0.05 * q[N + 1]) for k in range(N)]
    inserted = unit(0.3 * q[3] + 0.95 * q[N])
    return src, noisy[:4] + [inserted] + noisy[4:]


def test_related_insertion_stands_alone_as_reference_only():
    src, ref = related_insertion(base_vectors())
    audit = run(src, ref)
    assert ((), (4,)) in [(b.source, b.reference) for b in audit.beads]
    found = [d for d in audit.divergences if d.kind == "reference_only" and d.severity == "major"]
    assert [s.sentence for d in found for s in d.spans] == [4]


def test_without_the_member_rule_the_insertion_is_absorbed():
    src, ref = related_insertion(base_vectors())
    audit = run(src, ref, SignalWeights(w_member=0.0))
    assert ((3,), (3, 4)) in [(b.source, b.reference) for b in audit.beads]


def test_real_merge_stays_merged():
    q = base_vectors(1)
    src = [q[k] for k in range(N)]
    ref = [unit(q[k] + 0.05 * q[N + 1]) for k in range(2)] + [unit(q[2] + q[3])] + \
          [unit(q[k] + 0.05 * q[N + 1]) for k in range(4, N)]
    audit = run(src, ref)
    assert ((2, 3), (2,)) in [(b.source, b.reference) for b in audit.beads]
    assert not [d for d in audit.divergences if d.severity == "major"]


def test_member_gain_is_negative_only_for_the_unrelated_sentence():
    q = base_vectors(2)
    src = np.stack([q[0], q[1]])
    ref = np.stack([unit(q[0] + q[1]), unit(0.3 * q[0] + 0.95 * q[5])])
    sc = BeadScorer(src, ref, ["a", "b"], ["c", "d"])
    merged = sc.member_gains(2, 1, 2, np.array([1]))  # source 0-1 against reference 0
    assert all(float(g[0]) > 0 for g in merged.values())
    absorbed = sc.member_gains(1, 2, 1, np.array([2]))  # source 0 against reference 0-1
    assert float(absorbed[("r", 1)][0]) < 0 < float(absorbed[("r", 2)][0])


def test_numbers_in_either_spelling_are_shared_anchors():
    from mteval.pair_audit.align.signals import anchor_tokens, number_key

    assert number_key("93,3") == number_key("93.3") == "93.3"
    assert number_key("Rp9.200") == number_key("Rp9,200") == "Rp9200"
    assert number_key("1.250.000") == number_key("1,250,000") == "1250000"
    assert anchor_tokens("naik 93,3 persen menjadi Rp2,35 triliun") == \
        anchor_tokens("rose 93.3 percent to Rp2.35 trillion")


def _dropped_neighbour(source_number: str):
    """Source sentences 2 and 3 both resemble reference sentence 2 (sentence 2 a little more);
    the English translation of sentence 2 was dropped, and only a number tells which one is left."""
    q = base_vectors(3)
    src = [q[0], q[1], unit(q[2] + 0.55 * q[N]), unit(q[2] + 0.45 * q[N] + 0.2 * q[N + 1]), q[4]]
    ref = [unit(q[0] + 0.05 * q[N + 1]), unit(q[1] + 0.05 * q[N + 1]), unit(q[2] + 0.5 * q[N]),
           unit(q[4] + 0.05 * q[N + 1])]
    src_t = ["Harga naik pada hari Senin.", "Pasar ditutup menguat.", "Penjualan naik tajam tahun ini.",
             f"Pendapatan juga naik {source_number} persen.", "Saham bank turun."]
    ref_t = ["Prices rose on Monday.", "The market closed higher.", "Revenue also rose 93.3 percent.",
             "Bank shares fell."]
    audit = audit_pair([Sentence(t) for t in src_t], [Sentence(t) for t in ref_t],
                       source_embeddings=np.asarray(src, np.float32),
                       reference_embeddings=np.asarray(ref, np.float32))
    return [s.sentence for d in audit.divergences if d.kind == "source_only" and d.severity == "major"
            for s in d.spans]


def test_a_decimal_comma_decides_which_sentence_was_dropped():
    assert _dropped_neighbour("93,3") == [2]
    # the same pair with a number that does not match: the embeddings alone pick the other sentence
    assert _dropped_neighbour("94,1") == [3]


def test_absorbed_sentence_found_by_the_plain_cosine_when_length_favours_the_bead():
    from mteval.pair_audit.divergences.detect import _one_sided_member
    from mteval.pair_audit.records import Bead

    q = base_vectors(3)
    # reference 0 translates source 1 and adds background, so it is as long as source 0 and 1 together;
    # source 0 is another sentence of the same story (close to source 1), dropped by the English desk
    src = np.stack([unit(2.0 * q[1] + q[5]), q[1], q[2]])
    ref = np.stack([unit(q[1] + 0.3 * q[6]), q[2]])
    src_t, ref_t = ["x" * 100, "y" * 100, "z" * 100], ["w" * 200, "v" * 100]
    sc = BeadScorer(src, ref, src_t, ref_t)
    bead = Bead((0, 1), (0,), 1.0)
    # the combined distance prefers the bead with it (lengths match), the plain cosine does not
    assert sc.distance(1, 1, 2, np.array([1]))[0] > sc.distance(2, 1, 2, np.array([1]))[0] + 0.02
    found = _one_sided_member(0, bead, "body", sc, src_t, ref_t, AuditConfig())
    assert found is not None and (found.kind, found.severity, found.spans[0].sentence) == ("source_only", "major", 0)
    assert _one_sided_member(0, bead, "body", sc, src_t, ref_t, AuditConfig(drop_cosine_gain=1.0)) is None
    # both halves of a real merge raise the cosine: nothing is one-sided
    merged = np.stack([unit(q[0] + q[1]), q[2]])
    sc = BeadScorer(np.stack([q[0], q[1], q[2]]), merged, src_t, ref_t)
    assert _one_sided_member(0, bead, "body", sc, src_t, ref_t, AuditConfig()) is None


def test_batched_gain_equals_the_gain_of_each_cell():
    """Every signal (length, anchors, roles, MT, member rule, joined windows) is the same whether the
    scorer is asked for one cell or for many cells with different source ends at once."""
    rng = np.random.default_rng(3)
    src_t = ["Harga naik 12 persen di Jakarta.", "Menteri Budi Santoso bertemu petani.", "Baca juga: berita lain",
             "Inflasi 3,5 persen pada Maret.", "BPS mencatat ekspor naik."]
    ref_t = ["Prices rose 12 percent in Jakarta.", "Minister Budi Santoso met farmers.", "Inflation was 3.5 percent.",
             "in March, BPS said.", "Exports rose.", "Read also: other news"]
    es = rng.normal(size=(5, 16)).astype(np.float32)
    er = rng.normal(size=(6, 16)).astype(np.float32)
    sc = BeadScorer(es, er, src_t, ref_t, mt_texts=ref_t[:5],
                    src_roles=["body", "body", "related_link", "body", "body"], ref_roles=["body"] * 5 + ["related_link"])
    for joined in (False, True):
        if joined:
            sc.set_joined({(0, 2): rng.normal(size=16), (3, 5): rng.normal(size=16)},
                          {(2, 4): rng.normal(size=16)})
        for a, b in ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1)):
            cells = [(i, j) for i in range(max(a, 1), 6) for j in range(max(b, 1), 7) if i >= a and j >= b]
            is_ = np.array([i for i, _ in cells])
            js = np.array([j for _, j in cells])
            one_by_one = np.array([sc.gain(a, b, int(i), np.array([j]))[0] for i, j in cells])
            np.testing.assert_allclose(sc.gain(a, b, is_, js), one_by_one, rtol=1e-6, atol=1e-6)


class _FixedScorer:
    """Distances and cosines of the beads ending at ``(i, j)`` as given: ``{(a, b, i, j): (distance, cosine)}``."""

    def __init__(self, table):
        self.table = table

    def distance(self, a, b, i, js):
        return np.array([self.table[(a, b, i, int(js[0]))][0]])

    def cosine(self, a, b, i, js):
        return np.array([self.table[(a, b, i, int(js[0]))][1]])


def test_the_member_reported_is_the_one_whose_removal_raises_the_cosine():
    from mteval.pair_audit.divergences.detect import _one_sided_member
    from mteval.pair_audit.records import Bead

    src_t = ["Tumbuhan Venus pasti telah memiliki kemampuan seperti itu.",
             "Bunga crocus membuka ketika suhu naik hingga mencapai suhu yang menguntungkan."]
    ref_t = ["This plant, since the moment it was created, must have always possessed these features."]
    bead = Bead((0, 1), (0,), 1.0)
    # figures of a PANL-BPPT pair: source 0 is translated (shorter than its English, with a name the
    # English leaves out), source 1 is about something else; both beads without one pass the distance test
    sc = _FixedScorer({(2, 1, 2, 1): (1.379, 0.810), (1, 1, 2, 1): (1.099, 0.789), (1, 1, 1, 1): (1.103, 0.865)})
    found = _one_sided_member(0, bead, "body", sc, src_t, ref_t, AuditConfig())
    assert (found.kind, found.severity, found.spans[0].sentence) == ("source_only", "major", 1)
    # no removal raises the cosine (two halves of one English sentence): the closest bead without one decides
    sc = _FixedScorer({(2, 1, 2, 1): (1.230, 0.869), (1, 1, 2, 1): (1.138, 0.848), (1, 1, 1, 1): (1.240, 0.853)})
    assert _one_sided_member(0, bead, "body", sc, src_t, ref_t, AuditConfig()).spans[0].sentence == 0
    # neither test passes: nothing is one-sided
    sc = _FixedScorer({(2, 1, 2, 1): (0.600, 0.900), (1, 1, 2, 1): (0.900, 0.850), (1, 1, 1, 1): (0.950, 0.840)})
    assert _one_sided_member(0, bead, "body", sc, src_t, ref_t, AuditConfig()) is None


class _PreferEveryCut:
    """An embedder under which the source always matches better without a clause (every candidate is reported)."""

    def encode(self, texts):
        return np.array([[1.0, 0.0], [0.6, 0.8]] + [[1.0, 0.0]] * (len(texts) - 2), dtype=np.float32)


def test_a_clause_needs_three_words_with_letters_and_keeps_its_closing_bracket():
    from mteval.pair_audit.divergences.detect import _dropped_clauses
    from mteval.pair_audit.records import Bead

    def clauses(text):
        source = [Sentence(text)]
        found = _dropped_clauses(0, Bead((0,), (0,), 1.0), source, [text], ["The minister said so."],
                                 _PreferEveryCut(), [])
        return [text[d.spans[0].start:d.spans[0].end] for d in found]

    # a weekday and its date are one word, not three: not a clause the English may drop
    assert clauses("Pertumbuhan ekonomi mencapai lima persen, kata dia di Jakarta, Senin (8/7).") == [
        "Pertumbuhan ekonomi mencapai lima persen"]
    assert clauses("Pertumbuhan ekonomi mencapai lima persen, kata Menteri Keuangan (Menkeu).")[-1] == (
        "kata Menteri Keuangan (Menkeu)")


class _GainOf:
    """An embedder under which the source without a clause is closer to the reference by ``gain`` (cosine)."""

    def __init__(self, gain: float):
        self.gain = gain

    def encode(self, texts):
        closer = 0.8 + self.gain
        rows = [[1.0, 0.0], [0.8, 0.6]] + [[closer, (1.0 - closer ** 2) ** 0.5]] * (len(texts) - 2)
        return np.array(rows, dtype=np.float64)


def test_a_clause_is_reported_only_above_the_minimum_gain():
    from mteval.pair_audit.divergences.detect import AuditConfig, _dropped_clauses
    from mteval.pair_audit.records import Bead

    text = "Pertumbuhan ekonomi mencapai lima persen, kata Menteri Keuangan di Jakarta."
    minimum = AuditConfig().clause_min_gain
    for gain, reported in ((minimum / 2, False), (minimum * 2, True)):
        found = _dropped_clauses(0, Bead((0,), (0,), 1.0), [Sentence(text)], [text], ["The minister said so."],
                                 _GainOf(gain), [], min_gain=minimum)
        assert bool(found) is reported


def test_a_trailing_clause_opened_by_a_subordinating_word_is_a_candidate_without_a_comma():
    from mteval.pair_audit.divergences.detect import _clause_cuts

    text = "Banjir melanda Kabupaten Agam pada Sabtu malam setelah hujan deras mengguyur kawasan itu."
    assert [text[a:e] for a, e, _ in _clause_cuts(text, "id")] == ["setelah hujan deras mengguyur kawasan itu."]
    assert _clause_cuts(text, "id")[0][2] == "Banjir melanda Kabupaten Agam pada Sabtu malam"
    # a language without a list of such words is split at commas only; no language given reads every list
    assert _clause_cuts(text, "xx") == [] and _clause_cuts(text, None) == _clause_cuts(text, "id")
    assert _clause_cuts("Prices rose in May after the rupiah fell.", None)[0][2] == "Prices rose in May"
    # after the last comma only: a subordinating word before it opens no trailing clause
    text = "Karena hujan turun, banjir melanda Agam sejak Sabtu, kata petugas ketika ditemui."
    assert [text[a:e] for a, e, _ in _clause_cuts(text, "id")] == [
        "Karena hujan turun", "kata petugas ketika ditemui.", "ketika ditemui."]
    # a sentence that opens with one: no clause before it to keep
    assert _clause_cuts("Setelah hujan deras turun semalaman banjir melanda Agam.", "id") == []


def _merged_bead_audit(second_source: str):
    """Source 2 and 3 against reference 2, under embeddings of a real merge (both halves raise the
    cosine, so the bead's embeddings call nothing one-sided); only the amounts can tell."""
    q = base_vectors(1)
    src = [q[k] for k in range(5)]
    ref = [unit(q[k] + 0.05 * q[N + 1]) for k in range(2)] + [unit(q[2] + q[3])] + [unit(q[4] + 0.05 * q[N + 1])]
    src_t = ["Harga naik pada hari Senin.", "Pasar ditutup menguat.",
             "Laba bersih perseroan naik 12,5 persen menjadi Rp3,2 triliun.", second_source, "Saham bank turun."]
    ref_t = ["Prices rose on Monday.", "The market closed higher.",
             "The company's net profit rose 12.5 percent to Rp3.2 trillion, with exports at nine million tons.",
             "Bank shares fell."]
    return audit_pair([Sentence(t) for t in src_t], [Sentence(t) for t in ref_t],
                      source_embeddings=np.asarray(src, np.float32), reference_embeddings=np.asarray(ref, np.float32))


def _majors(audit):
    return [(d.kind, [s.sentence for s in d.spans]) for d in audit.divergences if d.severity == "major"]


def test_a_merged_sentence_none_of_whose_amounts_the_other_side_gives_is_one_sided():
    audit = _merged_bead_audit("Penjualan ekspor mencapai 340 juta dolar AS, naik 8 persen.")
    assert ((2, 3), (2,)) in [(b.source, b.reference) for b in audit.beads]
    assert _majors(audit) == [("source_only", [3])]
    found = [d for d in audit.divergences if d.kind == "source_only"][0]
    assert found.evidence["amounts_missing"] == ["340 juta", "8 persen"]


def test_amounts_given_in_words_or_only_dates_missing_leave_a_merge_alone():
    # "9 juta ton" is given as "nine million tons": the sentence is translated
    assert _majors(_merged_bead_audit("Ekspor mencapai 9 juta ton.")) == []
    # a date or a year the English leaves out is no amount ("on Monday", "this year")
    assert _majors(_merged_bead_audit("Kontrak itu ditandatangani pada 13 Agustus 2007.")) == []
    # a sentence without figures: nothing to compare
    assert _majors(_merged_bead_audit("Ekspor juga naik tajam.")) == []


def test_amounts_decide_only_beside_a_sentence_whose_amount_is_given():
    from mteval.pair_audit.divergences.detect import _Extracted, _unconveyed_member
    from mteval.pair_audit.divergences.extract import extract
    from mteval.pair_audit.records import Bead

    src_t = ["Inflasi mencapai 3,5 persen.", "Ekspor naik 340 juta dolar AS."]
    bead = Bead((0, 1), (0,), 1.0)

    def member(ref_text):
        items = _Extracted([extract(t, "id", "en") for t in src_t], [extract(ref_text, "en", "id")])
        return _unconveyed_member(0, bead, "body", src_t, [ref_text], items)

    assert member("Inflation reached 3.5 percent, and exports rose.").spans[0].sentence == 1
    assert member("Exports rose by US$340 million; inflation was high.").spans[0].sentence == 0
    # neither amount given: the English may be about something else, but no sentence stands out
    assert member("Prices rose 7 percent.") is None
    assert member("Inflation reached 3.5 percent and exports rose US$340 million.") is None


def test_amounts_are_asked_before_the_embeddings():
    from types import SimpleNamespace

    from mteval.pair_audit.divergences.detect import _bead_divergences, _Extracted
    from mteval.pair_audit.divergences.extract import extract
    from mteval.pair_audit.records import Bead

    bead = Bead((0, 1), (0,), 1.0)
    # removing source 0 raises the plain cosine most: the embeddings call source 0 one-sided
    al = SimpleNamespace(scorer=_FixedScorer({(2, 1, 2, 1): (1.379, 0.810), (1, 1, 2, 1): (1.099, 0.865),
                                              (1, 1, 1, 1): (1.103, 0.789)}))

    def one_sided(src_t, ref_t):
        items = _Extracted([extract(t, "id", "en") for t in src_t], [extract(t, "en", "id") for t in ref_t])
        out, _ = _bead_divergences(0, bead, src_t, ref_t, src_t, ref_t, al, AuditConfig(), ("id", "en"), None, items)
        return [(d.spans[0].sentence, d.note) for d in out if d.kind == "source_only" and d.severity == "major"]

    src_t = ["Inflasi mencapai 3,5 persen pada Maret.", "Ekspor naik 340 juta dolar AS."]
    assert one_sided(src_t, ["Inflation reached 3.5 percent in March."]) == \
        [(1, "none of the sentence's amounts is on the other side of its bead")]
    # both amounts given: the amounts tell nothing, the embeddings decide
    assert one_sided(src_t, ["Inflation reached 3.5 percent in March, and exports rose US$340 million."]) == \
        [(0, "sentence adds nothing to its bead's match")]
