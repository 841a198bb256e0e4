"""The one embedding cache: each distinct text is embedded once, in memory and, when asked, on disk.

:class:`CachingEmbedder` wraps an embedder. Within one instance (and every
instance wrapping it) a text is embedded once; with ``store_path`` the
vectors also persist in the project's SQLite store, so a re-run of an
unchanged audit loads no embedding model (the wrapped embedder loads its
model on its first ``encode``, which then never comes). New vectors are
committed in batches of ``commit_every`` texts, one transaction each, so an
interrupted embedding of a long document keeps what it had computed (a batch also
ends at 50,000 characters: seconds of embedding on two cores).
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from mteval.caches.store import KeyValueStore, damaged_entry, open_store


class CachingEmbedder:
    def __init__(self, embedder, *, store_path: str | Path | None = None, commit_every: int = 512):
        shared = embedder if isinstance(embedder, CachingEmbedder) else None
        self.inner = shared.inner if shared else embedder
        self._memory: dict[str, np.ndarray] = shared._memory if shared else {}
        if store_path is not None:
            self._store: KeyValueStore | None = open_store(Path(store_path), what="embedding cache")
        else:
            self._store = shared._store if shared else None
        self.commit_every = commit_every
        # A wrapper around a caching embedder (the audit wraps the one it is given) counts into the same
        # stats and reports to the same progress bar, so the run's provenance sees what the audit embedded.
        self.stats = shared.stats if shared else {"requested": 0, "embedded": 0, "embedded_chars": 0, "from_store": 0}
        #: told ``(embedded, to embed)`` after each batch the model computes (cached texts are not counted)
        self.progress: Callable[[int, int], None] | None = shared.progress if shared else None
        self._wanted = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def version(self) -> str:
        return self.inner.version

    @property
    def loaded(self) -> bool:
        return bool(getattr(self.inner, "loaded", False))

    @property
    def path(self) -> Path | None:
        return None if self._store is None else self._store.path

    def prime(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Record embeddings computed elsewhere (e.g. precomputed sentence embeddings)."""
        for text, vector in zip(texts, np.asarray(vectors, dtype=np.float32)):
            self._memory.setdefault(str(text), vector)

    def _identity(self) -> str:
        # every embedder knows its version before it loads a model, so keys made before and after loading agree
        return f"{self.inner.name}|{self.inner.version}|{getattr(self.inner, 'prefix', '')}"

    def _key(self, identity: str, text: str) -> str:
        return hashlib.sha256(f"{identity}\0{text}".encode("utf-8")).hexdigest()

    def _from_store(self, texts: list[str]) -> None:
        identity = self._identity()
        keys = {self._key(identity, text): text for text in texts}
        for key, blob in self._store.get_many(keys).items():
            if not isinstance(blob, bytes) or not blob or len(blob) % 4:  # float32 vectors, as _embed writes them
                raise damaged_entry(self._store)
            self._memory[keys[key]] = np.frombuffer(blob, dtype=np.float32)
            self.stats["from_store"] += 1

    def _embed(self, texts: list[str]) -> None:
        identity = self._identity() if self._store is not None else ""
        self._wanted += len(texts)
        for batch in _commit_batches(texts, self.commit_every):
            vectors = np.asarray(self.inner.encode(batch), dtype=np.float32)
            self._memory.update(zip(batch, vectors))
            if self._store is not None:
                self._store.put_many((self._key(identity, t), v.tobytes()) for t, v in zip(batch, vectors))
            self.stats["embedded"] += len(batch)
            self.stats["embedded_chars"] += sum(map(len, batch))
            if self.progress:
                self.progress(self.stats["embedded"], self._wanted)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t) for t in texts]
        self.stats["requested"] += len(texts)
        todo = list(dict.fromkeys(t for t in texts if t not in self._memory))
        if todo and self._store is not None:
            self._from_store(todo)
            todo = [t for t in todo if t not in self._memory]
        if todo:
            self._embed(todo)
        if not texts:
            dim = next(iter(self._memory.values())).shape[0] if self._memory else 384
            return np.zeros((0, dim), dtype=np.float32)
        return np.stack([self._memory[t] for t in texts])


_BATCH_CHARS = 50_000  # about seconds of embedding on two cores: an interruption loses little


def _commit_batches(texts: list[str], most: int) -> list[list[str]]:
    batches: list[list[str]] = []
    size = 0
    for text in texts:
        if not batches or len(batches[-1]) >= most or size + len(text) > _BATCH_CHARS:
            batches.append([])
            size = 0
        batches[-1].append(text)
        size += len(text)
    return batches
