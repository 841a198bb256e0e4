"""What an executor does: map the chunk work over chunks, yield the results in corpus order, report its models.

The driver (:func:`mteval.pipeline.run.evaluate_corpus`) alone writes the
results and folds them into the corpus figures; an executor only decides
where each chunk's work runs. Its ``provenance`` says what the models
computed (sentences translated, embeddings, COMET work) wherever they ran.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Protocol

from mteval.pipeline.chunks import Chunk, ChunkResult, Stages

EXECUTORS = {"local": "mteval.executors.local:LocalExecutor", "ray": "mteval.executors.ray:RayExecutor"}


class Executor(Protocol):
    name: str

    def map(self, chunks: Iterable[Chunk], stages: Stages) -> Iterator[ChunkResult]:
        """Each chunk's result, in the order of ``chunks``."""
        ...

    def provenance(self, stages: Stages) -> dict[str, Any]:
        """``{"systems": {name: record}, "embedder": {"loaded", "computed"}, "comet": record or None}``."""
        ...

    def close(self) -> None: ...


def make_executor(name: str | Any = "local", **options: Any):
    """An executor by name (``local``, ``ray``), or ``name`` itself when it already is one."""
    if not isinstance(name, str):
        return name
    from importlib import import_module

    from mteval.errors import InputError

    if name not in EXECUTORS:
        raise InputError(f"Unknown executor '{name}'; choose one of {', '.join(EXECUTORS)}.")
    module, cls = EXECUTORS[name].split(":")
    return getattr(import_module(module), cls)(**options)


def local_provenance(stages: Stages) -> dict[str, Any]:
    """The provenance of stage objects living in this process."""
    embedder = stages.auditor.embedder
    return {
        "systems": {name: translator.provenance() for name, translator in stages.translators.items()},
        "embedder": None if embedder is None else {"loaded": embedder.loaded, "computed": embedder.stats["embedded"]},
        "audits": dict(stages.auditor.counts),
        "comet": None if stages.comet is None else stages.comet.provenance(),
    }
