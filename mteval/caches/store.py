"""A persistent key-value table in SQLite, the one storage behind mteval's caches.

Each ``put_many`` is one transaction, so an interrupted run keeps everything
stored before the interruption. A file that is not a readable store raises
:class:`~mteval.errors.CacheError` naming it, and is never modified or removed.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable

from mteval.errors import CacheError

_CHUNK = 500  # SQLite's limit on host parameters is far above this


class KeyValueStore:
    def __init__(self, path: str | Path, *, what: str):
        self.path = Path(path)
        self.what = what
        self._connection: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                connection = sqlite3.connect(self.path)
                connection.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
                connection.commit()
            except sqlite3.DatabaseError as err:
                raise CacheError(f"{self.path}: not a usable {self.what} ({err}); move it away or choose another path.") from None
            self._connection = connection
        return self._connection

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes | str]:
        unique = list(dict.fromkeys(keys))
        found: dict[str, bytes | str] = {}
        connection = self._connect()
        try:
            for start in range(0, len(unique), _CHUNK):
                chunk = unique[start : start + _CHUNK]
                rows = connection.execute(
                    f"SELECT key, value FROM entries WHERE key IN ({','.join('?' * len(chunk))})", chunk
                )
                found.update(rows)
        except sqlite3.DatabaseError as err:
            raise CacheError(f"{self.path}: the {self.what} cannot be read ({err}).") from None
        return found

    def put_many(self, items: Iterable[tuple[str, bytes | str]]) -> None:
        connection = self._connect()
        try:
            with connection:
                connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", list(items))
        except sqlite3.DatabaseError as err:
            raise CacheError(f"{self.path}: the {self.what} cannot be written ({err}).") from None

    def __len__(self) -> int:
        return self._connect().execute("SELECT COUNT(*) FROM entries").fetchone()[0]

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
