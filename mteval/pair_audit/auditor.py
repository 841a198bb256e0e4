"""The pair-audit stage: one audit per document pair, cached, and the alignment fingerprint of a corpus.

An audit is a property of the document pair: it reads the source and the
reference (embeddings, anchors, lengths, roles) and, only when asked with
``align_with``, one named system's output as an extra alignment signal,
used for every system alike. No system's scores can change the beads.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Sequence

from mteval.documents.segment import Sentence
from mteval.errors import InputError
from mteval.pair_audit.divergences.detect import AuditConfig, audit_pair
from mteval.pair_audit.records import Audit, Bead

#: the packages whose code decides an audit; their digest is part of the cache key and the fingerprint
_AUDIT_PACKAGES = ("mteval.pair_audit", "mteval.pair_audit.align", "mteval.pair_audit.divergences")
#: ... and the modules below them that do too (the locale data and script ranges names and numbers are read with)
_AUDIT_MODULES = (("mteval.documents", "cldr.py"), ("mteval.documents", "scripts.py"))


@lru_cache(maxsize=1)
def aligner_code_digest() -> str:
    digest = hashlib.sha256()
    files = [(package, entry) for package in _AUDIT_PACKAGES
             for entry in sorted(resources.files(package).iterdir(), key=lambda e: e.name) if entry.name.endswith(".py")]
    files += [(package, resources.files(package) / name) for package, name in _AUDIT_MODULES]
    for package, entry in files:
        digest.update(f"{package}/{entry.name}".encode())
        digest.update(entry.read_bytes())
    return digest.hexdigest()


@dataclass
class PairAuditor:
    """Audits document pairs with one embedder, one configuration and (optionally) one cache."""

    embedder: Any = None  # a CachingEmbedder (or any embedder); None for line-parallel-only corpora
    cache: Any = None  # an AuditCache, or None
    config: AuditConfig = AuditConfig()
    align_with: str | None = None  # the system whose output is an alignment signal, if any
    # pair audits computed and read from the cache, for the run's provenance (line-parallel pairs are neither)
    counts: dict[str, int] = field(default_factory=lambda: {"computed": 0, "from_cache": 0})

    def audit(self, doc_id: str, source: Sequence[Sentence], reference: Sequence[Sentence], *,
              line_parallel: bool = False, signal: Sequence[str | None] | None = None,
              source_lang: str | None = None, reference_lang: str | None = None) -> Audit:
        """The audit of one pair; ``signal`` is the ``align_with`` system's output for it (one line per source sentence)."""
        if line_parallel:
            # Line-parallel input: the alignment is given, 1-1 by line.
            beads = [Bead((i,), (i,), 1.0) for i in range(len(source))]
            return Audit(beads=beads, divergences=[], related=True, provenance={"alignment": "given (line-parallel)"})
        if self.embedder is None:
            raise InputError(f"Document '{doc_id}' is not line-parallel, so it needs the alignment audit; do not disable it.")
        # Lines the system does not translate (links, bylines) stand for themselves, as `mteval translate` writes them.
        mt = [line if line is not None else s.text for line, s in zip(signal, source)] if signal is not None else None
        languages = (source_lang, reference_lang)
        key = self.cache.key(self._key_payload(source, reference, mt, languages)) if self.cache is not None else None
        if key is not None:
            stored = self.cache.get(key)
            if stored is not None:
                self.counts["from_cache"] += 1
                return stored
        self.counts["computed"] += 1
        audit = audit_pair(source, reference, mt=mt, embedder=self.embedder, config=self.config,
                           source_lang=source_lang, reference_lang=reference_lang)
        if key is not None:
            self.cache.put(key, audit)
        return audit

    def _key_payload(self, source, reference, mt, languages=(None, None)) -> dict[str, Any]:
        return {
            "languages": list(languages),
            "code": aligner_code_digest(),
            "config": self.config.to_dict(),
            "embedder": [self.embedder.name, self.embedder.version],
            "source": [[s.text, s.role] for s in source],
            "reference": [[s.text, s.role] for s in reference],
            "mt": list(mt) if mt is not None else None,
        }

    def settings(self) -> dict[str, Any]:
        """What decides the beads, apart from the texts: recorded in provenance and in the fingerprint."""
        embedder = None if self.embedder is None else {"name": self.embedder.name, "version": self.embedder.version}
        return {"embedder": embedder, "aligner_code": aligner_code_digest(), "config": self.config.to_dict(),
                "align_with": self.align_with}


def alignment_fingerprint(settings: dict[str, Any], audits: Sequence[Audit] | None = None, signal_identity: Any = None,
                          *, digests: Sequence[str] | None = None) -> str:
    """One digest of how a corpus was aligned and of the beads that came out.

    Two results with the same fingerprint scored every system on the same
    segments; the gate refuses to compare results whose fingerprints differ.
    ``signal_identity`` names the ``align_with`` system's output (its model
    fingerprint and decoding settings, or its file hash). ``digests`` (the
    audits' ``beads_digest()`` in corpus order) stand for the audits themselves.
    """
    beads = list(digests) if digests is not None else [a.beads_digest() for a in audits or ()]
    payload = {"settings": settings, "signal": signal_identity, "beads": beads}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]
