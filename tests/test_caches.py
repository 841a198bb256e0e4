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
    assert second.documents[0].audit == first.documents[0].audit
    assert second.provenance["audit"]["embeddings_computed"] == 0
    assert not second.provenance["audit"]["embedder_loaded"]


def test_audit_cache_key_covers_both_sides_the_signal_and_the_settings():
    from mteval.caches.audits import AuditCache
    from mteval.documents.segment import Sentence
    from mteval.pair_audit.auditor import PairAuditor
    from mteval.pair_audit.divergences.detect import AuditConfig

    auditor = PairAuditor(embedder=CountingEmbedder())
    source, reference = [Sentence("Satu."), Sentence("Dua.")], [Sentence("One."), Sentence("Two.")]

    def key(auditor, source, reference, mt=None, languages=("id", "en")):
        return AuditCache.key(auditor._key_payload(source, reference, mt, languages))

    base = key(auditor, source, reference)
    assert base == key(PairAuditor(embedder=CountingEmbedder()), list(source), list(reference))
    assert base != key(auditor, source, reference[:-1])
    assert base != key(auditor, source, [Sentence("One.", "byline"), reference[1]])
    assert base != key(auditor, source, reference, ["x", "y"])
    assert base != key(auditor, source, reference, languages=("ms", "en"))
    assert base != key(PairAuditor(embedder=CountingEmbedder(), config=AuditConfig(band_width=20)), source, reference)


def test_corrupt_audit_cache_is_reported(tmp_path):
    from mteval.caches.audits import AuditCache

    path = tmp_path / "audits.sqlite"
    path.write_bytes(b"junk" * 100)
    with pytest.raises(CacheError, match="audits.sqlite"):
        AuditCache(path).get("k")
    assert path.read_bytes() == b"junk" * 100


def test_a_cache_another_process_holds_is_not_called_damaged(tmp_path, monkeypatch):
    """A locked cache is sound: the sentence says so, and does not advise moving it away."""
    import sqlite3

    import mteval.caches.store as store

    path = tmp_path / "translations.sqlite"
    first = store.KeyValueStore(path, what="translation cache")
    first.put_many([("k", "v")])
    first.close()
    monkeypatch.setattr(store, "_LOCK_WAIT_S", 0.05)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")  # as another process writing its batch
    try:
        with pytest.raises(CacheError, match="locked by another process") as err:
            store.KeyValueStore(path, what="translation cache").get_many(["k"])
        assert "move it away" not in str(err.value)
    finally:
        holder.rollback()
        holder.close()
    assert store.KeyValueStore(path, what="translation cache").get_many(["k"]) == {"k": "v"}


def _damage(path, value):
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute("UPDATE entries SET value = ?", (value,))
    connection.commit()
    connection.close()


@pytest.mark.parametrize("value", ["{bad", "[1, 2]"])
def test_a_damaged_audit_entry_is_one_sentence(tmp_path, value):
    from mteval.caches.audits import AuditCache
    from mteval.pair_audit.records import Audit

    cache = AuditCache(tmp_path / "audits.sqlite")
    cache.put("k", Audit(beads=[], divergences=[], related=True))
    _damage(tmp_path / "audits.sqlite", value)
    with pytest.raises(CacheError, match="audit cache holds a damaged entry"):
        AuditCache(tmp_path / "audits.sqlite").get("k")


def test_damaged_embedding_and_translation_entries_are_one_sentence(tmp_path):
    from mteval.caches.translations import TranslationCache

    CachingEmbedder(CountingEmbedder(), store_path=tmp_path / "e.sqlite").encode(["a"])
    _damage(tmp_path / "e.sqlite", b"abc")  # a vector cut short
    with pytest.raises(CacheError, match="embedding cache holds a damaged entry"):
        CachingEmbedder(CountingEmbedder(), store_path=tmp_path / "e.sqlite").encode(["a"])
    TranslationCache(tmp_path / "t.sqlite").put_many("m", "s", {"satu": "one"})
    _damage(tmp_path / "t.sqlite", b"\x00\xff")
    with pytest.raises(CacheError, match="translation cache holds a damaged entry"):
        TranslationCache(tmp_path / "t.sqlite").get_many("m", "s", ["satu"])


def test_the_audit_code_digest_covers_every_lower_module_the_detection_reads():
    """A change to the CLDR tables or script ranges changes divergences, so it must change the cache key too."""
    import ast
    from importlib import resources

    from mteval.pair_audit import auditor

    read = set()
    for package in ("mteval.pair_audit.align", "mteval.pair_audit.divergences"):
        for entry in resources.files(package).iterdir():
            if entry.name.endswith(".py"):
                for node in ast.walk(ast.parse(entry.read_text(encoding="utf-8"))):
                    if isinstance(node, ast.ImportFrom) and node.module == "mteval.documents":
                        read |= {alias.name for alias in node.names}
                    elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mteval.documents."):
                        read.add(node.module.rsplit(".", 1)[1])
    assert read and {f"{name}.py" for name in read} <= {name for _, name in auditor._AUDIT_MODULES}
    before = auditor.aligner_code_digest()
    auditor.aligner_code_digest.cache_clear()
    original = auditor._AUDIT_MODULES
    try:
        auditor._AUDIT_MODULES = original[:1]
        assert auditor.aligner_code_digest() != before
    finally:
        auditor._AUDIT_MODULES = original
        auditor.aligner_code_digest.cache_clear()
    assert auditor.aligner_code_digest() == before
