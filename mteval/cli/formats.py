"""Scores as sacrebleu's reporting flags ask for them: ``-f text|json|tsv``, ``-sl`` and ``-b``.

``-b`` wins over ``-f``: bare numbers, one per line (with ``-sl``, one line
per segment, the metrics tab-separated), so ``$(mteval score ... -b)`` is a
number as with sacrebleu. ``-f tsv`` has a header row; ``-w`` sets the decimals.
"""
from __future__ import annotations

import sys
from typing import Any, Mapping, Sequence

from mteval.cli.output import print_json, print_table
from mteval.metrics.base import metric_info


def _number(value: float | None, width: int) -> str:
    return "" if value is None else f"{value:.{width}f}"


def print_tsv(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, width: int, stream=sys.stdout) -> None:
    """Tab-separated values with a header; floats with ``width`` decimals, None empty."""
    print("\t".join(headers), file=stream)
    for row in rows:
        cells = [_number(v, width) if isinstance(v, float) or v is None else str(v) for v in row]
        print("\t".join(cells), file=stream)


def print_bare(rows: Sequence[Sequence[float | None]], *, width: int, stream=sys.stdout) -> None:
    """Numbers only: one row per line, tab-separated."""
    for row in rows:
        print("\t".join(_number(v, width) for v in row), file=stream)


# -- `mteval score` --------------------------------------------------------------------------------


def _rounded(value: float | None, json_decimals: int | None) -> float | None:
    return value if value is None or json_decimals is None else round(value, json_decimals)


def _score_dict(score, json_decimals: int | None) -> dict[str, Any]:
    data = score.to_dict()
    for key in ("score", "ci_low", "ci_high"):
        data[key] = _rounded(data[key], json_decimals)
    return data


def print_corpus_scores(scores: Mapping[str, Any], *, title: str, fmt: str, score_only: bool, width: int,
                        meta: Mapping[str, Any], json_decimals: int | None = None) -> None:
    """Corpus scores of one system (``MetricScore`` per metric); JSON keeps full precision unless
    ``json_decimals`` (an explicit ``-w``) rounds it, as sacrebleu's JSON is rounded to ``-w``."""
    if score_only:
        print_bare([[s.score] for s in scores.values()], width=width)
    elif fmt == "json":
        print_json({**meta, "scores": {name: _score_dict(s, json_decimals) for name, s in scores.items()}})
    elif fmt == "tsv":
        rows = [[name, s.score, s.ci_low, s.ci_high, s.n_segments, s.signature] for name, s in scores.items()]
        print_tsv(["metric", "score", "ci_low", "ci_high", "segments", "signature"], rows, width=width)
    else:
        rows = [[name, _number(s.score, width),
                 f"[{_number(s.ci_low, width)}, {_number(s.ci_high, width)}]" if s.ci_low is not None else None,
                 s.signature] for name, s in scores.items()]
        print_table(title, ["metric", "score", "95% CI", "signature"], rows)


def print_segment_scores(per_metric: Mapping[str, Sequence[float]], *, fmt: str, score_only: bool, width: int,
                         meta: Mapping[str, Any], json_decimals: int | None = None) -> None:
    """Sentence-level scores of one system, one line per segment (JSON rounded as in ``print_corpus_scores``)."""
    metrics = list(per_metric)
    n = len(next(iter(per_metric.values()), []))
    rows = [[per_metric[m][i] for m in metrics] for i in range(n)]
    if score_only:
        print_bare(rows, width=width)
    elif fmt == "json":
        print_json({**meta, "segments": [{m: _rounded(v, json_decimals) for m, v in zip(metrics, row)}
                                         for row in rows]})
    else:  # text and tsv: a header, then one tab-separated line per segment
        print_tsv(["segment", *metrics], [[i + 1, *row] for i, row in enumerate(rows)], width=width)
        if fmt == "text":  # how the scores were made, as sacrebleu -sl says on every line
            for metric, signature in (meta.get("signatures") or {}).items():
                print(f"# {metric}: {signature}")


# -- `mteval run` / `compare` ----------------------------------------------------------------------


def results_segment_rows(results) -> tuple[list[str], list[list[Any]]]:
    """(metric names, rows of doc_id, segment number, system and one score per metric) of every scored segment."""
    metrics: list[str] = []
    for scores in results.corpus.values():
        for metric in scores.parts.get("whole", {}):
            if metric not in metrics and metric_info(metric).kind != "count":
                metrics.append(metric)
    rows = []
    for doc, segment in results.iter_segments():
        for system, scores in segment.scores.items():
            rows.append([doc.doc_id, segment.bead + 1, system, *(scores.get(m) for m in metrics)])
    return metrics, rows


def print_results(results, *, fmt: str, sentence_level: bool, score_only: bool, width: int) -> bool:
    """Print ``results`` as -f/-sl/-b ask; False when the caller's own text summary should be printed instead."""
    if sentence_level:
        metrics, rows = results_segment_rows(results)
        if score_only:
            print_bare([row[3:] for row in rows], width=width)
        elif fmt == "json":
            print_json([dict(zip(["doc_id", "segment", "system", *metrics], row)) for row in rows])
        else:
            print_tsv(["doc_id", "segment", "system", *metrics], rows, width=width)
        return True
    if score_only:  # the scores asked for with -m, as sacrebleu -b prints them (no error counts)
        print_bare([[entry.score] for scores in results.corpus.values()
                    for metric, entry in scores.parts.get("whole", {}).items() if metric_info(metric).kind != "count"],
                   width=width)
        return True
    if fmt == "json":
        print_json(results.to_dict())
        return True
    if fmt == "tsv":
        rows = [
            [system, part, metric, entry.score, entry.ci_low, entry.ci_high, entry.n_segments, entry.signature]
            for system, scores in results.corpus.items()
            for part, per_metric in scores.parts.items()
            for metric, entry in per_metric.items()
        ]
        print_tsv(["system", "part", "metric", "score", "ci_low", "ci_high", "segments", "signature"], rows, width=width)
        return True
    return False
