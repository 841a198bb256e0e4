"""sacrebleu metrics of line-parallel files of any size, in bounded memory.

:func:`score_files` reads the hypothesis and reference files side by side,
a chunk of lines at a time, and turns each chunk into sacrebleu's
per-segment sufficient statistics at once, so the text and sacrebleu's
n-gram tables are held for one chunk only (reading whole files and caching
every reference's n-grams, chrF held about 1.8 GB per 5 MB of text). Corpus
scores come from the summed statistics, exactly as sacrebleu computes them;
with ``n_bootstrap`` the statistics rows (a few hundred bytes per line) are
kept and resampled a few rows of resamples at a time, drawing the same
resamples as :func:`mteval.metrics.significance.resampled_interval`. TER
segments too long for its quadratic edit distance are scored in pieces (see
:mod:`mteval.metrics.bounded_ter`) and reported in :attr:`StreamedScores.notes`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from mteval.documents.text import has_visible_text
from mteval.errors import InputError, os_error_sentence
from mteval.metrics.bounded_ter import PIECE_WORDS
from mteval.metrics.lexical import LEXICAL_METRICS, MetricScore, make_metric, statistics_score, with_interval
from mteval.metrics.significance import LexicalEvaluator, LexicalOptions, _counts, _interval

# A chunk ends after this many lines or characters, whichever comes first: sacrebleu's tables for
# one chunk stay in the tens of megabytes, and a chunk is still large enough to cost nothing extra.
CHUNK_LINES = 2000
CHUNK_CHARS = 1_000_000
# Resample-count matrices hold at most this many cells (32 MB of float64) at a time.
_RESAMPLE_CELLS = 1 << 22


@dataclass
class StreamedScores:
    scores: dict[str, MetricScore]
    n_segments: int
    notes: list[str] = field(default_factory=list)


def score_files(
    *,
    hypotheses: str | Path,
    references: str | Path | Sequence[str | Path],
    metrics: Sequence[str] = LEXICAL_METRICS,
    n_bootstrap: int = 0,
    seed: int = 12345,
    options: LexicalOptions | None = None,
) -> StreamedScores:
    """Corpus scores (and 95% bootstrap intervals) of a hypothesis file against one or more reference files."""
    if isinstance(n_bootstrap, bool) or not isinstance(n_bootstrap, int) or n_bootstrap < 0:
        raise InputError(f"The number of bootstrap resamples must be 0 or more, not {n_bootstrap!r}.")
    ref_paths = [references] if isinstance(references, (str, Path)) else list(references)
    for name in metrics:
        make_metric(name)  # an unknown name is refused before any file is read
    evaluators = {name: LexicalEvaluator(name, options=options) for name in metrics}
    totals = {name: None for name in metrics}
    rows: dict[str, list[np.ndarray]] = {name: [] for name in metrics}
    n_segments = 0
    for hyps, refs in _chunks(Path(hypotheses), [Path(p) for p in ref_paths]):
        n_segments += len(hyps)
        for name, evaluator in evaluators.items():
            stats = evaluator.statistics(hyps, refs).reshape(len(hyps), -1)
            totals[name] = stats.sum(axis=0) if totals[name] is None else totals[name] + stats.sum(axis=0)
            if n_bootstrap:
                rows[name].append(stats)
    scores: dict[str, MetricScore] = {}
    notes: list[str] = []
    for name, evaluator in evaluators.items():
        score = statistics_score(name, evaluator, totals[name], n_segments)
        if n_bootstrap and n_segments > 1:
            _, low, high = bounded_interval(evaluator, np.concatenate(rows[name]), n_samples=n_bootstrap, seed=seed)
            score = with_interval(score, evaluator, low, high, n_bootstrap=n_bootstrap, seed=seed)
            rows[name] = []
        capped = getattr(evaluator.metric, "capped_segments", 0)
        if capped:
            note = (f"{capped} segment{'s' if capped > 1 else ''} longer than TER's limit "
                    f"{'were' if capped > 1 else 'was'} scored in pieces (an approximation: TER's edit distance "
                    "is quadratic in a segment's length)")
            score.details.update(capped_segments=capped, note=note)
            # the figure is not sacrebleu's for these files, so the signature must not be sacrebleu's alone
            score.signature += f"|pieces:{PIECE_WORDS}"
            notes.append(f"{name}: {note}.")
        scores[name] = score
    return StreamedScores(scores, n_segments, notes)


def bounded_interval(evaluator, stats: np.ndarray, *, n_samples: int, seed: int) -> tuple[float, float, float]:
    """Bootstrap mean and 95% interval from per-segment statistics, a few rows of resamples at a time.

    The resamples are drawn from one generator in row order, so they equal those of
    :func:`~mteval.metrics.significance.resampled_interval` with the same seed.
    """
    n = len(stats)
    rng = np.random.default_rng(seed)
    step = max(1, _RESAMPLE_CELLS // n)
    scores = np.empty(n_samples)
    for start in range(0, n_samples, step):
        count = min(step, n_samples - start)
        indices = rng.choice(n, size=(count, n), replace=True)
        scores[start : start + count] = evaluator.scores(_counts(indices, n) @ stats, n)
    return _interval(scores)


def _chunks(hyp_path: Path, ref_paths: list[Path]) -> Iterator[tuple[list[str], list[list[str]]]]:
    """Chunks of (hypotheses, reference streams); the files' line counts are checked at the end."""
    readers = [_LineReader(hyp_path)] + [_LineReader(p) for p in ref_paths]
    streams = [iter(reader) for reader in readers]
    hyps: list[str] = []
    refs: list[list[str]] = [[] for _ in ref_paths]
    chars = 0
    while True:
        lines = [next(stream, None) for stream in streams]
        if any(line is None for line in lines):
            break
        hyps.append(lines[0])
        for stream_lines, line in zip(refs, lines[1:]):
            stream_lines.append(line)
        chars += sum(len(line) for line in lines)
        if len(hyps) >= CHUNK_LINES or chars >= CHUNK_CHARS:
            yield hyps, refs
            hyps, refs, chars = [], [[] for _ in ref_paths], 0
    for reader, stream, line in zip(readers, streams, lines):
        if line is not None:
            reader.count_rest(stream)
    for reader in readers:
        reader.check_not_empty()
    for reader in readers[1:]:
        if reader.lines != readers[0].lines:
            raise InputError(
                f"{hyp_path} has {readers[0].lines} lines but {reader.path} has {reader.lines}; "
                "they must pair up line by line."
            )
    if hyps:
        yield hyps, refs


class _LineReader:
    """Lines of a UTF-8 file as :func:`mteval.documents.loaders.read_lines` gives them, one at a time."""

    def __init__(self, path: Path):
        if not path.exists():
            raise InputError(f"{path}: no such file.")
        if path.is_dir():
            raise InputError(f"{path}: is a directory, expected a text file.")
        self.path = path
        self.lines = 0
        self._text_seen = False

    def __iter__(self) -> Iterator[str]:
        offset = 0
        try:
            with self.path.open("rb") as handle:
                for raw in handle:
                    yield self._decode(raw, offset)
                    offset += len(raw)
        except OSError as err:
            raise InputError(os_error_sentence(err, self.path, "read it")) from None

    def _decode(self, raw: bytes, offset: int) -> str:
        try:
            text = raw.decode("utf-8-sig" if offset == 0 else "utf-8")
        except UnicodeDecodeError as err:
            raise InputError(
                f"{self.path}: not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {offset + err.start}); "
                "re-encode it as UTF-8."
            ) from None
        self.lines += 1
        line = text[:-1] if text.endswith("\n") else text
        if not self._text_seen and has_visible_text(line):
            self._text_seen = True
        return line.rstrip("\r")

    def count_rest(self, stream: Iterator[str]) -> None:
        for _ in stream:
            pass

    def check_not_empty(self) -> None:
        if not self._text_seen:
            if self.lines:
                raise InputError(f"{self.path}: holds only blank lines, spaces or invisible characters.")
            raise InputError(f"{self.path}: the file is empty.")
