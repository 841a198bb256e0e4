"""Chunked and streamed runs: the same figures as one in-memory pass, resume after an interruption, lazy reading."""
import copy
import json

import numpy as np
import pytest

from mteval.documents.corpus import Corpus, DocumentPair
from mteval.pipeline.run import evaluate_corpus
from mteval.pipeline.settings import EvaluationSettings
from mteval.results.records import Results
from mteval.results.stream import StreamedDocuments

from _tiny_comet import tiny_comet  # noqa: F401

N_DOCUMENTS = 8


def _paragraphs(example_dir, lang):
    text = (example_dir / f"antara-kominfo-2024.{lang}.txt").read_text("utf-8")
    return [p for p in text.split("\n\n") if p.strip()]


@pytest.fixture(scope="module")
def corpus(example_dir):
    """Eight pairs of paragraphs drawn from the example (its sentences embed once for all); two precomputed systems."""
    source, reference = _paragraphs(example_dir, "id"), _paragraphs(example_dir, "en")
    documents = []
    for n in range(N_DOCUMENTS):
        rng = np.random.default_rng(n)
        src = [source[i] for i in sorted(rng.choice(len(source), 3, replace=False))]
        ref = [reference[i] for i in sorted(rng.choice(len(reference), 3, replace=False))]
        doc = DocumentPair.from_texts(f"doc{n:02d}", "\n\n".join(src), "\n\n".join(ref))
        lines = [s.text for s in doc.source_sentences()]
        doc.systems = {"copy": lines, "shuffled": [" ".join(reversed(line.split())) for line in lines]}
        documents.append(doc)
    return Corpus(documents)


SETTINGS = EvaluationSettings(n_bootstrap=50, n_trials=200)


def _comparable(results: Results) -> dict:
    """Everything but timing, the executor and what the caches saved (a later run finds the embeddings cached)."""
    data = copy.deepcopy(results.to_dict())
    for key in ("timing", "created", "executor"):
        data["provenance"].pop(key)
    for key in ("embedder_loaded", "embeddings_computed", "audits_computed", "audits_from_cache"):
        data["provenance"]["audit"].pop(key)
    return data


@pytest.fixture(scope="module")
def whole(corpus):
    """The corpus in one chunk, in memory: the reference figures."""
    return evaluate_corpus(corpus, settings=SETTINGS, chunk_size=N_DOCUMENTS)


def test_chunked_and_streamed_runs_equal_one_pass(corpus, whole, tmp_path):
    assert len(whole.documents) == N_DOCUMENTS and whole.significance
    chunked = evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3)
    streamed = evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    assert isinstance(streamed.documents, StreamedDocuments)
    assert _comparable(chunked) == _comparable(whole)
    assert _comparable(streamed) == _comparable(whole)
    assert streamed.provenance["executor"] == {"name": "local", "chunk_size": 3, "streamed": True,
                                               "resumed_documents": 0}
    lines = (tmp_path / "results.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == [doc.doc_id for doc in corpus]


def test_interrupted_run_resumes_with_identical_results(corpus, whole, tmp_path, monkeypatch):
    import mteval.executors.local as local

    real, calls = local.run_chunk, []

    def failing(chunk, stages):
        if len(calls) == 2:
            raise KeyboardInterrupt  # as if the run were stopped during its third chunk
        calls.append(chunk.start)
        return real(chunk, stages)

    monkeypatch.setattr(local, "run_chunk", failing)
    with pytest.raises(KeyboardInterrupt):
        evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    assert not (tmp_path / "results.json").exists()
    path = tmp_path / "results.jsonl"
    assert len(path.read_text("utf-8").splitlines()) == 6
    with open(path, "ab") as stream:  # a torn line, as a kill during a write leaves it
        stream.write(b'{"doc_id": "doc06", "sour')
    monkeypatch.setattr(local, "run_chunk", real)
    resumed = evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    assert resumed.provenance["executor"]["resumed_documents"] == 6
    assert _comparable(resumed) == _comparable(whole)
    assert [doc.doc_id for doc in resumed.documents] == [doc.doc_id for doc in corpus]  # none lost or doubled


def test_a_partly_written_chunk_is_done_again(corpus, whole, tmp_path):
    evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    path = tmp_path / "results.jsonl"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:4]), "utf-8")  # chunk 2 only partly there: redone whole, batches unchanged
    resumed = evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    assert resumed.provenance["executor"]["resumed_documents"] == 3
    assert _comparable(resumed) == _comparable(whole)


def test_other_settings_start_afresh(corpus, tmp_path):
    evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    other = EvaluationSettings(n_bootstrap=20, n_trials=200)
    again = evaluate_corpus(corpus, settings=other, chunk_size=3, out=tmp_path)
    assert again.provenance["executor"]["resumed_documents"] == 0
    assert again.corpus["copy"].get("bleu").n_bootstrap == 20
    finished = evaluate_corpus(corpus, settings=other, chunk_size=3, out=tmp_path)  # a finished run: nothing to do
    assert finished.provenance["executor"]["resumed_documents"] == N_DOCUMENTS
    assert _comparable(finished) == _comparable(again)


def test_results_read_the_streamed_documents_lazily(corpus, whole, tmp_path):
    evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    summary = json.loads((tmp_path / "results.json").read_text("utf-8"))
    assert summary["documents_file"] == "results.jsonl" and summary["n_documents"] == N_DOCUMENTS
    read = Results.from_json(tmp_path / "results.json")
    assert isinstance(read.documents, StreamedDocuments) and len(read.documents) == N_DOCUMENTS
    assert read.documents[5].doc_id == "doc05" and read.documents[-1].doc_id == "doc07"
    assert read.document("doc03").segments == whole.document("doc03").segments
    for level in ("document", "bead", "divergence"):
        assert read.to_pandas(level).equals(whole.to_pandas(level))
    # a single self-contained file, written one document at a time, reads back to the same results
    read.to_json(tmp_path / "single.json")
    single = Results.from_json(tmp_path / "single.json")
    assert isinstance(single.documents, list) and single.to_dict() == read.to_dict()


def test_a_damaged_streamed_file_is_one_sentence(corpus, tmp_path):
    from mteval.errors import InputError

    evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    path = tmp_path / "results.jsonl"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:3]) + "not json\n" + "".join(lines[4:]), "utf-8")
    with pytest.raises(InputError, match="has changed since these results were written"):
        list(Results.from_json(tmp_path / "results.json").documents)
    summary = json.loads((tmp_path / "results.json").read_text("utf-8"))
    del summary["documents_sha256"]  # as a results file from before the digest was recorded: the line is named
    (tmp_path / "undigested.json").write_text(json.dumps(summary), "utf-8")
    read = Results.from_json(tmp_path / "undigested.json")
    with pytest.raises(InputError, match="line 4: not valid JSON"):
        list(read.documents)
    (tmp_path / "elsewhere.json").write_text(json.dumps(dict(summary, documents_file="../x.jsonl")))
    with pytest.raises(InputError, match="documents_file"):
        Results.from_json(tmp_path / "elsewhere.json")


def test_documents_another_run_wrote_are_refused(corpus, tmp_path):
    """The documents are read by path: results kept from an earlier run into the same directory must not show
    the later run's documents under their own corpus figures."""
    from mteval.errors import InputError

    first = evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    summary = json.loads((tmp_path / "results.json").read_text("utf-8"))
    assert len(summary["documents_sha256"]) == 64
    (tmp_path / "first.json").write_text(json.dumps(summary), "utf-8")
    read = Results.from_json(tmp_path / "first.json")
    assert read.documents[2].doc_id == "doc02"  # checked once; unchanged, the offsets stay valid
    evaluate_corpus(Corpus(corpus.documents[:5]), settings=SETTINGS, chunk_size=3, out=tmp_path)
    for results in (first, read):
        with pytest.raises(InputError, match="has changed since these results were written"):
            list(results.documents)
        with pytest.raises(InputError, match="has changed"):
            results.documents[0]
    # a results file written before the digest was recorded reads the file as it is
    del summary["documents_sha256"]
    (tmp_path / "older.json").write_text(json.dumps(summary), "utf-8")
    assert Results.from_json(tmp_path / "older.json").documents[0].doc_id == "doc00"


def test_resamples_drawn_in_pieces_equal_one_draw(monkeypatch):
    """Large corpora draw bootstrap and randomization rows a few at a time; the draws and figures are unchanged."""
    from mteval.metrics import significance

    rng = np.random.default_rng(0)
    hypotheses = {name: [" ".join(rng.choice(["a", "b", "c", "d"], 6)) for _ in range(77)] for name in "xyz"}
    references = [" ".join(rng.choice(["a", "b", "c", "d"], 6)) for _ in range(77)]

    def run():
        statistics = significance.segment_statistics(hypotheses=hypotheses, references=references,
                                                     metrics=("bleu", "chrf"))
        return (significance.paired_bootstrap(statistics=statistics, n_samples=300, seed=7).to_dict(),
                significance.approximate_randomization(statistics=statistics, n_trials=500, n_bootstrap=300,
                                                       seed=7).to_dict())

    at_once = run()
    monkeypatch.setattr(significance, "_CHUNK_CELLS", 77 * 40)  # 32 rows at a time instead of one draw
    assert run() == at_once


def test_the_ray_executor_without_ray_is_one_sentence(monkeypatch):
    import sys

    from mteval.errors import InputError
    from mteval.executors.base import make_executor

    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    with pytest.raises(InputError, match=r"needs Ray, which is not installed here: pip install 'mteval\[ray\]'"):
        make_executor("ray")
    with pytest.raises(InputError, match="Unknown executor 'spark'"):
        make_executor("spark")


def test_a_change_of_segmentation_starts_afresh(tmp_path):
    """--presplit cuts the texts differently: records of the other cut are not resumed."""
    source = "Menteri datang pagi ini.\nIa berbicara kepada wartawan.\nRapat selesai siang."
    reference = "The minister came this morning. He spoke to reporters.\nThe meeting ended at noon."
    systems = {"copy": source.split("\n")}  # one sentence a line on the source side, cut either way

    def corpus(presplit):
        return Corpus([DocumentPair.from_texts("doc", source, reference, systems=systems, presplit=presplit)])

    split = evaluate_corpus(corpus(False), settings=SETTINGS, out=tmp_path)
    assert len(split.documents[0].reference_sentences) == 3
    again = evaluate_corpus(corpus(True), settings=SETTINGS, out=tmp_path)
    assert again.provenance["executor"]["resumed_documents"] == 0
    assert len(again.documents[0].reference_sentences) == 2


def test_a_comet_that_could_not_run_before_is_not_resumed_over(corpus, tmp_path, tiny_comet, monkeypatch):  # noqa: F811
    """A run whose COMET was skipped (no hub access), resumed once the model can be fetched, would score only the
    documents left and report them as the corpus: it starts afresh."""
    import mteval.metrics.comet.resolve as resolve

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = EvaluationSettings(n_bootstrap=0, comet_model="some-org/some-comet", comet_cache=False)
    first = evaluate_corpus(corpus, settings=settings, chunk_size=3, out=tmp_path)
    assert [s.stage for s in first.skipped] == ["comet"]
    monkeypatch.setattr(resolve, "_download", lambda name: tiny_comet.da / "checkpoints" / "model.ckpt")
    again = evaluate_corpus(corpus, settings=settings, chunk_size=3, out=tmp_path)
    assert again.provenance["executor"]["resumed_documents"] == 0 and not again.skipped
    fresh = evaluate_corpus(corpus, settings=settings, chunk_size=3)
    assert again.corpus["copy"].get("comet").score == pytest.approx(fresh.corpus["copy"].get("comet").score)


def test_a_bad_output_in_a_later_chunk_keeps_the_finished_run(corpus, tmp_path):
    """Bad input is one sentence and loses nothing: the finished run's records and summary stay as they were."""
    from mteval.errors import InputError

    evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in ("results.jsonl", "results.json", "run.json")}
    documents = [copy.copy(doc) for doc in corpus]
    documents[-1].systems = dict(documents[-1].systems, extra=documents[-1].systems["copy"] + ["one line too many"])
    for doc in documents[:-1]:
        doc.systems = dict(doc.systems, extra=doc.systems["copy"])
    with pytest.raises(InputError, match="System 'extra' has .* lines for document 'doc07'"):
        evaluate_corpus(Corpus(documents), settings=SETTINGS, chunk_size=3, out=tmp_path)
    assert {name: (tmp_path / name).read_bytes() for name in before} == before


def test_a_directory_another_run_is_writing_is_refused(corpus, tmp_path):
    """Two runs appending to one results.jsonl would interleave their documents; the second is refused, the first's
    files stay as they were, and the directory is free again once the first is done."""
    from mteval.errors import OutputError
    from mteval.pipeline.sinks import hold_directory

    evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    before = (tmp_path / "results.jsonl").read_bytes()
    held = hold_directory(tmp_path)  # as a run in another process holds it
    try:
        with pytest.raises(OutputError, match="another mteval run is writing there"):
            evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    finally:
        held.close()
    assert (tmp_path / "results.jsonl").read_bytes() == before
    again = evaluate_corpus(corpus, settings=SETTINGS, chunk_size=3, out=tmp_path)
    assert again.provenance["executor"]["resumed_documents"] == N_DOCUMENTS
