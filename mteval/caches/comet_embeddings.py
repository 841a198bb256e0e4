"""Persistent COMET sentence embeddings, in the COMET cache file beside the segment scores.

An entry is keyed by the model fingerprint (checkpoint hash, hparams, comet
version, precision, device class) and the exact text, and holds the float32
vector's bytes. Each ``put_many`` is one transaction.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Mapping

import numpy as np

from mteval.caches.comet_scores import CometCacheFile


def _key(fingerprint: str, text: str) -> str:
    return hashlib.sha256("\0".join(("sentence-embedding", fingerprint, text)).encode("utf-8")).hexdigest()


class CometEmbeddingCache:
    def __init__(self, cache_file: CometCacheFile):
        self.file = cache_file

    def get_many(self, fingerprint: str, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """Stored embeddings of ``texts`` (read-only arrays), by text."""
        wanted = {_key(fingerprint, text): text for text in texts}
        found = self.file.store.get_many(wanted)
        return {wanted[key]: np.frombuffer(blob, dtype=np.float32) for key, blob in found.items() if isinstance(blob, bytes)}

    def put_many(self, fingerprint: str, embeddings: Mapping[str, np.ndarray]) -> None:
        if embeddings:
            self.file.store.put_many(
                (_key(fingerprint, text), np.asarray(vector, dtype=np.float32).tobytes()) for text, vector in embeddings.items()
            )
