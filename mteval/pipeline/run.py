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
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from mteval.documents.corpus import Corpus
from mteval.documents.language_check import language_warnings
from mteval.errors import InputError, ModelUnavailableError
from mteval.metrics.lexical import LexicalOptions, signatures
from mteval.pair_audit.auditor import PairAuditor, alignment_fingerprint
from mteval.pair_audit.records import Audit
from mteval.pair_audit.review import apply_review
from mteval.pipeline import scoring
from mteval.pipeline.provenance import audit_provenance, base_provenance
from mteval.pipeline.settings import EvaluationSettings
from mteval.pipeline.timing import StageClock
from mteval.pipeline.systems import DocumentWork, Progress, precomputed_lines, translate_corpus
from mteval.results.records import DocumentResult, Results, Segment, Skipped, SystemDocument
from mteval.systems.mt_checks import mt_errors


def evaluate_corpus(
    corpus: Corpus,
    *,
    translators: Mapping[str, Any] | None = None,
    settings: EvaluationSettings | None = None,
    progress: Progress | None = None,
) -> Results:
    """Run the whole evaluation of ``corpus``.

    ``translators`` maps system names to :class:`~mteval.systems.translate.translator.Translator`
    objects (or to a :class:`ModelUnavailableError` raised while creating one,
    which is then reported as skipped); precomputed outputs come with the
    documents (``DocumentPair.systems``).
    """
    settings = settings or EvaluationSettings()
    clock = StageClock()
    skipped: list[Skipped] = []
    provenance = base_provenance(corpus, settings)
    works = [DocumentWork.of(doc) for doc in corpus]

    # 1. every system's output, each on its own
    system_names = _system_outputs(works, corpus, translators or {}, provenance, skipped, progress)
    _check_system_choice(settings, system_names)
    clock.lap("translation")

    # 2. the pair audit, once per document pair, the same for every system
    auditor = _make_auditor(settings)
    if progress and auditor.embedder is not None:
        auditor.embedder.progress = lambda done, total: progress("embed", done, total)
    audits = []
    for index, work in enumerate(works):
        signal = work.translations.get(settings.align_with) if settings.align_with else None
        audits.append(auditor.audit(work.doc.doc_id, work.source, work.reference,
                                    line_parallel=work.doc.line_parallel, signal=signal,
                                    source_lang=work.doc.source_lang, reference_lang=work.doc.reference_lang))
        if progress:
            progress("audit", index + 1, len(works))
    signal_identity = provenance["systems"].get(settings.align_with) if settings.align_with else None
    provenance["audit"] = audit_provenance(auditor.settings(), audits,
                                           alignment_fingerprint(auditor.settings(), audits, signal_identity))
    if auditor.embedder is not None:
        provenance["audit"]["embedder_loaded"] = auditor.embedder.loaded
        provenance["audit"]["embeddings_computed"] = auditor.embedder.stats["embedded"]
    if settings.review is not None:  # an editor's decisions: false alarms stop taking beads out of the parallel part
        audits = [apply_review(work.doc.doc_id, audit, settings.review) for work, audit in zip(works, audits)]
        provenance["review"] = settings.review.provenance({w.doc.doc_id: a for w, a in zip(works, audits)})
    clock.lap("pair audit")

    # 3. per-system work on the pair's segments: MT errors, lexical scores, COMET
    documents = [_document_result(work, audit, system_names) for work, audit in zip(works, audits)]
    if settings.lexical_options is None:
        settings = replace(settings, lexical_options=_default_lexical_options(corpus))
    corpus_scores = {}
    for name in system_names:
        corpus_scores[name] = scoring.score_lexical(documents, name, settings)
        scoring.score_mt_errors(documents, name, corpus_scores[name])
    provenance["metrics"] = signatures(settings.lexical_metrics, options=settings.lexical_options,
                                       n_references=1 + max((len(d.extra_references) for d in corpus), default=0))
    provenance["metrics"]["mt_errors"] = scoring.MT_ERRORS_SIGNATURE
    clock.lap("scoring")
    if settings.comet_model and system_names:
        _add_comet(documents, corpus_scores, system_names, settings, provenance, skipped)
        clock.lap("comet")
    elif settings.comet_model:
        skipped.append(Skipped("comet", "there is no system output to score", metric="comet"))
    if translators is not None and not system_names:
        skipped.append(Skipped("scoring", "there is no system output to score"))

    # 4. paired tests against the baseline: they read scores, they change none
    tested = _baseline_first(system_names, settings.baseline)
    significance = None
    if settings.significance and len(tested) > 1:
        significance = scoring.significance(documents, tested, settings)
        clock.lap("significance")
    provenance["timing"] = clock.to_dict()
    return Results(provenance, corpus_scores, documents, skipped, significance)


def _system_outputs(works, corpus, translators, provenance, skipped, progress) -> list[str]:
    names = list(corpus.system_names)
    for name in corpus.system_names:
        provenance["systems"][name] = {"precomputed": True}
        for work in works:
            work.translations[name] = precomputed_lines(work, name)
    for name, translator in translators.items():
        if isinstance(translator, Exception):
            skipped.append(Skipped("translation", str(translator), system=name))
            continue
        if name in names:
            raise InputError(f"The system name '{name}' is used twice (a model and a precomputed output).")
        translate_corpus(works, name, translator, progress)
        provenance["systems"][name] = translator.provenance()
        names.append(name)
    return names


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


def _default_lexical_options(corpus: Corpus) -> LexicalOptions:
    """sacrebleu's BLEU tokenizer for the corpus's reference language (zh, ja, ko have their own)."""
    from mteval.documents.languages import base_language

    languages = {base_language(doc.reference_lang) for doc in corpus}
    return LexicalOptions(target_lang=languages.pop() if len(languages) == 1 else "")


def _document_result(work: DocumentWork, audit: Audit, system_names: list[str]) -> DocumentResult:
    parallel = set(audit.parallel_beads())
    segments = []
    for index, bead in enumerate(audit.beads):
        roles = [work.source[i].role for i in bead.source] + [work.reference[j].role for j in bead.reference]
        role = "body" if "body" in roles else roles[0]
        segment = Segment(bead=index, source_ids=bead.source, reference_ids=bead.reference, role=role,
                          parallel=index in parallel,
                          source=" ".join(work.source[i].text for i in bead.source),
                          reference=" ".join(work.reference[j].text for j in bead.reference))
        if extra := work.doc.extra_references:  # line-parallel multi-reference input: beads are 1-1 by line
            segment.extra_references = [" ".join(stream[j] for j in bead.reference) for stream in extra]
        if role == "body":
            for name in system_names:
                parts = [work.translations[name][i] for i in bead.source]
                segment.hypotheses[name] = " ".join(p for p in parts if p)
        segments.append(segment)
    doc = work.doc
    return DocumentResult(
        doc_id=doc.doc_id, source_lang=doc.source_lang, reference_lang=doc.reference_lang, origin=doc.origin,
        warnings=language_warnings([s.text for s in work.source], [s.text for s in work.reference],
                                   doc.source_lang, doc.reference_lang, doc_id=doc.doc_id)
        + doc.segmentation_warnings(),
        source_sentences=work.source, reference_sentences=work.reference, audit=audit, segments=segments,
        systems={
            name: SystemDocument(translations=work.translations[name],
                                 mt_errors=mt_errors(audit, work.source, work.reference, work.translations[name],
                                                     system=name, source_lang=doc.source_lang,
                                                     reference_lang=doc.reference_lang))
            for name in system_names
        },
    )


def _add_comet(documents, corpus_scores, system_names, settings, provenance, skipped) -> None:
    from mteval.metrics.comet.scorer import CometScorer

    try:
        scorer = CometScorer(
            settings.comet_model, batch_size=settings.comet_batch_size, precision=settings.comet_precision,
            device=settings.comet_device, cache=settings.comet_cache, progress=settings.progress_bars,
        )
        scoring.score_comet(documents, system_names, corpus_scores, scorer, settings)
        provenance["comet"] = scorer.provenance()
    except ModelUnavailableError as err:
        skipped.append(Skipped("comet", str(err), metric="comet"))
