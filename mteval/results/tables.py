"""``Results.to_pandas(level)``: one DataFrame per level (corpus, document, bead, divergence, significance)."""
from __future__ import annotations

from typing import Any

from mteval.errors import InputError
from mteval.pair_audit.review import divergence_id
from mteval.results.records import LEVELS, Results


def to_pandas(results: Results, level: str = "corpus"):
    import pandas as pd

    if level == "segment":
        level = "bead"
    rows_of = {
        "corpus": corpus_rows,
        "document": document_rows,
        "bead": bead_rows,
        "divergence": divergence_rows,
        "significance": significance_rows,
    }
    if level not in rows_of:
        raise InputError(f"Unknown level '{level}'; choose one of {', '.join(LEVELS)}.")
    rows = rows_of[level](results)
    if not rows and level in EMPTY_COLUMNS:  # an empty table still names its columns, so code on it runs
        return pd.DataFrame(columns=EMPTY_COLUMNS[level])
    return pd.DataFrame(rows)


#: the columns of the tables whose rows have a fixed set of keys (the document and bead tables add one column per
#: metric and system, so an empty one has none to name); a test checks them against a filled table
EMPTY_COLUMNS = {
    "corpus": ["system", "part", "metric", "score", "ci_low", "ci_high", "n_segments", "signature"],
    "divergence": ["doc_id", "divergence_id", "kind", "role", "severity", "bead", "system", "source_text",
                   "reference_text", "mt_text", "note", "review"],
    "significance": ["system", "baseline", "metric", "part", "test", "delta", "p_value", "score", "n_segments"],
}


def corpus_rows(results: Results) -> list[dict[str, Any]]:
    return [
        {
            "system": system,
            "part": part,
            "metric": metric,
            "score": entry.score,
            "ci_low": entry.ci_low,
            "ci_high": entry.ci_high,
            "n_segments": entry.n_segments,
            "signature": entry.signature,
        }
        for system, scores in results.corpus.items()
        for part, metrics in scores.parts.items()
        for metric, entry in metrics.items()
    ]


def document_rows(results: Results) -> list[dict[str, Any]]:
    rows = []
    for doc in results.documents:
        divergences = doc.audit.divergences
        base = {
            "doc_id": doc.doc_id,
            "source_sentences": len(doc.source_sentences),
            "reference_sentences": len(doc.reference_sentences),
            "beads": len(doc.audit.beads),
            "divergences": len(divergences),
            "major_divergences": sum(d.severity == "major" for d in divergences),
            "related": doc.audit.related,
            "warnings": len(doc.warnings),
        }
        if not doc.systems:
            rows.append(dict(base, system=None))
        for system, work in doc.systems.items():
            row = dict(base, system=system, mt_errors=len(work.mt_errors))
            for part, metrics in work.scores.items():
                for metric, entry in metrics.items():
                    row[f"{metric}_{part}"] = entry.score
            rows.append(row)
    return rows


def bead_rows(results: Results) -> list[dict[str, Any]]:
    rows = []
    for doc, segment in results.iter_segments():
        base = {
            "doc_id": doc.doc_id,
            "bead": segment.bead,
            "role": segment.role,
            "parallel": segment.parallel,
            "source": segment.source,
            "reference": segment.reference,
        }
        if not segment.hypotheses:
            rows.append(base)
        for system, hypothesis in segment.hypotheses.items():
            rows.append(dict(base, system=system, hypothesis=hypothesis, **segment.scores.get(system, {})))
    return rows


def divergence_rows(results: Results) -> list[dict[str, Any]]:
    rows = []
    for doc in results.documents:
        for divergence in doc.divergences():
            spans = divergence.spans
            rows.append(
                {
                    "doc_id": doc.doc_id,
                    "divergence_id": divergence_id(doc.doc_id, divergence),
                    "kind": divergence.kind,
                    "role": divergence.role,
                    "severity": divergence.severity,
                    "bead": divergence.bead,
                    "system": divergence.system,
                    "source_text": " | ".join(s.text for s in spans if s.side == "source"),
                    "reference_text": " | ".join(s.text for s in spans if s.side == "reference"),
                    "mt_text": " | ".join(s.text for s in spans if s.side == "mt"),
                    "note": divergence.note,
                    "review": divergence.review,
                }
            )
    return rows


def significance_records(results: Results) -> list[tuple[str, dict[str, Any]]]:
    """``(part, test record)`` of every paired test in ``results.significance``, parts in order."""
    records = []
    for part, tests in (results.significance or {}).items():
        if isinstance(tests, dict):
            records += [(part, test) for test in tests.values() if isinstance(test, dict) and "results" in test]
    return records


def significance_rows(results: Results) -> list[dict[str, Any]]:
    """One row per system, metric, part and test against the baseline: ``delta`` is system minus baseline."""
    rows = []
    for part, record in significance_records(results):
        baseline = record.get("baseline")
        for system, metrics in record["results"].items():
            if system == baseline:
                continue
            for metric, entry in metrics.items():
                rows.append({
                    "system": system, "baseline": baseline, "metric": metric, "part": part,
                    "test": record.get("test"), "delta": entry.get("difference"), "p_value": entry.get("p_value"),
                    "score": entry.get("score"), "n_segments": record.get("n_segments"),
                })
    return rows
