"""The persistent translation cache: one entry per (model, settings, source sentence)."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from mteval.caches.paths import default_cache_dir
from mteval.caches.store import KeyValueStore, damaged_entry, open_store


def default_cache_path() -> Path:
    return default_cache_dir() / "translations.sqlite"


class TranslationCache:
    """Maps (model fingerprint, decoding settings, source sentence) to a translation.

    Each ``put_many`` is its own transaction, so an interrupted run keeps
    every batch it finished; an unreadable file raises ``CacheError`` and is kept.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_cache_path()
        self._store = open_store(self.path, what="translation cache")

    @staticmethod
    def key(model: str, settings: str, source: str) -> str:
        return hashlib.sha256("\0".join((model, settings, source)).encode("utf-8")).hexdigest()

    def get_many(self, model: str, settings: str, sources: Iterable[str]) -> dict[str, str]:
        """Translations already cached for ``sources``, by source text."""
        wanted = {self.key(model, settings, s): s for s in sources}
        found = self._store.get_many(wanted)
        if not all(isinstance(value, str) for value in found.values()):
            raise damaged_entry(self._store)
        return {wanted[key]: value for key, value in found.items()}

    def put_many(self, model: str, settings: str, pairs: Mapping[str, str] | Sequence[tuple[str, str]]) -> None:
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        self._store.put_many((self.key(model, settings, s), t) for s, t in items)

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        self._store.close()
