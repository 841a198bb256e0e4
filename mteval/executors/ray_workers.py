"""The code each Ray worker runs: the stages of :mod:`mteval.pipeline.chunks`, rebuilt from a spec.

Each stage returns ``(payload, counters, cache entries)``; the counters say
what this call computed (so they survive a restarted actor) and the entries
are the cache lines the driver is to write (:mod:`mteval.executors.ray_caches`).
"""
from __future__ import annotations

from typing import Any

from mteval.pipeline.chunks import Chunk, ChunkResult, Stages, audit_chunk, document_result, score_chunk, system_outputs
from mteval.pipeline.systems import DocumentWork
from mteval.pipeline.timing import StageClock

_auditor: dict[int, Any] = {}  # one auditor (and embedder) per worker process and run, loaded on first use


def _translators(spec) -> dict[str, Any]:
    from mteval.caches.translations import TranslationCache
    from mteval.systems.translate.translator import Translator

    return {name: Translator(model, engine=engine, settings=decode,
                             cache=False if path is False else TranslationCache(path))
            for name, (model, engine, decode, path) in spec.models.items()}


def _match_threads(spec) -> None:
    if spec.torch_threads:
        import torch

        torch.set_num_threads(spec.torch_threads)


def _stages(spec, translators=None, auditor=None, comet=None) -> Stages:
    return Stages(spec.settings, spec.names, spec.precomputed, translators or {}, auditor, comet)


class TranslateWorker:
    """Holds every system's translator (its model stays loaded); gives a chunk's system outputs."""

    def __init__(self, spec):
        from mteval.executors.ray_caches import install

        install(spec.reader)
        _match_threads(spec)
        self.spec = spec
        self.translators = _translators(spec)

    def outputs(self, chunk: Chunk):
        from mteval.executors.ray_caches import drain

        before = {name: t.sentences_translated for name, t in self.translators.items()}
        clock = StageClock()
        works = [DocumentWork.of(doc) for doc in chunk.documents]
        system_outputs(works, _stages(self.spec, self.translators))
        clock.lap("translation")
        counters = {"translated": {n: t.sentences_translated - before[n] for n, t in self.translators.items()},
                    "loaded": {n: t._engine is not None for n, t in self.translators.items()}}
        return (chunk.start, works, clock.laps), counters, drain()

    def provenance(self) -> dict[str, Any]:
        return {name: t.provenance() for name, t in self.translators.items()}


def audit_and_score(spec, translated, start: int):
    """A CPU task: the pair audit of a chunk's documents, the document records, lexical and MT-error scores."""
    from mteval.executors.ray_caches import drain, install
    from mteval.pipeline.run import _make_auditor

    (_, works, laps), counters, handed = translated
    install(spec.reader)
    key = spec.reader  # one auditor per run in this worker process
    if key not in _auditor:
        _auditor.clear()
        _auditor[key] = _make_auditor(spec.settings)
    auditor = _auditor[key]
    embedded = auditor.embedder.stats["embedded"] if auditor.embedder is not None else 0
    audits_before = dict(auditor.counts)
    clock = StageClock()
    stages = _stages(spec, auditor=auditor)
    audits = audit_chunk(works, stages, start)
    clock.lap("pair audit")
    documents = [document_result(work, audit, spec.names) for work, audit in zip(works, audits)]
    statistics = score_chunk(documents, spec.names, spec.settings)
    clock.lap("scoring")
    if auditor.embedder is not None:
        counters = dict(counters, embedded=auditor.embedder.stats["embedded"] - embedded,
                        embedder_loaded=auditor.embedder.loaded)
    counters = dict(counters, audits={k: auditor.counts[k] - audits_before[k] for k in audits_before})
    result = ChunkResult(start, documents, statistics, {**laps, **clock.laps})
    return result, counters, handed + drain()


class CometWorker:
    """Holds the COMET model; scores a chunk's segments for every system in one call."""

    def __init__(self, spec):
        from mteval.executors.ray_caches import install
        from mteval.metrics.comet.scorer import CometScorer

        install(spec.reader)
        _match_threads(spec)
        settings = spec.settings
        self.spec = spec
        self.scorer = CometScorer(settings.comet_model, batch_size=settings.comet_batch_size,
                                  precision=settings.comet_precision, device=settings.comet_device,
                                  cache=settings.comet_cache, progress=False)

    def score(self, audited):
        from mteval.executors.ray_caches import drain
        from mteval.pipeline import scoring

        result, counters, handed = audited
        before = self.scorer._work.to_dict()
        clock = StageClock()
        scoring.score_comet_chunk(result.documents, self.spec.names, self.scorer)
        clock.lap("comet")
        result.timing.update(clock.laps)
        counters = dict(counters, comet_work=_difference(self.scorer._work.to_dict(), before))
        return result, counters, handed + drain()

    def provenance(self) -> dict[str, Any]:
        return self.scorer.provenance()


def _difference(after: Any, before: Any) -> Any:
    if isinstance(after, dict):
        before = before if isinstance(before, dict) else {}
        return {key: _difference(value, before.get(key)) for key, value in after.items()}
    if isinstance(after, (int, float)) and not isinstance(after, bool):
        return after - (before or 0)
    return after
