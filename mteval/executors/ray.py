"""Ray as the engine for clusters: translation and COMET in actor pools that keep their models loaded,
the pair audit (embedding, alignment) and the document records in CPU tasks, chunks in flight at once.

Each chunk goes translator actor → audit task → COMET actor, the stages
chained by Ray's object references, so chunks overlap across the cluster
while the driver collects them in corpus order and alone writes the results
and the caches (:mod:`mteval.executors.ray_caches`). Actors ask for one GPU
each where the cluster has GPUs (``num_gpus=1``), none otherwise. Ray
retries a task or an actor call whose worker died (``max_retries``,
``max_restarts``, ``max_task_retries``); the chunk work is deterministic and
the driver takes each chunk's result once, so no document is lost or
written twice. The work counters (sentences translated, embeddings, COMET
encoder passes) come back with each stage's result, so they survive a
restarted actor.
"""
from __future__ import annotations

import logging
import os
import uuid
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Iterator

from mteval.errors import InputError
from mteval.pipeline.chunks import Chunk, ChunkResult, Stages

RETRIES = 3


def _ray():
    try:
        import ray
    except ImportError:
        raise InputError("--executor ray needs Ray, which is not installed here: pip install 'mteval[ray]'.") from None
    return ray


@dataclass
class WorkerSpec:
    """What a worker needs to rebuild the stages: settings with the driver's cache paths, the systems' models."""

    settings: Any
    names: list[str]
    precomputed: list[str]
    models: dict[str, tuple]  # name -> (model, engine, DecodeSettings, translation cache path or False)
    # The name of the CacheReader actor, looked up by each worker: a restartable actor whose constructor
    # arguments hold an actor handle makes Ray log an error line on every run.
    reader: str
    # The driver's torch thread count: Ray gives a zero-CPU actor one thread, and a product split over other
    # threads may round differently in the last bits (a by-hand COMET check through Ray differed by ~1e-9).
    torch_threads: int | None = None


class RayExecutor:
    name = "ray"

    def __init__(self, address: str | None = None, *, workers: int | None = None,
                 on_chunk: Callable[["RayExecutor", int], None] | None = None, quiet: bool = False):
        self.ray = _ray()
        self.address = address or os.environ.get("RAY_ADDRESS")
        self.quiet = quiet  # Ray's own start-up messages (INFO, WARNING) only when not asked to be quiet
        self.workers = workers
        self.on_chunk = on_chunk  # called after each chunk is collected (tests inject faults here)
        self.translate_actors: list[Any] = []
        self.comet_actors: list[Any] = []
        self._reader: Any = None  # the CacheReader actor
        self._started_ray = False
        self._counters: dict[str, Any] = {}

    # -- the cluster and the pools ------------------------------------------------------
    def _start(self, stages: Stages) -> WorkerSpec:
        from mteval.executors import ray_workers
        from mteval.executors.ray_caches import CacheReader

        ray = self.ray
        if not ray.is_initialized():
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False,
                     logging_level=logging.ERROR if self.quiet else logging.INFO)
            self._started_ray = True
        resources = ray.cluster_resources()
        gpus = int(resources.get("GPU", 0))
        size = self.workers or gpus or max(1, len([n for n in ray.nodes() if n.get("Alive")]))
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        here = NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=False)
        reader = f"mteval-cache-reader-{uuid.uuid4().hex}"
        self._reader = ray.remote(CacheReader).options(name=reader, num_cpus=0, scheduling_strategy=here).remote()
        spec = _spec(stages, reader)
        # Actors hold models, not CPU slots: the audit tasks get the cores; a GPU each where there are GPUs.
        options = dict(num_cpus=0, num_gpus=1 if gpus else 0, max_restarts=RETRIES, max_task_retries=RETRIES)
        self.translate_actors = [ray.remote(ray_workers.TranslateWorker).options(**options).remote(spec)
                                 for _ in range(size)]
        if stages.comet is not None:
            self.comet_actors = [ray.remote(ray_workers.CometWorker).options(**options).remote(spec)
                                 for _ in range(size)]
        self._audit = ray.remote(ray_workers.audit_and_score).options(num_cpus=1, max_retries=RETRIES)
        self._in_flight = 2 * size
        return spec

    def map(self, chunks: Iterable[Chunk], stages: Stages) -> Iterator[ChunkResult]:
        from mteval.executors.ray_caches import StoreWriter

        spec = self._start(stages)
        self._writer = StoreWriter()
        window: deque = deque()
        done = 0
        for n, chunk in enumerate(chunks):
            window.append(self._submit(n, chunk, spec))
            if len(window) >= self._in_flight:
                done += 1
                yield self._collect(window.popleft(), done, stages)
        while window:
            done += 1
            yield self._collect(window.popleft(), done, stages)

    def _submit(self, n: int, chunk: Chunk, spec: WorkerSpec):
        translated = self.translate_actors[n % len(self.translate_actors)].outputs.remote(chunk)
        audited = self._audit.remote(spec, translated, chunk.start)
        if self.comet_actors:
            return self.comet_actors[n % len(self.comet_actors)].score.remote(audited)
        return audited

    def _collect(self, ref, done: int, stages: Stages) -> ChunkResult:
        result, counters, handed = self.ray.get(ref)
        self._writer.write_back(handed)
        _add_counters(self._counters, counters)
        if stages.progress:
            stages.progress("audit", result.start + len(result.documents), stages.n_documents)
        if self.on_chunk is not None:
            self.on_chunk(self, done)
        return result

    # -- what the models did --------------------------------------------------------------
    def provenance(self, stages: Stages) -> dict[str, Any]:
        ray, counters = self.ray, self._counters
        systems = {}
        if stages.translators and self.translate_actors:
            records = ray.get([actor.provenance.remote() for actor in self.translate_actors])
            for name in stages.translators:
                loaded = [r[name] for r in records if r[name]["model_loaded"]]
                record = dict((loaded or [r[name] for r in records])[0])
                record["model_loaded"] = bool(counters.get("loaded", {}).get(name)) or bool(loaded)
                record["sentences_translated"] = counters.get("translated", {}).get(name, 0)
                systems[name] = record
        embedder = None
        if stages.auditor.embedder is not None:
            embedder = {"loaded": bool(counters.get("embedder_loaded")), "computed": counters.get("embedded", 0)}
        comet = None
        if self.comet_actors:
            comet = dict(ray.get(self.comet_actors[0].provenance.remote()))
            if "comet_work" in counters:
                comet["work"] = counters["comet_work"]
        executor = {"workers": len(self.translate_actors), "cache_entries_written": self._writer.written}
        audits = {"computed": 0, "from_cache": 0, **counters.get("audits", {})}
        return {"systems": systems, "embedder": embedder, "audits": audits, "comet": comet, "executor": executor}

    def close(self) -> None:
        writer = getattr(self, "_writer", None)
        if writer is not None:
            writer.close()
        for actor in self.translate_actors + self.comet_actors + ([self._reader] if self._reader is not None else []):
            self.ray.kill(actor)
        self.translate_actors, self.comet_actors, self._reader = [], [], None
        if self._started_ray:
            self.ray.shutdown()
            self._started_ray = False


def _spec(stages: Stages, reader: str) -> WorkerSpec:
    """The stages as a worker rebuilds them, every cache named by the driver's own path."""
    from mteval.caches.paths import default_cache_dir

    settings = stages.settings
    cache_dir = default_cache_dir()
    embedding = settings.embedding_cache
    audit = settings.audit_cache
    comet_path = stages.comet.cache_path if stages.comet is not None else None
    settings = replace(
        settings, progress_bars=False,
        embedding_cache=False if embedding is False else (embedding or cache_dir / "embeddings.sqlite"),
        audit_cache=False if audit is False else (audit or cache_dir / "audits.sqlite"),
        comet_cache=False if comet_path is None else comet_path,
    )
    models = {name: (t.model, t.engine_name, t.settings, False if t.cache is None else t.cache.path)
              for name, t in stages.translators.items()}
    threads = None
    if stages.comet is not None or any(t.engine_name == "transformers" for t in stages.translators.values()):
        import torch

        threads = torch.get_num_threads()
    return WorkerSpec(settings, list(stages.names), list(stages.precomputed), models, reader, threads)


def _add_counters(total: dict, new: dict) -> None:
    """Sum counters (numbers added, flags or-ed), nested dicts alike."""
    for key, value in new.items():
        if isinstance(value, dict):
            _add_counters(total.setdefault(key, {}), value)
        elif isinstance(value, bool):
            total[key] = bool(total.get(key)) or value
        elif isinstance(value, (int, float)):
            total[key] = total.get(key, 0) + value
        elif value is not None and key not in total:
            total[key] = value
