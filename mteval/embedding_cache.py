"""A persistent cache of sentence embeddings, so a re-run of the audit loads no embedding model."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Sequence

import numpy as np

from .errors import CacheError
from .paths import default_cache_dir


class CachedEmbedder:
    """Wraps an embedder: vectors already computed come from SQLite; only misses reach the model.

    The wrapped embedder loads its model on its first ``encode``, so a run whose
    sentences are all cached never loads it.
    """

    def __init__(self, embedder, path: str | Path | None = None):
        self.inner = embedder
        self.path = Path(path) if path is not None else default_cache_dir() / "embeddings.sqlite"
        self._connection: sqlite3.Connection | None = None
        self.misses = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def version(self) -> str:
        return self.inner.version

    @property
    def loaded(self) -> bool:
        return bool(getattr(self.inner, "loaded", False))

    def _identity(self) -> str:
        # A version only known after loading (sentence-transformers) must not split the cache.
        version = self.inner.version if self.inner.version != "unloaded" else ""
        return f"{self.inner.name}|{version}|{getattr(self.inner, 'prefix', '')}"

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                connection = sqlite3.connect(self.path)
                connection.execute("CREATE TABLE IF NOT EXISTS embeddings (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
                connection.commit()
            except sqlite3.DatabaseError as err:
                raise CacheError(f"{self.path}: not a usable embedding cache ({err}); move it away.") from None
            self._connection = connection
        return self._connection

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t) for t in texts]
        identity = self._identity()
        keys = [hashlib.sha256(f"{identity}\0{t}".encode("utf-8")).hexdigest() for t in texts]
        found: dict[str, np.ndarray] = {}
        connection = self._connect()
        try:
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                rows = connection.execute(
                    f"SELECT key, vector FROM embeddings WHERE key IN ({','.join('?' * len(chunk))})", chunk
                )
                found.update((key, np.frombuffer(blob, dtype=np.float32)) for key, blob in rows)
            missing = [i for i, key in enumerate(keys) if key not in found]
            missing_unique = list(dict.fromkeys(keys[i] for i in missing))
            if missing_unique:
                first_text = {keys[i]: texts[i] for i in missing}
                vectors = np.asarray(self.inner.encode([first_text[k] for k in missing_unique]), dtype=np.float32)
                self.misses += len(missing_unique)
                with connection:
                    connection.executemany(
                        "INSERT OR REPLACE INTO embeddings VALUES (?, ?)",
                        [(key, vector.tobytes()) for key, vector in zip(missing_unique, vectors)],
                    )
                found.update(zip(missing_unique, vectors))
        except sqlite3.DatabaseError as err:
            raise CacheError(f"{self.path}: the embedding cache cannot be used ({err}).") from None
        if not texts:
            return self.inner.encode([])
        return np.stack([found[key] for key in keys])
