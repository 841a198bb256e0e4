"""The corpus as compact per-segment arrays: what corpus scores, intervals and paired tests need.

Documents are folded in as their chunks finish (or are read back when a run
resumes) and can then be dropped: the table keeps, per scored segment in
corpus order, whether it is in the parallel part, each system's sufficient
statistics per lexical metric and its COMET score, and per system the MT
error counts per part. Everything computed at the end of a run reads this
table, never the documents, so a streamed run and an in-memory one compute
the same figures from the same arrays.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from mteval.results.records import PARTS, DocumentResult


class SegmentTable:
    def __init__(self, names: Sequence[str]):
        self.names = list(names)
        self.parallel: list[bool] = []
        self.n_references: int | None = None
        self.comet_signature: str | None = None
        self._pieces: dict[str, dict[str, list[np.ndarray]]] = {name: {} for name in self.names}
        self._stacked: dict[str, dict[str, np.ndarray]] = {}
        self._comet: dict[str, list[float]] = {name: [] for name in self.names}
        self._mt: dict[str, dict[str, list]] = {name: {part: [0, 0, {}] for part in PARTS} for name in self.names}

    def add(self, documents: Sequence[DocumentResult], statistics: dict[str, dict[str, np.ndarray]]) -> None:
        """Fold in some documents (in corpus order) and each system's statistics of their scored segments."""
        if not self.names:
            return
        scored = [s for doc in documents for s in doc.segments if all(n in s.hypotheses for n in self.names)]
        self.parallel.extend(s.parallel for s in scored)
        extra = min((len(s.extra_references) for s in scored), default=None)
        if extra is not None:
            self.n_references = 1 + extra if self.n_references is None else min(self.n_references, 1 + extra)
        for name in self.names:
            for metric, rows in statistics.get(name, {}).items():
                if len(rows) != len(scored):
                    raise ValueError(f"{len(rows)} rows of {metric} statistics for {len(scored)} segments")
                self._pieces[name].setdefault(metric, []).append(rows)
            self._comet[name].extend(s.scores.get(name, {}).get("comet", np.nan) for s in scored)
            self._add_mt_errors(documents, name)
        self._stacked = {}

    def _add_mt_errors(self, documents: Sequence[DocumentResult], name: str) -> None:
        from mteval.pipeline.scoring import mt_error_counts

        for doc in documents:
            for part in PARTS:
                errors, sentences, kinds = mt_error_counts(doc, name, part)
                total = self._mt[name][part]
                total[0] += errors
                total[1] += sentences
                for kind, count in kinds.items():
                    total[2][kind] = total[2].get(kind, 0) + count
            for part_scores in doc.systems[name].scores.values():
                if "comet" in part_scores and self.comet_signature is None:
                    self.comet_signature = part_scores["comet"].signature

    def statistics(self, name: str) -> dict[str, np.ndarray]:
        """Per metric, the statistics of every scored segment of ``name`` (segments x statistics)."""
        if name not in self._stacked:
            self._stacked[name] = {metric: np.concatenate(pieces) for metric, pieces in self._pieces[name].items()}
        return self._stacked[name]

    def in_part(self, part: str) -> list[int]:
        return [i for i, parallel in enumerate(self.parallel) if part == "whole" or parallel]

    def comet(self, name: str, part: str) -> np.ndarray:
        """``name``'s COMET scores of the scored segments of ``part`` (segments without a score left out)."""
        values = np.asarray(self._comet[name], dtype=np.float64)
        chosen = values[self.in_part(part)] if len(values) else values
        return chosen[~np.isnan(chosen)]

    def comet_columns(self, names: Sequence[str], part: str) -> dict[str, np.ndarray]:
        """Each of ``names``' COMET scores on the segments of ``part`` that COMET scored for all of them."""
        chosen = self.in_part(part)
        columns = {n: np.asarray(self._comet[n], dtype=np.float64)[chosen] if chosen else np.zeros(0) for n in names}
        scored = np.logical_and.reduce([~np.isnan(c) for c in columns.values()]) if columns else np.zeros(0, bool)
        return {n: column[scored] for n, column in columns.items()}

    def mt_errors(self, name: str, part: str) -> tuple[int, int, dict[str, int]]:
        errors, sentences, kinds = self._mt[name][part]
        return errors, sentences, dict(kinds)

    def segment_statistics(self, names: Sequence[str], chosen: list[int], settings: Any):
        """The paired tests' input for ``names`` on the segments at ``chosen``, from the stored statistics."""
        from mteval.metrics.lexical import signed_evaluator
        from mteval.metrics.significance import SegmentStatistics

        metrics = list(dict.fromkeys(m.lower() for m in settings.lexical_metrics))
        evaluators = {m: signed_evaluator(m, settings.lexical_options, self.n_references or 1) for m in metrics}
        stats = {m: {name: self.statistics(name)[m][chosen] for name in names} for m in metrics}
        return SegmentStatistics(list(names), len(chosen), metrics, evaluators, stats)
