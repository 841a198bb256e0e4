"""A persistent key-value table in SQLite, the one storage behind mteval's caches.

Each ``put_many`` is one transaction, so an interrupted run keeps everything
stored before the interruption. A file that is not a readable store raises
:class:`~mteval.errors.CacheError` naming it, and is never modified or removed.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable, Iterable

from mteval.errors import CacheError, os_error_sentence

_CHUNK = 500  # SQLite's limit on host parameters is far above this
_LOCK_WAIT_S = 60  # another mteval process may hold the write lock for one batch; wait rather than fail
_COLUMNS = "key TEXT PRIMARY KEY, value BLOB NOT NULL"
# The table and its primary-key index: everything a store holds.
_OWN_OBJECTS = {("table", "entries"), ("index", "sqlite_autoindex_entries_1")}


def _objects(connection: sqlite3.Connection) -> set[tuple[str, str]]:
    return set(connection.execute("SELECT type, name FROM sqlite_master"))


def damaged_entry(store) -> CacheError:
    """The sentence for a sound cache file holding an entry that is not what this cache writes."""
    return CacheError(f"{store.path}: the {store.what} holds a damaged entry; move the file away or choose another "
                      "path (it is left as it is).")


class KeyValueStore:
    def __init__(self, path: str | Path, *, what: str):
        self.path = Path(path)
        self.what = what
        self._connection: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self._connection = self._open()
        return self._connection

    def _open(self) -> sqlite3.Connection:
        if self.path.exists() and not self.path.is_file():
            raise CacheError(f"{self.path}: cannot use it as the {self.what}: it is not a regular file; choose another path.")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise CacheError(os_error_sentence(err, self.path.parent, f"create the directory of the {self.what}")) from None
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        try:
            connection = sqlite3.connect(self.path, timeout=_LOCK_WAIT_S)
        except sqlite3.Error as err:
            raise CacheError(f"{self.path}: the {self.what} cannot be opened ({err}).") from None
        try:
            self._check_or_create(connection, fresh)
        except sqlite3.DatabaseError as err:
            connection.close()
            if isinstance(err, sqlite3.OperationalError) and "locked" in str(err):
                # a sound file another process holds: the advice to move it away would lose it
                raise CacheError(f"{self.path}: the {self.what} is locked by another process (waited "
                                 f"{_LOCK_WAIT_S:g} s); wait for it to finish or choose another path.") from None
            raise CacheError(f"{self.path}: not a usable {self.what} ({err}); move it away or choose another path.") from None
        except CacheError:
            connection.close()
            raise
        return connection

    def _check_or_create(self, connection: sqlite3.Connection, fresh: bool) -> None:
        """Create the table in a new (or empty) file; refuse, unmodified, a database that holds anything else."""
        if fresh and not _objects(connection):
            connection.execute("BEGIN IMMEDIATE")  # another process may be creating it right now
            if not _objects(connection):
                connection.execute(f"CREATE TABLE entries ({_COLUMNS})")
            connection.commit()
        objects = _objects(connection)
        columns = [row[1] for row in connection.execute("PRAGMA table_info(entries)")]
        if not objects <= _OWN_OBJECTS or columns != ["key", "value"]:
            names = ", ".join(sorted(name for _, name in objects)) or "no tables"
            raise CacheError(
                f"{self.path}: this SQLite database is not an mteval {self.what} (it holds {names}); "
                "it was left untouched, so choose another cache path."
            )

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
        try:
            return self._connect().execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        except sqlite3.DatabaseError as err:
            raise CacheError(f"{self.path}: the {self.what} cannot be read ({err}).") from None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


#: how stores are opened; a Ray worker replaces it (see :mod:`mteval.executors.ray_caches`) so that it reads the
#: driver's stores and hands what it computed back to the driver, which alone writes them
_opener: Callable[[Path, str], KeyValueStore] | None = None


def open_store(path: str | Path, *, what: str) -> KeyValueStore:
    """The store at ``path`` (in a Ray worker: a view of the driver's store at that path)."""
    if _opener is not None:
        return _opener(Path(path), what)
    return KeyValueStore(path, what=what)


def set_store_opener(opener: Callable[[Path, str], KeyValueStore] | None) -> None:
    global _opener
    _opener = opener
