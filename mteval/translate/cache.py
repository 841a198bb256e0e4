"""A persistent translation cache: SQLite, one row per (model, settings, source)."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ..errors import CacheError
from ..paths import default_cache_dir


def default_cache_path() -> Path:
    return default_cache_dir() / "translations.sqlite"


class TranslationCache:
    """Maps (model fingerprint, decoding settings, source sentence) to a translation.

    Each ``put_many`` is its own transaction, so an interrupted run keeps
    every batch it finished. A file that is not a readable cache raises
    :class:`CacheError` and is never modified or removed.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_cache_path()
        self._connection: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                connection = sqlite3.connect(self.path)
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS translations ("
                    "key TEXT PRIMARY KEY, model TEXT NOT NULL, settings TEXT NOT NULL, translation TEXT NOT NULL)"
                )
                connection.commit()
            except sqlite3.DatabaseError as err:
                raise CacheError(
                    f"{self.path}: not a usable translation cache ({err}); move it away or pass another cache path."
                ) from None
            self._connection = connection
        return self._connection

    @staticmethod
    def key(model: str, settings: str, source: str) -> str:
        return hashlib.sha256("\0".join((model, settings, source)).encode("utf-8")).hexdigest()

    def get_many(self, model: str, settings: str, sources: Iterable[str]) -> dict[str, str]:
        """Translations already cached for ``sources``, by source text."""
        wanted = {self.key(model, settings, s): s for s in sources}
        found: dict[str, str] = {}
        connection = self._connect()
        keys = list(wanted)
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                rows = connection.execute(
                    f"SELECT key, translation FROM translations WHERE key IN ({','.join('?' * len(chunk))})", chunk
                )
                found.update((wanted[key], translation) for key, translation in rows)
        except sqlite3.DatabaseError as err:
            raise CacheError(f"{self.path}: the translation cache cannot be read ({err}).") from None
        return found

    def put_many(self, model: str, settings: str, pairs: Mapping[str, str] | Sequence[tuple[str, str]]) -> None:
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        rows = [(self.key(model, settings, s), model, settings, t) for s, t in items]
        connection = self._connect()
        try:
            with connection:
                connection.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?)", rows)
        except sqlite3.DatabaseError as err:
            raise CacheError(f"{self.path}: the translation cache cannot be written ({err}).") from None

    def __len__(self) -> int:
        return self._connect().execute("SELECT COUNT(*) FROM translations").fetchone()[0]

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
