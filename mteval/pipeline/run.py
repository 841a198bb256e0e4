"""The main job: documents → pair audit (once per pair) → per-system work → one :class:`Results`.

Stages that cannot run here (a model that cannot be fetched) are recorded in
``Results.skipped`` and everything else still runs. Scoring is per bead: the
source side's translations joined against the reference side joined, body
content only (links, bylines and copyright lines are neither translated nor
scored; they stay visible as their own segments). Each metric is reported on
the *whole* text (every body bead, so a model pays for what the reference
left out) and on the *parallel* part (beads with both sides and no major
divergence of the pair); the gap is what the reference's divergences cost
the model. The beads and the parallel part come from the source and the
reference alone, so they are the same for every system.

The corpus goes through in chunks (:mod:`mteval.pipeline.chunks`), in memory
or streamed to ``results.jsonl`` (``out=``) and resumable; each chunk's
documents are folded into compact per-segment arrays
(:mod:`mteval.pipeline.segment_table`) from which the corpus scores,
intervals and paired tests are computed at the end. Both forms run the same
code, so they give the same figures.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Mapping

from mteval.documents.corpus import Corpus
from mteval.errors import InputError, ModelUnavailableError
from mteval.metrics.lexical import LexicalOptions, signatures
from mteval.pair_audit.auditor import PairAuditor, alignment_fingerprint
from mteval.pipeline import scoring
from mteval.pipeline.chunks import DEFAULT_CHUNK_SIZE, Stages, cut, score_chunk
from mteval.pipeline.provenance import AuditTally, audit_provenance, base_provenance
from mteval.pipeline.segment_table import SegmentTable
from mteval.pipeline.settings import EvaluationSettings
from mteval.pipeline.sinks import MemorySink, StreamSink
from mteval.pipeline.systems import DocumentWork, Progress, precomputed_lines
from mteval.pipeline.timing import StageClock
from mteval.results.records import Results, Skipped


def evaluate_corpus(
    corpus: Corpus,
    *,
    translators: Mapping[str, Any] | None = None,
    settings: EvaluationSettings | None = None,
    progress: Progress | None = None,
    out: str | Path | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    executor: Any = "local",
) -> Results:
    """Run the whole evaluation of ``corpus``.

    ``translators`` maps system names to :class:`~mteval.systems.translate.translator.Translator`
    objects (or to a :class:`ModelUnavailableError` raised while creating one,
    which is then reported as skipped); precomputed outputs come with the
    documents (``DocumentPair.systems``). With ``out`` (a directory) the
    documents are streamed to ``out/results.jsonl`` as their chunks finish, the
    summary goes to ``out/results.json``, an interrupted run started again
    resumes, and the returned results read the documents lazily.
    ``executor`` is ``"local"``, ``"ray"`` or an executor object.
    """
    from mteval.executors.base import make_executor

    if chunk_size < 1:
        raise InputError(f"The chunk size must be at least 1 document, not {chunk_size}.")
    settings = settings or EvaluationSettings()
    if settings.lexical_options is None:
        settings = replace(settings, lexical_options=default_lexical_options(corpus))
    clock, skipped = StageClock(), []
    provenance = base_provenance(corpus, settings)
    stages = _stages(corpus, translators, settings, progress, provenance, skipped)
    if out is not None:
        _check_precomputed(corpus, stages.precomputed)
    sink = MemorySink() if out is None else StreamSink(out, _manifest(corpus, stages, chunk_size))
    try:
        table, tally = SegmentTable(stages.names), AuditTally(settings.review)
        done = sink.resume([doc.doc_id for doc in corpus])
        executor = make_executor(executor)
        for documents in sink.stored(chunk_size):  # a resumed run: the documents already done count as they are
            _fold(table, tally, documents, score_chunk(documents, stages.names, settings))
        try:
            for result in executor.map(cut(corpus.documents, chunk_size, start=done), stages):
                sink.write(result.documents)
                _fold(table, tally, result.documents, result.statistics)
                clock.add(result.timing)
            work = executor.provenance(stages)
        finally:
            executor.close()
        _record_provenance(provenance, stages, tally, work, skipped)
        provenance["executor"] = {"name": executor.name, "chunk_size": chunk_size, "streamed": out is not None,
                                  "resumed_documents": done, **work.get("executor", {})}
        n_references = 1 + max((len(doc.extra_references) for doc in corpus), default=0)
        corpus_scores, significance = _corpus_figures(table, stages, provenance, clock, n_references,
                                                      translators is not None, skipped)
        provenance["timing"] = clock.to_dict()
        results = Results(provenance, corpus_scores, sink.documents(), skipped, significance)
        sink.finish(results)
    finally:
        sink.close()  # a streamed run holds --out for itself until here
    return results


def _check_precomputed(corpus: Corpus, names: list[str]) -> None:
    """Every precomputed output fits its document, checked before a streamed run touches ``--out``: found in a later
    chunk, a wrong line count would stop the run after the sink had dropped an earlier run's records."""
    if not names:
        return
    for doc in corpus:
        work = DocumentWork(doc, doc.source_sentences(), [])
        for name in names:
            precomputed_lines(work, name)


def _fold(table: SegmentTable, tally: AuditTally, documents, statistics) -> None:
    table.add(documents, statistics)
    for doc in documents:
        tally.add(doc.doc_id, doc.audit)


def _stages(corpus, translators, settings, progress, provenance, skipped) -> Stages:
    """The systems (precomputed first), the auditor and the COMET scorer a chunk's work needs."""
    live = {}
    for name in corpus.system_names:
        provenance["systems"][name] = {"precomputed": True}
    for name, translator in (translators or {}).items():
        if isinstance(translator, Exception):
            skipped.append(Skipped("translation", str(translator), system=name))
            continue
        if name in corpus.system_names:
            raise InputError(f"The system name '{name}' is used twice (a model and a precomputed output).")
        live[name] = translator
    names = list(corpus.system_names) + list(live)
    _check_system_choice(settings, names)
    auditor = _make_auditor(settings)
    if progress and auditor.embedder is not None:
        auditor.embedder.progress = lambda done, total: progress("embed", done, total)
    comet = _comet_scorer(settings, names, skipped)
    return Stages(settings, names, list(corpus.system_names), live, auditor, comet, progress, len(corpus))


def _comet_scorer(settings: EvaluationSettings, names: list[str], skipped: list[Skipped]):
    if not settings.comet_model:
        return None
    if not names:
        skipped.append(Skipped("comet", "there is no system output to score", metric="comet"))
        return None
    from mteval.metrics.comet.scorer import CometScorer

    try:
        scorer = CometScorer(
            settings.comet_model, batch_size=settings.comet_batch_size, precision=settings.comet_precision,
            device=settings.comet_device, cache=settings.comet_cache, progress=settings.progress_bars,
        )
        scorer.provenance()  # resolves the model now: one that cannot be fetched is skipped before any chunk
    except ModelUnavailableError as err:
        skipped.append(Skipped("comet", str(err), metric="comet"))
        return None
    return scorer


def _record_provenance(provenance, stages: Stages, tally: AuditTally, work: dict, skipped) -> None:
    settings = stages.settings
    provenance["systems"].update(work["systems"])
    auditor_settings = stages.auditor.settings()
    signal_identity = provenance["systems"].get(settings.align_with) if settings.align_with else None
    fingerprint = alignment_fingerprint(auditor_settings, signal_identity=signal_identity, digests=tally.digests)
    provenance["audit"] = audit_provenance(auditor_settings, tally.first(), fingerprint)
    if work["embedder"] is not None:
        provenance["audit"]["embedder_loaded"] = work["embedder"]["loaded"]
        provenance["audit"]["embeddings_computed"] = work["embedder"]["computed"]
    if work.get("audits") is not None:
        provenance["audit"]["audits_computed"] = work["audits"]["computed"]
        provenance["audit"]["audits_from_cache"] = work["audits"]["from_cache"]
    if settings.review is not None:
        provenance["review"] = tally.review_provenance()
    if work["comet"] is not None:
        provenance["comet"] = work["comet"]


def _corpus_figures(table: SegmentTable, stages: Stages, provenance, clock, n_references: int,
                    had_translators: bool, skipped):
    """Corpus scores and paired tests, from the compact per-segment arrays."""
    settings, names = stages.settings, stages.names
    corpus_scores = {}
    for name in names:
        corpus_scores[name] = scoring.corpus_lexical(table, name, settings)
        scoring.corpus_mt_errors(table, name, corpus_scores[name])
    provenance["metrics"] = signatures(settings.lexical_metrics, options=settings.lexical_options,
                                       n_references=n_references)
    provenance["metrics"]["mt_errors"] = scoring.MT_ERRORS_SIGNATURE
    clock.lap("scoring")
    if stages.comet is not None:
        for name in names:
            scoring.corpus_comet(table, name, corpus_scores[name], settings)
        clock.lap("comet")
    if had_translators and not names:
        skipped.append(Skipped("scoring", "there is no system output to score"))
    # paired tests against the baseline: they read scores, they change none
    tested = _baseline_first(names, settings.baseline)
    significance = None
    if settings.significance and len(tested) > 1:
        significance = scoring.significance(table, tested, settings)
        clock.lap("significance")
    return corpus_scores, significance


def _manifest(corpus: Corpus, stages: Stages, chunk_size: int) -> dict[str, Any]:
    """What must match for a streamed run to resume: the documents, everything that decides results, the chunks."""
    settings = stages.settings
    decided = {f.name: getattr(settings, f.name) for f in fields(settings)
               if f.name not in ("progress_bars", "comet_cache", "embedding_cache", "audit_cache", "review")}
    decided["review"] = None if settings.review is None else settings.review.sha256
    outputs, segmentation = hashlib.sha256(), hashlib.sha256()
    for doc in corpus:
        outputs.update(json.dumps(doc.systems, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        # how the texts are cut into sentences decides every bead, and is not part of the documents' fingerprint
        segmentation.update(json.dumps([doc.presplit, doc.line_parallel, doc.line_roles]).encode("ascii"))
    decided["systems"] = {"precomputed": stages.precomputed, "outputs": outputs.hexdigest(),
                          "models": {name: [t.fingerprint, t.settings_key] for name, t in stages.translators.items()}}
    decided["segmentation"] = segmentation.hexdigest()
    # the COMET that actually runs: none when its model could not be fetched (a resumed run would otherwise
    # score the rest of the corpus and report the part as the whole), and the checkpoint's bytes, not its name
    decided["comet_checkpoint"] = None if stages.comet is None else stages.comet.provenance()["checkpoint_sha256"]
    digest = hashlib.sha256(json.dumps(decided, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return {"corpus_fingerprint": corpus.fingerprint(), "settings_digest": digest, "chunk_size": chunk_size,
            "n_documents": len(corpus)}


def _check_system_choice(settings: EvaluationSettings, names: list[str]) -> None:
    for option, value in (("Baseline", settings.baseline), ("--align-with", settings.align_with)):
        if value and value not in names:
            listed = ", ".join(names) or "none"
            raise InputError(f"{option} system '{value}' is not among the systems ({listed}).")


def _baseline_first(names: list[str], baseline: str | None) -> list[str]:
    if not baseline:
        return list(names)
    return [baseline] + [n for n in names if n != baseline]


def _make_auditor(settings: EvaluationSettings) -> PairAuditor:
    if not settings.audit:
        return PairAuditor(align_with=settings.align_with)
    from mteval.caches.audits import AuditCache
    from mteval.caches.embeddings import CachingEmbedder
    from mteval.caches.paths import default_cache_dir
    from mteval.pair_audit.embedders import make_embedder

    store = None if settings.embedding_cache is False else (settings.embedding_cache or
                                                             default_cache_dir() / "embeddings.sqlite")
    embedder = CachingEmbedder(make_embedder(settings.embedder), store_path=store)
    cache = None if settings.audit_cache is False else AuditCache(settings.audit_cache)
    return PairAuditor(embedder=embedder, cache=cache, align_with=settings.align_with)


def default_lexical_options(corpus: Corpus) -> LexicalOptions:
    """sacrebleu's BLEU tokenizer for the corpus's reference language (zh, ja, ko have their own)."""
    from mteval.documents.languages import base_language

    languages = {base_language(doc.reference_lang) for doc in corpus}
    return LexicalOptions(target_lang=languages.pop() if len(languages) == 1 else "")
