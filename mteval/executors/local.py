"""The default executor: every chunk in this process, one after another."""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from mteval.executors.base import local_provenance
from mteval.pipeline.chunks import Chunk, ChunkResult, Stages, run_chunk


class LocalExecutor:
    name = "local"

    def map(self, chunks: Iterable[Chunk], stages: Stages) -> Iterator[ChunkResult]:
        for chunk in chunks:
            yield run_chunk(chunk, stages)

    def provenance(self, stages: Stages) -> dict[str, Any]:
        return local_provenance(stages)

    def close(self) -> None:
        pass
