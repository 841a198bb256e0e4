"""The one result type of an evaluation run, its JSON schema and its tables.

A :class:`Results` holds everything a run produced, per corpus, document,
bead (aligned segment) and divergence, and a provenance manifest that says
exactly how it was produced. ``to_json``/``from_json`` round-trip it;
``to_pandas(level)`` gives one DataFrame per level.

JSON schema ``mteval.results.records`` version 1 (top-level keys):

- ``schema``: ``"mteval.results"``; ``schema_version``: ``1``
- ``provenance``: mteval version, inputs and their SHA-256, ``corpus_fingerprint``,
  segmentation, audit settings, per-system translation settings (model,
  fingerprint/revision, engine, precision, decoding), metric signatures,
  COMET model and version, bootstrap samples and seed
- ``corpus``: ``{system: {"whole"|"parallel": {metric: MetricScore}}}``
- ``documents``: per document ``doc_id``, languages, ``warnings`` (a side that
  looks like another language than declared), ``source_sentences`` and
  ``reference_sentences`` (text, role, offsets), ``audit`` (beads, divergences,
  ``related``), ``systems`` (``translations`` per source sentence and
  per-document ``scores``), and ``segments`` (one per bead: texts, role,
  ``parallel`` flag, ``hypotheses`` and segment ``scores`` per system)
- ``skipped``: stages that did not run, each with ``stage``, ``reason`` and
  the ``system`` or ``metric`` concerned
- ``significance``: paired tests between systems, when more than one was scored
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from mteval.errors import InputError
from mteval.results.validate import validate_results_dict

SCHEMA = "mteval.results"
SCHEMA_VERSION = 1
PARTS = ("whole", "parallel")
LEVELS = ("corpus", "document", "bead", "divergence")


@dataclass
class Results:
    provenance: dict[str, Any]
    corpus: dict[str, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)
    documents: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    significance: dict[str, Any] | None = None

    # -- access -----------------------------------------------------------
    @property
    def systems(self) -> list[str]:
        return list(self.corpus)

    def document(self, doc_id: str) -> dict[str, Any]:
        for doc in self.documents:
            if doc["doc_id"] == doc_id:
                return doc
        raise KeyError(f"no document '{doc_id}' in these results")

    def score(self, system: str, metric: str, part: str = "whole") -> float | None:
        entry = self.corpus.get(system, {}).get(part, {}).get(metric)
        return None if entry is None else entry["score"]

    def iter_segments(self) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        for doc in self.documents:
            for segment in doc.get("segments", []):
                yield doc, segment

    def segment_scores(self, system: str, metric: str, part: str = "whole") -> list[float]:
        """Scores of every scored segment of ``system``, in corpus order."""
        values = []
        for _, segment in self.iter_segments():
            if part == "parallel" and not segment.get("parallel"):
                continue
            value = segment.get("scores", {}).get(system, {}).get(metric)
            if value is not None:
                values.append(value)
        return values

    # -- Jupyter ------------------------------------------------------------
    def show(self, doc_id: str | None = None):
        """The side-by-side view of one document (the first by default), shown inline in Jupyter."""
        from mteval.report.jupyter import show

        return show(self, doc_id)

    def _repr_html_(self) -> str:
        from mteval.report.jupyter import results_html

        return results_html(self)

    @property
    def plot(self):
        """The report's plots: ``results.plot.scores()``, ``.divergences()``, ``.score_vs_length()``."""
        from mteval.report.jupyter import ResultsPlots

        return ResultsPlots(self)

    # -- JSON -------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "provenance": self.provenance,
            "corpus": self.corpus,
            "documents": self.documents,
            "skipped": self.skipped,
            "significance": self.significance,
        }

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 1) -> str:
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
        if path is not None:
            from mteval.output_files import write_text

            write_text(path, text + "\n", what="the results")
        return text

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "results") -> "Results":
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise InputError(f"{source}: not an mteval results file (no '\"schema\": \"{SCHEMA}\"').")
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise InputError(
                f"{source}: results schema version {version} is not supported by this mteval "
                f"(it reads version {SCHEMA_VERSION}); re-run the evaluation with this version."
            )
        validate_results_dict(data, source)
        return cls(
            provenance=data.get("provenance", {}),
            corpus=data.get("corpus", {}),
            documents=data.get("documents", []),
            skipped=data.get("skipped", []),
            significance=data.get("significance"),
        )

    @classmethod
    def from_json(cls, path: str | Path) -> "Results":
        from mteval.documents.loaders import read_text

        text = read_text(path)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"{path}: not valid JSON ({err.msg} at line {err.lineno}).") from None
        return cls.from_dict(data, source=str(path))

    # -- tables -----------------------------------------------------------
    def to_pandas(self, level: str = "corpus"):
        """A DataFrame of one level: corpus, document, bead (segment) or divergence."""
        import pandas as pd

        if level == "segment":
            level = "bead"
        rows_of = {
            "corpus": self._corpus_rows,
            "document": self._document_rows,
            "bead": self._bead_rows,
            "divergence": self._divergence_rows,
        }
        if level not in rows_of:
            raise InputError(f"Unknown level '{level}'; choose one of {', '.join(LEVELS)}.")
        return pd.DataFrame(rows_of[level]())

    def _corpus_rows(self) -> list[dict[str, Any]]:
        rows = []
        for system, parts in self.corpus.items():
            for part, metrics in parts.items():
                for metric, entry in metrics.items():
                    rows.append(
                        {
                            "system": system,
                            "part": part,
                            "metric": metric,
                            "score": entry["score"],
                            "ci_low": entry.get("ci_low"),
                            "ci_high": entry.get("ci_high"),
                            "n_segments": entry.get("n_segments"),
                            "signature": entry.get("signature"),
                        }
                    )
        return rows

    def _document_rows(self) -> list[dict[str, Any]]:
        rows = []
        for doc in self.documents:
            audit = doc.get("audit") or {}
            divergences = audit.get("divergences", [])
            base = {
                "doc_id": doc["doc_id"],
                "source_sentences": len(doc.get("source_sentences", [])),
                "reference_sentences": len(doc.get("reference_sentences", [])),
                "beads": len(audit.get("beads", [])),
                "divergences": len(divergences),
                "major_divergences": sum(d.get("severity") == "major" for d in divergences),
                "related": audit.get("related", True),
                "warnings": len(doc.get("warnings", [])),
            }
            systems = doc.get("systems", {}) or {"": {}}
            for system, data in systems.items():
                row = dict(base, system=system or None)
                for part, metrics in data.get("scores", {}).items():
                    for metric, entry in metrics.items():
                        row[f"{metric}_{part}"] = entry["score"]
                rows.append(row)
        return rows

    def _bead_rows(self) -> list[dict[str, Any]]:
        rows = []
        for doc, segment in self.iter_segments():
            base = {
                "doc_id": doc["doc_id"],
                "bead": segment["bead"],
                "role": segment.get("role"),
                "parallel": segment.get("parallel"),
                "source": segment.get("source"),
                "reference": segment.get("reference"),
            }
            hypotheses = segment.get("hypotheses", {})
            if not hypotheses:
                rows.append(base)
            for system, hypothesis in hypotheses.items():
                row = dict(base, system=system, hypothesis=hypothesis)
                row.update(segment.get("scores", {}).get(system, {}))
                rows.append(row)
        return rows

    def _divergence_rows(self) -> list[dict[str, Any]]:
        rows = []
        for doc in self.documents:
            for divergence in (doc.get("audit") or {}).get("divergences", []):
                spans = divergence.get("spans", [])
                rows.append(
                    {
                        "doc_id": doc["doc_id"],
                        "kind": divergence.get("kind"),
                        "role": divergence.get("role"),
                        "severity": divergence.get("severity"),
                        "bead": divergence.get("bead"),
                        "system": divergence.get("system"),
                        "source_text": " | ".join(s["text"] for s in spans if s.get("side") == "source"),
                        "reference_text": " | ".join(s["text"] for s in spans if s.get("side") == "reference"),
                        "mt_text": " | ".join(s["text"] for s in spans if s.get("side") == "mt"),
                        "note": divergence.get("note", ""),
                    }
                )
        return rows
