"""A persistent cache of pair audits, so that re-running an unchanged corpus aligns nothing.

The caller builds the key from everything an audit depends on (both sides'
sentences and roles, the alignment signal settings, the embedder, the
aligner's own code digest, and the output of the ``--align-with`` system if
one is used); a change to any of them is a new key.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from mteval.caches.paths import default_cache_dir
from mteval.caches.store import KeyValueStore, damaged_entry, open_store
from mteval.pair_audit.records import Audit


class AuditCache:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_cache_dir() / "audits.sqlite"
        self._store = open_store(self.path, what="audit cache")

    @staticmethod
    def key(payload: dict[str, Any]) -> str:
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()

    def get(self, key: str) -> Audit | None:
        """The audit stored under ``key``; an entry that is not an audit's JSON is reported, the file kept."""
        value = self._store.get_many([key]).get(key)
        if value is None:
            return None
        try:
            return Audit.from_dict(json.loads(value))
        except (KeyError, TypeError, ValueError, AttributeError):  # not JSON, or JSON of something else
            raise damaged_entry(self._store) from None

    def put(self, key: str, audit: Audit) -> None:
        self._store.put_many([(key, json.dumps(audit.to_dict(), ensure_ascii=False))])
