"""Audit of the real seed pair against its hand annotation (embedded once per session)."""
from __future__ import annotations

import json

import pytest

from _audit_fixtures import GOLD, load_gold, seed_embedder, seed_embeddings, sentences
from mteval.pair_audit.align.scoring import score_alignment, score_divergences
from mteval.pair_audit.divergences.detect import Audit, audit_pair

pytestmark = pytest.mark.skipif(not GOLD.exists(), reason="seed gold not present")


@pytest.fixture(scope="module")
def seed_audit():
    g = load_gold()
    es, er = seed_embeddings()
    return g, audit_pair(sentences(g, "source"), sentences(g, "reference"),
                         source_embeddings=es, reference_embeddings=er, embedder=seed_embedder())


def test_seed_alignment_close_to_gold(seed_audit):
    g, audit = seed_audit
    assert audit.related
    r = score_alignment(audit.beads, g["alignment"])
    assert r["strict"]["f1"] >= 0.9
    assert r["null"]["recall"] == 1.0


def test_every_sentence_level_divergence_found(seed_audit):
    g, audit = seed_audit
    null_src = {i for b in g["alignment"] if not b["reference"] for i in b["source"]}
    null_ref = {j for b in g["alignment"] if not b["source"] for j in b["reference"]}
    found = {(s.side, s.sentence) for d in audit.divergences if d.kind in ("source_only", "reference_only")
             for s in d.spans}
    assert {("source", i) for i in null_src} <= found
    assert {("reference", j) for j in null_ref} <= found
    roles = {(d.spans[0].side, d.spans[0].sentence): d.role for d in audit.divergences}
    assert roles[("source", 4)] == "related_link"


def test_ganjar_span_and_byline_names(seed_audit):
    g, audit = seed_audit
    ganjar = [d for d in audit.divergences if d.kind == "source_only"
              and any(s.sentence == 6 and "Ganjar Pranowo" in s.text for s in d.spans)]
    assert ganjar and all("Mahfud" not in s.text for s in ganjar[0].spans)
    span = ganjar[0].spans[0]
    assert g["source_sentences"][6]["text"][span.start:span.end] == span.text
    ent = [d for d in audit.divergences if d.kind == "entity_mismatch"]
    texts = {s.text for d in ent for s in d.spans}
    assert {"Siti Zulaikha", "Yuni Arisandy Sinaga"} <= texts
    num = [d for d in audit.divergences if d.kind == "number_mismatch"]
    assert any(any("kelima" in s.text for s in d.spans) and any("last" in s.text for s in d.spans) for d in num)


def test_divergence_scores_reported(seed_audit):
    g, audit = seed_audit
    r = score_divergences([d.to_dict() for d in audit.divergences], g["divergences"])
    assert r["all"]["recall"] >= 0.8 and r["all"]["precision"] >= 0.8


def test_json_round_trip_and_parallel_beads(seed_audit):
    _, audit = seed_audit
    again = Audit.from_dict(json.loads(json.dumps(audit.to_dict())))
    assert again.to_dict() == audit.to_dict()
    par = audit.parallel_beads()
    assert par and all(audit.beads[k].source and audit.beads[k].reference for k in par)
    majors = {d.bead for d in audit.divergences if d.severity == "major"}
    assert not majors & set(par)
    assert audit.provenance["embedder"]["name"]


def test_dropped_leading_clause_found_without_new_false_positives(seed_audit):
    g, audit = seed_audit
    clause = [d for d in audit.divergences if d.kind == "source_only" and d.evidence.get("similarity_gain_without")]
    assert any(s.sentence == 2 and s.text == "Jadi kami lakukan koordinasi" for d in clause for s in d.spans)
    assert all(d.severity == "minor" and d.bead is not None for d in clause)
    r = score_divergences([d.to_dict() for d in audit.divergences], g["divergences"])
    assert r["source_only"]["recall"] == 1.0 and r["source_only"]["precision"] == 1.0


def test_clause_check_needs_an_embedder(seed_audit):
    g, _ = seed_audit
    es, er = seed_embeddings()
    plain = audit_pair(sentences(g, "source"), sentences(g, "reference"),
                       source_embeddings=es, reference_embeddings=er)
    assert not [d for d in plain.divergences if d.evidence.get("similarity_gain_without")]
