import numpy as np
import pytest

from mteval.caches.embeddings import CachingEmbedder
from mteval.errors import CacheError


class CountingEmbedder:
    name, version, prefix = "fake", "1", "passage"

    def __init__(self):
        self.calls = []

    def encode(self, texts):
        self.calls.append(list(texts))
        rng = np.random.default_rng(len(self.calls))
        return rng.normal(size=(len(texts), 4)).astype(np.float32)


def test_second_run_reaches_no_model(tmp_path):
    texts = ["a", "b", "a", "c"]
    first = CachingEmbedder(CountingEmbedder(), store_path=tmp_path / "e.sqlite")
    vectors = first.encode(texts)
    assert first.inner.calls == [["a", "b", "c"]]  # duplicates embedded once
    np.testing.assert_array_equal(vectors[0], vectors[2])
    second = CachingEmbedder(CountingEmbedder(), store_path=tmp_path / "e.sqlite")
    np.testing.assert_array_equal(second.encode(texts), vectors)
    assert second.inner.calls == []
    third = CachingEmbedder(CountingEmbedder(), store_path=tmp_path / "e.sqlite")
    third.encode(["c", "d"])
    assert third.inner.calls == [["d"]]


def test_corrupt_embedding_cache_is_kept(tmp_path):
    path = tmp_path / "e.sqlite"
    path.write_bytes(b"junk" * 100)
    with pytest.raises(CacheError, match="e.sqlite"):
        CachingEmbedder(CountingEmbedder(), store_path=path).encode(["a"])
    assert path.read_bytes() == b"junk" * 100


def test_audit_cache_returns_the_same_audit_and_keys_on_inputs(example_dir, tmp_path):
    from mteval.caches.audits import AuditCache
    from mteval.documents.loaders import load_directory
    from mteval.pipeline.run import EvaluationSettings, evaluate_corpus

    corpus = load_directory(example_dir)
    settings = EvaluationSettings(n_bootstrap=0, audit_cache=tmp_path / "audits.sqlite",
                                  embedding_cache=tmp_path / "emb.sqlite")
    first = evaluate_corpus(corpus, settings=settings)
    assert len(AuditCache(tmp_path / "audits.sqlite")._store) == 1
    second = evaluate_corpus(corpus, settings=settings)
    assert second.documents[0]["audit"] == first.documents[0]["audit"]
    assert second.provenance["audit"]["embeddings_computed"] == 0
    doc = corpus.documents[0]
    source, reference = doc.source_sentences(), doc.reference_sentences()
    assert AuditCache.key(source, reference, None, None) != AuditCache.key(source, reference[:-1], None, None)
    assert AuditCache.key(source, reference, None, None) != AuditCache.key(source, reference, ["x"] * len(source), None)


def test_corrupt_audit_cache_is_reported(tmp_path):
    from mteval.caches.audits import AuditCache

    path = tmp_path / "audits.sqlite"
    path.write_bytes(b"junk" * 100)
    with pytest.raises(CacheError, match="audits.sqlite"):
        AuditCache(path).get("k")
    assert path.read_bytes() == b"junk" * 100
