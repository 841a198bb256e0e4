"""Bad input, MT three-way checks, extraction and embedder errors (no real model needed)."""
from __future__ import annotations

import numpy as np
import pytest

from _audit_fixtures import HashEmbedder
from mteval.pair_audit.align.sentences import (RELATED_MAX_MEDIAN_DISTANCE, RELATED_MAX_QUARTILE_DISTANCE,
                                               align_sentences)
from mteval.pair_audit.embedders import SentenceTransformerEmbedder
from mteval.pair_audit.divergences.detect import audit_pair
from mteval.pair_audit.divergences.extract import extract
from mteval.errors import ModelUnavailableError
from mteval.documents.segment import Sentence

EN = ["The minister met farmers in Bogor on Monday.", "Rice prices rose by 12 percent in March.",
      "Officials expect the harvest to improve next year.", "Exports to Japan fell sharply.",
      "The central bank kept its rate at 6 percent.", "Fishermen protested near the harbour."]
UNRELATED = ["Glaciers in the Alps are retreating quickly.", "The climbers reached the summit at dawn.",
             "A storm forced the expedition back to camp.", "Snow covered the northern ridge for weeks.",
             "Porters carried supplies across the valley.", "The photographs were published in Zurich."]


def S(texts, role="body"):
    return [Sentence(t, role) for t in texts]


def _check_partition(beads, n, m):
    assert [i for b in beads for i in b.source] == list(range(n))
    assert [j for b in beads for j in b.reference] == list(range(m))


def test_empty_side():
    a = audit_pair([], S(EN), embedder=HashEmbedder())
    assert not a.related
    assert [d.kind for d in a.divergences] == ["reference_only"] * len(EN)
    b = audit_pair(S(EN), [], embedder=HashEmbedder())
    assert [d.kind for d in b.divergences] == ["source_only"] * len(EN)
    c = audit_pair([], [], embedder=HashEmbedder())
    assert c.beads == [] and not c.related


def test_identical_documents_align_one_to_one():
    a = audit_pair(S(EN), S(EN), embedder=HashEmbedder())
    assert a.related
    assert [(b.source, b.reference) for b in a.beads] == [((i,), (i,)) for i in range(len(EN))]
    assert not [d for d in a.divergences if d.severity == "major"]


def test_unrelated_pair_is_reported_not_forced():
    a = audit_pair(S(EN), S(UNRELATED), embedder=HashEmbedder())
    assert a.related is False
    assert all(not (b.source and b.reference) for b in a.beads)
    _check_partition(a.beads, len(EN), len(UNRELATED))


def _loose_adaptation(translated_every: int | None, n: int = 12):
    """Random sentence vectors; the reference translates every ``translated_every``-th sentence and
    rewrites the rest (vectors unrelated to the source), or rewrites everything (``None``)."""
    rng = np.random.default_rng(1)
    es = rng.normal(size=(n, 64)).astype(np.float32)
    er = rng.normal(size=(n, 64)).astype(np.float32)
    kept = np.zeros(n, bool) if translated_every is None else np.arange(n) % translated_every == 0
    er[kept] = es[kept] + 0.05 * rng.normal(size=(int(kept.sum()), 64))
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    er /= np.linalg.norm(er, axis=1, keepdims=True)
    al = align_sentences([f"s{k}" for k in range(n)], [f"r{k}" for k in range(n)],
                         source_embeddings=es, reference_embeddings=er)
    return al, np.flatnonzero(kept)


def test_a_loose_adaptation_is_related_though_most_of_it_is_rewritten():
    # a third of the sentences translated: the median bead is no closer than unrelated text, its closest
    # quarter is, and the translated sentences stay aligned to each other
    al, kept = _loose_adaptation(3)
    assert al.provenance["median_bead_distance"] > RELATED_MAX_MEDIAN_DISTANCE
    assert al.provenance["first_quartile_bead_distance"] <= RELATED_MAX_QUARTILE_DISTANCE
    assert al.related
    assert all(((int(k),), (int(k),)) in [(s, r) for s, r, _ in al.beads] for k in kept)
    # nothing translated: unrelated, every sentence on its own
    unrelated, _ = _loose_adaptation(None)
    assert not unrelated.related and all(not (s and r) for s, r, _ in unrelated.beads)


def test_wrong_language_side_does_not_crash():
    wrong = ["Menteri bertemu petani di Bogor pada Senin.", "Harga beras naik 12 persen pada Maret."]
    a = audit_pair(S(EN), S(wrong), embedder=HashEmbedder())
    _check_partition(a.beads, len(EN), len(wrong))
    assert isinstance(a.related, bool)


def test_large_document_with_fake_embeddings():
    n = 5000
    rng = np.random.default_rng(0)
    es = rng.normal(size=(n, 128)).astype(np.float32)
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    er = es + 0.03 * rng.normal(size=es.shape).astype(np.float32)
    texts = [f"s{k}" for k in range(n)]
    al = align_sentences(texts, texts, source_embeddings=es, reference_embeddings=er)
    assert al.related
    assert sum(1 for s, r, _ in al.beads if s == r and len(s) == 1) > 0.95 * n


def test_three_way_mt_checks():
    from mteval.systems.mt_checks import mt_errors

    src = S(["Harga beras naik 12 persen pada Maret.", "Menteri Budi Santoso bertemu petani di Bogor."])
    ref = S(["Rice prices rose in March.", "The minister met farmers in Bogor."])
    mt = ["Rice prices rose by 12 percent in March.", "Minister Andi Wijaya met farmers in Bogor."]
    good = ["Rice prices rose 12 percent in March.", "Minister Budi Santoso met farmers in Bogor."]
    emb = HashEmbedder()
    a = audit_pair(src, ref, embedder=emb, source_embeddings=emb.encode(good), reference_embeddings=emb.encode([s.text for s in ref]))
    assert not any(d.kind.startswith("mt_") for d in a.divergences)  # the pair audit checks no system
    errors = mt_errors(a, src, ref, mt, system="x")
    # 12 percent: in source and MT, not in the reference -> not an MT error
    assert not any(e.evidence.get("item") == "num:12" for e in errors)
    assert "mt_entity_error" in {e.kind for e in errors} and all(e.system == "x" for e in errors)
    mt2 = ["Rice prices rose by 15 percent in March.", "Minister met farmers in Bogor."]
    assert "mt_number_error" in {e.kind for e in mt_errors(a, src, ref, mt2, system="y")}
    assert mt_errors(a, src, ref, good, system="z") == []
    with pytest.raises(Exception):
        audit_pair(src, ref, mt=["only one line"], embedder=emb)


def test_mt_checks_into_another_script():
    """English into Chinese: the date, the figures and the counted companies are kept in Chinese writing; the
    Latin name written in Chinese characters and the ordinal word are not errors; a changed figure still is."""
    from mteval.systems.mt_checks import mt_errors

    src = S(["Premier Li Keqiang said on March 5, 2025 that 1,200 firms grew 5.3 percent for the first time."])
    ref = S(["李克强总理2025年3月5日表示，1200家企业首次增长5.3%。"])
    good = ["李克强总理在2025年3月5日说，１２００家公司首次增长了５．３％。"]
    emb = HashEmbedder()
    a = audit_pair(src, ref, embedder=emb, source_embeddings=emb.encode(good),
                   reference_embeddings=emb.encode([s.text for s in ref]))
    assert mt_errors(a, src, ref, good, system="zh", source_lang="en", reference_lang="zh") == []
    changed = ["李克强总理在2025年3月5日说，1300家公司首次增长了5.3%。"]
    errors = mt_errors(a, src, ref, changed, system="zh", source_lang="en", reference_lang="zh")
    assert [e.kind for e in errors] == ["mt_number_error"] and errors[0].evidence["item"] == "num:1200"


def test_dates_ordinals_weekdays_both_languages():
    id_items = {it.key for it in extract("debat kelima pada Minggu, 4 Februari 2024")}
    en_items = {it.key for it in extract("the fifth debate on Sunday, February 4, 2024")}
    assert id_items == en_items == {"ord:5", "day:7", "date:2024-02-04"}
    # a scale word scales the number (see tests/test_divergence_numbers.py)
    assert {it.key for it in extract("204,8 juta", "id")} == {it.key for it in extract("204.8 million", "en")} \
        == {"num:204800000"}
    assert "ord:last" in {it.key for it in extract("the last debate")}


def test_missing_sentence_transformer_model_raises_clear_error():
    emb = SentenceTransformerEmbedder("/nonexistent/labse-model")
    with pytest.raises(ModelUnavailableError) as err:
        emb.encode(["hello"])
    assert "--embedder" in str(err.value)


def test_sentence_transformer_version_is_known_before_loading(monkeypatch):
    """The audit and embedding caches key on the version: one that changed on loading made every warm run miss."""
    import sys
    import types

    import numpy as np

    fake = types.ModuleType("sentence_transformers")

    class SentenceTransformer:  # stands in for the package, which is not installed here
        def __init__(self, name, device="cpu"):
            pass

        def encode(self, texts, **kwargs):
            return np.ones((len(texts), 4), dtype=np.float32)

    fake.SentenceTransformer, fake.__version__ = SentenceTransformer, "9.9"
    monkeypatch.setitem(sys.modules, "sentence_transformers", fake)
    emb = SentenceTransformerEmbedder("some/labse")
    before = emb.version
    emb.encode(["hello"])
    assert emb.loaded and emb.version == before and before.startswith("sentence-transformers")
