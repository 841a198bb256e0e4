"""The persistent COMET cache file, and in it the segment scores and the memoised checkpoint hashes.

One file (one :class:`~mteval.caches.store.KeyValueStore`) holds everything
COMET caches: segment scores here, sentence embeddings through
:mod:`mteval.caches.comet_embeddings`. Each write is one transaction. A file
that is not a COMET cache of this layout (corrupt, another program's SQLite
database, another mteval cache) raises :class:`~mteval.errors.CacheError` in one
sentence and is never modified: it is inspected read-only before the store
opens it for writing.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Iterable, Mapping

from mteval.caches.paths import default_cache_dir
from mteval.caches.store import KeyValueStore, damaged_entry, open_store
from mteval.errors import CacheError

CACHE_FILENAME = "comet.sqlite"
_LAYOUT_KEY = "mteval-comet-cache-layout"
_LAYOUT = "2"  # 1 was comet-scores.sqlite with its own tables


def default_cache_path() -> Path:
    """Where the COMET cache lives unless told otherwise (beside mteval's other caches)."""
    return default_cache_dir() / CACHE_FILENAME


def segment_key(source: str, hypothesis: str, reference: str | None) -> str:
    payload = json.dumps([source, hypothesis, reference], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _refusal(path: Path, detail: str) -> CacheError:
    return CacheError(
        f"The COMET cache {path} is corrupt or not an mteval COMET cache ({detail}); "
        "it was left untouched, so move it away or pass another cache path."
    )


def _check_existing(path: Path) -> bool:
    """True when ``path`` is an mteval COMET cache, False when it is an empty database; raises otherwise."""
    if not path.is_file():
        raise CacheError(f"The COMET cache {path} is not a file; pass another cache path.")
    try:
        connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise CacheError(f"The COMET cache {path} cannot be opened ({err}); it was left untouched.") from None
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return False
        if tables != {"entries"}:
            raise _refusal(path, "tables " + ", ".join(sorted(tables)))
        row = connection.execute("SELECT value FROM entries WHERE key=?", (_LAYOUT_KEY,)).fetchone()
        # an empty table is a cache being created (its table and its mark are two transactions: another process
        # may be between them, or was killed there): it is marked again, as a new one is
        if row is None and connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 0:
            return False
    except sqlite3.DatabaseError as err:
        raise _refusal(path, str(err)) from None
    finally:
        connection.close()
    if row is None or row[0] != _LAYOUT:
        raise _refusal(path, f"layout {row[0] if row else 'missing'}, expected {_LAYOUT}")
    return True


def open_comet_store(path: Path) -> KeyValueStore:
    """The key-value store of the COMET cache at ``path``, created (and marked as one) if absent."""
    path = Path(path)
    marked = _check_existing(path) if path.exists() else False
    store = open_store(path, what="COMET cache")
    if not marked:
        store.put_many([(_LAYOUT_KEY, _LAYOUT)])
    return store


class CometCacheFile:
    """The COMET cache at ``path``, opened (and checked) on first use."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._store: KeyValueStore | None = None

    @property
    def store(self) -> KeyValueStore:
        if self._store is None:
            self._store = open_comet_store(self.path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _hashed(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class CometScoreCache:
    """Segment scores keyed by (model fingerprint, segment key); a score is stored as its exact ``repr``."""

    def __init__(self, cache_file: CometCacheFile):
        self.file = cache_file

    def get_many(self, fingerprint: str, keys: Iterable[str]) -> dict[str, float]:
        wanted = {_hashed("score", fingerprint, key): key for key in keys}
        try:
            return {wanted[k]: float(v) for k, v in self.file.store.get_many(wanted).items()}
        except (TypeError, ValueError):
            raise damaged_entry(self.file.store) from None

    def put_many(self, fingerprint: str, scores: Mapping[str, float]) -> None:
        if scores:
            self.file.store.put_many((_hashed("score", fingerprint, k), repr(float(v))) for k, v in scores.items())

    def checkpoint_sha256(self, checkpoint: Path, compute) -> str:
        """sha256 of a checkpoint file, memoised by (path, size, mtime) so a large file is hashed once."""
        stat = checkpoint.stat()
        key = _hashed("checkpoint", str(checkpoint.resolve()), str(stat.st_size), str(stat.st_mtime_ns))
        found = self.file.store.get_many([key])
        if key in found:
            return str(found[key])
        digest = compute(checkpoint)
        self.file.store.put_many([(key, digest)])
        return digest
