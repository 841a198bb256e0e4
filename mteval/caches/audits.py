"""A persistent cache of document audits, so that re-running an unchanged corpus aligns nothing.

The key covers everything an audit depends on: both sides' sentences and
roles, the MT lines used as a signal, the embedder, and the source code of
the aligner and divergence detector themselves (a code change is a new key).
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

from mteval.caches.paths import default_cache_dir
from mteval.caches.store import KeyValueStore


@lru_cache(maxsize=1)
def _code_digest() -> str:
    digest = hashlib.sha256()
    for package in ("mteval.pair_audit", "mteval.pair_audit.align", "mteval.pair_audit.divergences"):
        for entry in sorted(resources.files(package).iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                digest.update(entry.name.encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()


class AuditCache:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_cache_dir() / "audits.sqlite"
        self._store = KeyValueStore(self.path, what="audit cache")

    @staticmethod
    def key(source: Sequence, reference: Sequence, mt: Sequence[str] | None, embedder) -> str:
        payload = {
            "code": _code_digest(),
            "embedder": None if embedder is None else [embedder.name, embedder.version],
            "source": [[s.text, s.role] for s in source],
            "reference": [[s.text, s.role] for s in reference],
            "mt": list(mt) if mt is not None else None,
        }
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()

    def get(self, key: str) -> dict | None:
        value = self._store.get_many([key]).get(key)
        return None if value is None else json.loads(value)

    def put(self, key: str, audit: dict) -> None:
        self._store.put_many([(key, json.dumps(audit, ensure_ascii=False))])
