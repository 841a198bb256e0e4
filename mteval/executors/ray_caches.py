"""Caches across machines: Ray workers read the driver's stores and hand back what they computed.

Every cache (translations, sentence embeddings, pair audits, COMET) is a
:class:`~mteval.caches.store.KeyValueStore` file on the driver's machine. A
worker opens no file: :func:`install` makes each store it opens a
:class:`DriverStore`, which looks keys up through one :class:`CacheReader`
actor placed on the driver's node (a read-only view of the driver's files,
as they stand when asked) and keeps what the worker computes in memory.
Each stage hands those entries back with its result (:func:`drain`) and the
driver alone writes them (:func:`write_back`), so a second run over the same
corpus finds everything cached wherever its chunks run.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from mteval.caches.store import KeyValueStore, set_store_opener

_fresh: dict[tuple[str, str], dict[str, Any]] = {}  # (path, what) -> entries computed here, not yet handed back
_installed: str | None = None  # the name of the reader this process's stores read through


class CacheReader:
    """Runs on the driver's node: reads its cache files for the workers."""

    def __init__(self) -> None:
        self._stores: dict[str, KeyValueStore] = {}

    def _store(self, path: str, what: str) -> KeyValueStore:
        if path not in self._stores:
            self._stores[path] = KeyValueStore(Path(path), what=what)
        return self._stores[path]

    def get_many(self, path: str, what: str, keys: list[str]) -> dict[str, Any]:
        return self._store(path, what).get_many(keys)

    def size(self, path: str, what: str) -> int:
        return len(self._store(path, what))


class DriverStore:
    """A worker's view of one of the driver's stores: reads through the reader, writes kept for the driver."""

    def __init__(self, path: Path, what: str, reader: Any):
        self.path, self.what, self.reader = path, what, reader
        self._entries = _fresh.setdefault((str(path), what), {})

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        import ray

        unique = list(dict.fromkeys(keys))
        found = {key: self._entries[key] for key in unique if key in self._entries}
        missing = [key for key in unique if key not in found]
        if missing:
            found.update(ray.get(self.reader.get_many.remote(str(self.path), self.what, missing)))
        return found

    def put_many(self, items: Iterable[tuple[str, Any]]) -> None:
        self._entries.update(items)

    def __len__(self) -> int:
        import ray

        return ray.get(self.reader.size.remote(str(self.path), self.what)) + len(self._entries)

    def close(self) -> None:
        pass


def install(reader_name: str) -> None:
    """In a worker process: every store opened from now on is a view of the driver's (its CacheReader actor,
    found by name)."""
    global _installed
    if reader_name == _installed:  # audit tasks install once per chunk; finding the actor asks Ray's control store
        return
    import ray

    reader = ray.get_actor(reader_name)
    set_store_opener(lambda path, what: DriverStore(path, what, reader))
    _installed = reader_name


def drain() -> list[tuple[str, str, list[tuple[str, Any]]]]:
    """What this worker computed since the last call, per store: ``(path, what, entries)``; forgotten here."""
    handed = [(path, what, list(entries.items())) for (path, what), entries in _fresh.items() if entries]
    for entries in _fresh.values():
        entries.clear()
    return handed


class StoreWriter:
    """The driver's side: writes the entries workers handed back, one transaction per store and batch."""

    def __init__(self) -> None:
        self._stores: dict[str, KeyValueStore] = {}
        self.written = 0

    def write_back(self, handed: list[tuple[str, str, list[tuple[str, Any]]]]) -> None:
        for path, what, entries in handed:
            if path not in self._stores:
                self._stores[path] = KeyValueStore(Path(path), what=what)
            self._stores[path].put_many(entries)
            self.written += len(entries)

    def close(self) -> None:
        for store in self._stores.values():
            store.close()
