"""The pieces behind the hostile-input guarantees, one by one (no model, no CLI)."""
from __future__ import annotations

import errno
import json
import math
import os
import re
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from mteval.documents.doc_ids import check_doc_id, file_name_for
from mteval.documents.overlong import MAX_SENTENCE_CHARS, overlong_warning, split_overlong
from mteval.documents.segment import Sentence, split_document
from mteval.errors import CacheError, InputError, OutputError
from mteval.output_files import refuse_inputs, write_text

WORDS = ("kementerian komunikasi dan informatika mengkoordinasikan platform media sosial untuk lebih "
         "menguatkan layanannya mengingat pemilu semakin dekat").split()


def _prose(n_words: int, punctuation: str = "") -> str:
    return " ".join(WORDS[i % len(WORDS)] + (punctuation if i % 17 == 16 else "") for i in range(n_words))


# -- overlong sentences ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [_prose(30_000), _prose(30_000, ","), "x" * 25_000, "é" * 3000 + " " + "a" * 3000])
def test_overlong_pieces_cover_the_text_within_the_limit(text):
    sentence = Sentence(text, "body", 10, 10 + len(text), 3)
    pieces = split_overlong([sentence])
    assert all(0 < len(p.text) <= MAX_SENTENCE_CHARS for p in pieces)
    assert all(p.role == "body" and p.paragraph == 3 for p in pieces)
    document = " " * 10 + text
    assert all(document[p.start : p.end] == p.text for p in pieces)
    assert "".join(p.text for p in pieces).replace(" ", "") == text.replace(" ", "")


def test_overlong_cut_prefers_clause_boundaries_and_keeps_short_sentences():
    text = _prose(3000, ",")
    pieces = split_overlong([Sentence(text, "body", 0, len(text))])
    assert all(p.text.endswith(",") for p in pieces[:-1])
    short = [Sentence("Pendek.", "body", 0, 7)]
    assert split_overlong(short) == short
    assert overlong_warning(short, what="doc") is None
    warning = overlong_warning([Sentence(text, "body", 0, len(text))], what="document 'd', source side")
    assert warning.startswith("document 'd', source side: 1 sentence longer than 1,000 characters")


def test_segmentation_of_a_long_line_still_finds_every_sentence():
    line = " ".join(f"Kalimat nomor {i} ditulis oleh B.J. Habibie." for i in range(3000))
    sentences = split_document(line, "id")
    assert len(sentences) == 3000 and sentences[-1].text == "Kalimat nomor 2999 ditulis oleh B.J. Habibie."


def test_document_pair_cuts_overlong_sentences_and_says_so():
    from mteval.documents.corpus import DocumentPair

    doc = DocumentPair.from_texts("d", _prose(2000), "A short reference.")
    assert len(doc.source_sentences()) > 1
    assert [w.split(":")[0] for w in doc.segmentation_warnings()] == ["document 'd', source side"]
    parallel = DocumentPair.from_texts("p", _prose(2000), "x", line_parallel=True)
    assert len(parallel.source_sentences()) == 1 and parallel.segmentation_warnings() == []


# -- document ids -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id,fragment", [("", "empty"), ("a\x00b", "U+0000"), ("a\nb", "U+000A"),
                                             ("x" * 10_000, "10,000 characters"), ("a\x9bb", "U+009B")])
def test_ids_that_are_not_names(doc_id, fragment):
    with pytest.raises(InputError, match=re.escape(fragment)):
        check_doc_id(doc_id, "here")


@pytest.mark.parametrize("doc_id", ["../x", "/etc/passwd", "a\\b", "..", ".", "z" * 252])
def test_ids_that_are_not_file_names(doc_id):
    with pytest.raises(InputError, match="outputs are looked up as <id>.txt inside the directory only"):
        file_name_for(doc_id, "hyps", "s")


def test_a_plain_id_is_a_file_name():
    assert file_name_for("berita-2024 (1)", "hyps", "s") == "berita-2024 (1).txt"


# -- atomic writes ----------------------------------------------------------------------------------------


def test_failed_rename_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "results.json"
    target.write_text("old\n")

    def refuse(*args):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError, match="results.json: cannot write the file"):
        write_text(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_text(tmp_path / "a.txt", "x")
    assert list(tmp_path.iterdir()) == []


def test_write_keeps_the_mode_and_replaces_a_link_instead_of_writing_through_it(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_text(target, "new")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(elsewhere)
    write_text(link, "new")
    assert elsewhere.read_text() == "keep" and not link.is_symlink() and link.read_text() == "new"


def test_an_output_may_not_be_an_input_under_another_name(tmp_path):
    source = tmp_path / "doc.txt"
    source.write_text("x")
    os.link(source, tmp_path / "hard.txt")
    (tmp_path / "soft.txt").symlink_to(source)
    for name in ("doc.txt", "hard.txt", "soft.txt"):
        with pytest.raises(OutputError, match="would overwrite the input"):
            refuse_inputs([("-o", tmp_path / name)], [source])
    refuse_inputs([("-o", tmp_path / "new.txt")], [source, None, tmp_path / "missing"])


# -- the store ----------------------------------------------------------------------------------------------


def test_store_refuses_a_database_with_an_entries_table_of_another_shape(tmp_path):
    from mteval.caches.store import KeyValueStore

    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE entries (id INTEGER, blob TEXT, extra TEXT)")
    before = path.read_bytes()
    with pytest.raises(CacheError, match="not an mteval translation cache"):
        KeyValueStore(path, what="translation cache").put_many([("a", "b")])
    assert path.read_bytes() == before


def test_store_creates_itself_in_an_empty_file_and_reopens(tmp_path):
    from mteval.caches.store import KeyValueStore

    path = tmp_path / "new.sqlite"
    path.touch()
    store = KeyValueStore(path, what="cache")
    store.put_many([("a", "1")])
    store.close()
    assert KeyValueStore(path, what="cache").get_many(["a", "b"]) == {"a": "1"}


def test_embeddings_are_committed_batch_by_batch(tmp_path):
    from mteval.caches.embeddings import CachingEmbedder

    class FailsOnSecondBatch:
        name, version, prefix = "fake", "1", "passage"
        calls = 0

        def encode(self, texts):
            self.calls += 1
            if self.calls == 2:
                raise KeyboardInterrupt
            return np.ones((len(texts), 4), dtype=np.float32)

    texts = [f"kalimat {i} " + "x" * 990 for i in range(120)]  # about 120,000 characters: several batches
    with pytest.raises(KeyboardInterrupt):
        CachingEmbedder(FailsOnSecondBatch(), store_path=tmp_path / "e.sqlite").encode(texts)
    again = CachingEmbedder(FailsOnSecondBatch(), store_path=tmp_path / "e.sqlite")
    again.inner.calls = 2  # any further call succeeds
    again.encode(texts)
    assert 0 < again.stats["embedded"] < len(texts)  # the first batch came from the cache


# -- results validation ---------------------------------------------------------------------------------------


def _minimal_results() -> dict:
    score = {"metric": "bleu", "score": 1.0, "signature": "nrefs:1", "n_segments": 1}
    return {
        "schema": "mteval.results", "schema_version": 2, "provenance": {"corpus_fingerprint": "f"},
        "corpus": {"s": {"whole": {"bleu": score}, "parallel": {}}},
        "documents": [{"doc_id": "d", "source_lang": "id", "reference_lang": "en",
                       "source_sentences": [{"text": "a"}], "reference_sentences": [{"text": "b"}],
                       "audit": {"beads": [{"source": [0], "reference": [0]}], "divergences": []},
                       "systems": {"s": {"translations": ["x"], "mt_errors": [], "scores": {}}},
                       "segments": [{"bead": 0, "source_ids": [0], "reference_ids": [0], "role": "body",
                                     "parallel": True, "source": "a", "reference": "b",
                                     "hypotheses": {"s": "x"}, "scores": {"s": {"bleu": 1.0}}}]}],
        "skipped": [], "significance": None,
    }


@pytest.mark.parametrize("path,value,fragment", [
    (("corpus",), [], "'results.corpus' should be an object, not list"),
    (("corpus", "s", "whole", "bleu", "score"), "1", "'corpus.s.whole.bleu.score' should be a number, not str"),
    (("corpus", "s", "whole", "bleu", "score"), True, "should be a number, not a boolean"),
    (("corpus", "s", "whole", "bleu", "score"), float("nan"), "'corpus.s.whole.bleu.score' is nan, not a finite"),
    (("provenance",), None, "'results.provenance' is missing"),
    (("documents",), ["d"], "'results.documents[0]' should be an object"),
    (("documents", 0, "segments", 0, "reference_ids"), [1], "names sentence 1, but the document has 1"),
    (("documents", 0, "segments", 0, "hypotheses"), {"s": 3}, "'documents[0].segments[0].hypotheses.s' should be a string"),
    (("skipped",), [{"stage": "comet"}], "'skipped[0].reason' is missing"),
    (("significance",), {"whole": []}, "'significance.whole' should be an object"),
])
def test_results_of_the_wrong_shape_are_named_in_one_sentence(path, value, fragment):
    from mteval.results.records import Results

    data = _minimal_results()
    Results.from_dict(json.loads(json.dumps(data)), source="r.json")  # the minimal file itself is fine
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InputError, match=re.escape(fragment)):
        Results.from_dict(data, source="r.json")


# -- TER and streaming ----------------------------------------------------------------------------------------


def test_bounded_ter_is_sacrebleu_below_its_limit_and_pieces_above():
    from sacrebleu.metrics import TER

    from mteval.metrics.bounded_ter import MAX_TER_WORDS, BoundedTER, piecewise_edits

    hyp, ref = _prose(300), _prose(280)
    ours, theirs = BoundedTER(), TER()
    assert ours.corpus_score([hyp], [[ref]]).score == theirs.corpus_score([hyp], [[ref]]).score
    assert str(ours.get_signature()) == str(theirs.get_signature()) and ours.capped_segments == 0
    long_hyp, long_ref = _prose(MAX_TER_WORDS * 3), _prose(MAX_TER_WORDS * 3 + 10)
    score = ours.corpus_score([long_hyp], [[long_ref]])
    assert ours.capped_segments == 1
    assert score.num_edits == piecewise_edits(long_hyp.split(), long_ref.split())
    assert score.ref_length == len(long_ref.split())
    assert piecewise_edits(["a"] * 5000, []) == 5000


def test_a_ter_scored_in_pieces_is_not_signed_as_sacrebleu_s(tmp_path):
    from mteval.metrics.bounded_ter import MAX_TER_WORDS
    from mteval.metrics.streaming import score_files

    (tmp_path / "h.txt").write_text(f"short line\n{_prose(MAX_TER_WORDS + 50)}\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text(f"a short line\n{_prose(MAX_TER_WORDS + 40)}\n", encoding="utf-8")
    streamed = score_files(hypotheses=tmp_path / "h.txt", references=tmp_path / "r.txt", metrics=["ter", "bleu"])
    assert streamed.scores["ter"].signature.endswith("|pieces:1000") and streamed.notes
    assert "pieces" not in streamed.scores["bleu"].signature


def test_streamed_scores_equal_the_in_memory_scores(tmp_path, monkeypatch):
    import mteval.metrics.streaming as streaming
    from mteval.metrics.lexical import score_corpus

    rng = np.random.default_rng(0)
    hyps = [" ".join(rng.choice(WORDS, size=rng.integers(1, 12))) for _ in range(230)]
    refs = [" ".join(rng.choice(WORDS, size=rng.integers(1, 12))) for _ in range(230)]
    hyps[7] = ""
    (tmp_path / "h.txt").write_bytes(("\ufeff" + "\n".join(hyps) + "\n").encode("utf-8"))
    (tmp_path / "r.txt").write_text("\r\n".join(refs), encoding="utf-8")
    monkeypatch.setattr(streaming, "CHUNK_LINES", 50)  # several chunks
    monkeypatch.setattr(streaming, "_RESAMPLE_CELLS", 230 * 7)  # several rows of resamples at a time
    streamed = streaming.score_files(hypotheses=tmp_path / "h.txt", references=tmp_path / "r.txt", n_bootstrap=100)
    whole = score_corpus(hypotheses=hyps, references=refs, n_bootstrap=100)
    assert streamed.n_segments == 230 and streamed.notes == []
    for name, score in whole.items():
        mine = streamed.scores[name]
        assert (mine.score, mine.ci_low, mine.ci_high, mine.signature) == (score.score, score.ci_low, score.ci_high,
                                                                           score.signature)


@pytest.mark.parametrize("hyp,ref,fragment", [
    (b"a\nb\n", b"a\n", "has 2 lines but"),
    (b"a\n\xff\n", b"a\nb\n", "not valid UTF-8 (byte 0xff at offset 2)"),
    (b"  \n\n", b"a\nb\n", "holds only blank lines, spaces or invisible characters"),
    ("\u200b\n\u200b\n".encode(), b"a\nb\n", "holds only blank lines, spaces or invisible characters"),
    ("\u200e\n\u00ad\n".encode(), b"a\nb\n", "holds only blank lines, spaces or invisible characters"),
    (b"", b"a\nb\n", "the file is empty"),
])
def test_streamed_files_are_checked_like_read_lines(tmp_path, hyp, ref, fragment):
    from mteval.metrics.streaming import score_files

    (tmp_path / "h.txt").write_bytes(hyp)
    (tmp_path / "r.txt").write_bytes(ref)
    with pytest.raises(InputError, match=re.escape(fragment)):
        score_files(hypotheses=tmp_path / "h.txt", references=tmp_path / "r.txt")


def test_gate_refuses_what_cannot_be_compared():
    from mteval.gate import check_regression
    from mteval.results.records import Results

    base = Results.from_dict(_minimal_results())
    assert check_regression(base, base).passed
    nan = _minimal_results()
    nan["corpus"]["s"]["whole"]["bleu"]["score"] = math.nan
    with pytest.raises(InputError, match="not a finite number"):
        check_regression(base, Results.from_dict(nan))
    for alpha in (0, 1, -1, math.nan):
        with pytest.raises(InputError, match="--alpha"):
            check_regression(base, base, alpha=alpha)
