"""Pure dynamic-programming core of the sentence aligner.

Arrays and a gain callable in, beads out: no I/O, no models, and the caller's
arrays are never modified.

The search maximises the summed *gain* of a monotone sequence of beads that
covers every sentence of both sides exactly once.  A bead of shape ``(a, b)``
ending at cell ``(i, j)`` covers source sentences ``i-a .. i-1`` and reference
sentences ``j-b .. j-1``.  ``gain(a, b, i, js)`` returns, for one source end
``i`` and an integer array of reference ends ``js``, the gains of those beads
(higher is better); a *batched* gain takes an array of source ends instead, one
per reference end.  The gains of every band cell are computed before the table
is filled (a bead's gain does not depend on the path that reaches it).  Null beads ``(1, 0)`` and ``(0, 1)`` go through the same
callable, so the caller decides what leaving a sentence unaligned is worth.

The table is filled row by row (one row per source position) inside a band
``lo[i] <= j <= hi[i]``; a row is vectorised with numpy, including the
within-row chain of ``(0, 1)`` beads, which is a max-plus prefix scan
(``np.maximum.accumulate``).  Time and memory are proportional to the band's
area, so with a band of fixed width the search is linear in document length.
:func:`align_banded` builds the band around a rough path from anchor pairs
(Bertalign's two-step idea) and widens it while the best path touches its edge.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

Shape = tuple[int, int]
GainFn = Callable[[int, int, int, np.ndarray], np.ndarray]

NULL_SHAPES: tuple[Shape, ...] = ((1, 0), (0, 1))
#: Bead shapes searched by default: nulls and every a-b with a + b <= 5 (Bertalign's max_align).
DEFAULT_SHAPES: tuple[Shape, ...] = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1),
                                     (2, 3), (3, 2), (1, 4), (4, 1))
#: Shapes of the first pass (sums of sentence embeddings); larger beads only in the joined-text pass.
PASS1_SHAPES: tuple[Shape, ...] = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1))


class DPResult:
    """Beads of the best path and the gain of each bead."""

    __slots__ = ("beads", "gains", "score", "band_width", "touched_edge")

    def __init__(self, beads, gains, score, band_width, touched_edge):
        self.beads: list[tuple[tuple[int, ...], tuple[int, ...]]] = beads
        self.gains: list[float] = gains
        self.score: float = score
        self.band_width: int | None = band_width
        self.touched_edge: bool = touched_edge

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"DPResult(beads={self.beads!r}, score={self.score:.4f})"


def check_shapes(shapes: Sequence[Shape]) -> tuple[Shape, ...]:
    """Validate bead shapes; both null shapes are required so a path always exists."""
    out = []
    for shape in shapes:
        a, b = (int(shape[0]), int(shape[1]))
        if a < 0 or b < 0 or (a == 0 and b == 0):
            raise ValueError(f"invalid bead shape {shape!r}: sizes must be >= 0 and not both 0")
        if (a == 0 and b > 1) or (b == 0 and a > 1):
            raise ValueError(f"invalid bead shape {shape!r}: null beads are (1, 0) and (0, 1)")
        if (a, b) not in out:
            out.append((a, b))
    for null in NULL_SHAPES:
        if null not in out:
            raise ValueError(f"bead shapes must include the null shape {null!r}")
    return tuple(out)


def full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The band that covers the whole (n+1) x (m+1) table."""
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def dp_align(n: int, m: int, gain: GainFn, shapes: Sequence[Shape] = DEFAULT_SHAPES,
             band: tuple[np.ndarray, np.ndarray] | None = None, *, batched: bool = False) -> DPResult:
    """Best monotone bead sequence for ``n`` source and ``m`` reference sentences.

    ``band`` is ``(lo, hi)``, arrays of length ``n + 1``; row ``i`` of the table
    is searched for ``lo[i] <= j <= hi[i]``.  It is repaired to be monotone and
    connected, and always contains ``(0, 0)`` and ``(n, m)``.

    With ``batched`` the gain takes an array of source ends, one per reference
    end (``gain(a, b, is_, js)``), and is called a few times per shape for
    thousands of cells at once instead of once per row and shape.
    """
    if n < 0 or m < 0:
        raise ValueError("sentence counts must be >= 0")
    shapes = check_shapes(shapes)
    lo, hi = _repair_band(n, m, band)
    widths = hi - lo + 1
    starts = np.concatenate([[0], np.cumsum(widths)])
    cell_i = np.repeat(np.arange(n + 1, dtype=np.int64), widths)
    cell_j = lo[cell_i] + (np.arange(starts[-1], dtype=np.int64) - starts[cell_i])
    cells = _cell_gains(gain, shapes, cell_i, cell_j, lo, hi, batched)
    has01 = (0, 1) in shapes
    s01 = shapes.index((0, 1))
    D: list[np.ndarray] = []
    P: list[np.ndarray] = []
    for i in range(n + 1):
        row = slice(starts[i], starts[i + 1])
        js = cell_j[row]
        width = js.size
        best = np.full(width, -np.inf)
        ptr = np.full(width, -1, dtype=np.int16)
        if i == 0:
            best[js == 0] = 0.0
        for s, (a, b) in enumerate(shapes):
            if a == 0 or a > i:
                continue
            prev = D[i - a]
            idx = np.clip(js - b - lo[i - a], 0, prev.size - 1)
            cand = prev[idx] + cells[s][row]  # -inf where the bead does not fit the band
            upd = cand > best
            best[upd] = cand[upd]
            ptr[upd] = s
        if has01 and width > 1:
            g01 = cells[s01][row].copy()
            g01[0] = 0.0
            c = np.cumsum(g01)
            t = best - c
            acc = np.maximum.accumulate(t)
            from_left = acc > t
            from_left[0] = False
            best = np.where(from_left, c + acc, best)
            ptr[from_left] = s01
        D.append(best)
        P.append(ptr)
    score = float(D[n][m - lo[n]])
    if not np.isfinite(score):
        raise ValueError("no monotone alignment exists inside the band")
    beads: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    gains: list[float] = []
    i, j = n, m
    touched = False
    while i > 0 or j > 0:
        col = j - lo[i]
        if (j == lo[i] and lo[i] > 0) or (j == hi[i] and hi[i] < m):
            touched = True
        s = int(P[i][col])
        a, b = shapes[s]
        gains.append(float(cells[s][starts[i] + col]))
        beads.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    beads.reverse()
    gains.reverse()
    return DPResult(beads, gains, score, None, touched)


#: cells per batched gain call: bounds the scorer's temporaries (the MT signal holds 6,144 counts per cell)
_BATCH_CELLS = 2048


def _cell_gains(gain: GainFn, shapes: tuple[Shape, ...], cell_i: np.ndarray, cell_j: np.ndarray,
                lo: np.ndarray, hi: np.ndarray, batched: bool) -> list[np.ndarray]:
    """Per shape, the gain of the bead ending at every band cell (``-inf`` where it does not fit the band)."""
    out = []
    for a, b in shapes:
        start_i, start_j = cell_i - a, cell_j - b
        fits = (start_i >= 0) & (start_j >= 0)
        if a:
            k = np.where(fits, start_i, 0)
            fits &= (start_j >= lo[k]) & (start_j <= hi[k])
        else:
            fits &= start_j >= lo[cell_i]
        g = np.full(cell_i.size, -np.inf)
        where = np.nonzero(fits)[0]
        if where.size:
            g[where] = _gains(gain, a, b, cell_i[where], cell_j[where], batched)
        out.append(g)
    return out


def _gains(gain: GainFn, a: int, b: int, is_: np.ndarray, js: np.ndarray, batched: bool) -> np.ndarray:
    """``gain`` over cells sorted by source end: in chunks when batched, else one call per source end."""
    if batched:
        parts = [gain(a, b, is_[k:k + _BATCH_CELLS], js[k:k + _BATCH_CELLS]) for k in range(0, is_.size, _BATCH_CELLS)]
    else:
        rows, first = np.unique(is_, return_index=True)
        bounds = list(first) + [is_.size]
        parts = [gain(a, b, int(i), js[bounds[k]:bounds[k + 1]]) for k, i in enumerate(rows.tolist())]
    return np.concatenate([np.asarray(p, dtype=np.float64) for p in parts])


def _repair_band(n: int, m: int, band) -> tuple[np.ndarray, np.ndarray]:
    if band is None:
        return full_band(n, m)
    lo = np.clip(np.array(band[0], dtype=np.int64, copy=True), 0, m)
    hi = np.clip(np.array(band[1], dtype=np.int64, copy=True), 0, m)
    if lo.shape != (n + 1,) or hi.shape != (n + 1,):
        raise ValueError(f"band arrays must have length n + 1 = {n + 1}")
    lo[0] = 0
    hi[n] = m
    lo = np.maximum.accumulate(lo)
    hi = np.minimum.accumulate(hi[::-1])[::-1]
    # rows must overlap so that (1, 0) beads keep the table connected
    for i in range(1, n + 1):
        if lo[i] > hi[i - 1]:
            lo[i] = hi[i - 1]
    hi = np.maximum(hi, lo)
    return lo, hi


def anchor_path(n: int, m: int, anchors: Sequence[tuple[int, int]]) -> np.ndarray:
    """Rough path: for each source boundary ``0..n`` an expected reference boundary.

    ``anchors`` are ``(i, j)`` sentence pairs believed to align; the longest
    chain increasing in both coordinates is kept and the boundaries between
    them are interpolated linearly, with ``(0, 0)`` and ``(n, m)`` as ends.
    """
    chain = _longest_chain(sorted({(int(i), int(j)) for i, j in anchors}))
    xs = [0.0] + [i + 0.5 for i, _ in chain] + [float(n)]
    ys = [0.0] + [j + 0.5 for _, j in chain] + [float(m)]
    return np.interp(np.arange(n + 1, dtype=np.float64), xs, ys)


def band_around(path: np.ndarray, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Band of half-width ``width`` around a rough path, widened over its jumps."""
    c = np.asarray(path, dtype=np.float64)
    nxt = np.append(c[1:], c[-1])
    prv = np.insert(c[:-1], 0, c[0])
    lo = np.floor(np.minimum(prv, c)) - width
    hi = np.ceil(np.maximum(nxt, c)) + width
    return np.clip(lo, 0, m).astype(np.int64), np.clip(hi, 0, m).astype(np.int64)


def align_banded(n: int, m: int, gain: GainFn, shapes: Sequence[Shape] = DEFAULT_SHAPES,
                 anchors: Sequence[tuple[int, int]] = (), width: int = 10,
                 full_below: int = 0, *, batched: bool = False) -> DPResult:
    """Two-step search: a band around the anchor path, doubled while the best path touches its edge.

    Tables with at most ``full_below`` cells are searched whole; ``batched`` as in :func:`dp_align`.
    """
    if (n + 1) * (m + 1) <= full_below or n == 0 or m == 0:
        res = dp_align(n, m, gain, shapes, batched=batched)
        res.band_width = None
        return res
    path = anchor_path(n, m, anchors)
    w = max(1, int(width))
    while True:
        band = band_around(path, m, w)
        res = dp_align(n, m, gain, shapes, band, batched=batched)
        res.band_width = w
        if not res.touched_edge or w >= m:
            return res
        w *= 2


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence strictly increasing in both coordinates (O(k log k))."""
    import bisect

    # sort by i ascending, j descending so equal i cannot both be chosen
    pairs = sorted(pairs, key=lambda p: (p[0], -p[1]))
    tails: list[int] = []
    tail_idx: list[int] = []
    parent = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        parent[k] = tail_idx[pos - 1] if pos > 0 else -1
    out = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.append(pairs[k])
        k = parent[k]
    return out[::-1]


def uncertain_regions(beads, pad: int = 1, need_multi: bool = True) -> list[tuple[int, int, int, int]]:
    """Rectangles ``(s0, s1, r0, r1)`` around runs of beads that are not 1-1, ``pad`` beads either side.

    With ``need_multi`` only runs that contain a multi-sentence bead count (runs of
    null beads alone are left as they are).  Overlapping or touching rectangles
    are merged.  ``beads`` cover both sides in order.
    """
    out: list[list[int]] = []
    starts_s, starts_r = [], []
    i = j = 0
    for s, r in beads:
        starts_s.append(i)
        starts_r.append(j)
        i += len(s)
        j += len(r)
    starts_s.append(i)
    starts_r.append(j)
    k = 0
    nb = len(beads)
    while k < nb:
        if len(beads[k][0]) == 1 and len(beads[k][1]) == 1:
            k += 1
            continue
        e = k
        while e + 1 < nb and not (len(beads[e + 1][0]) == 1 and len(beads[e + 1][1]) == 1):
            e += 1
        if need_multi and not any(len(s) * len(r) > 1 for s, r in beads[k:e + 1]):
            k = e + 1
            continue
        lo, hi = max(0, k - pad), min(nb - 1, e + pad)
        rect = [starts_s[lo], starts_s[hi + 1], starts_r[lo], starts_r[hi + 1]]
        if out and rect[0] <= out[-1][1] and rect[2] <= out[-1][3]:
            out[-1][1] = max(out[-1][1], rect[1])
            out[-1][3] = max(out[-1][3], rect[3])
        else:
            out.append(rect)
        k = e + 1
    return [tuple(r) for r in out]


def windows(regions, axis: int, max_size: int) -> list[tuple[int, int]]:
    """Distinct windows ``(start, end)`` of 2..``max_size`` sentences inside the regions on one side."""
    seen: dict[tuple[int, int], None] = {}
    for reg in regions:
        a, b = (reg[0], reg[1]) if axis == 0 else (reg[2], reg[3])
        for size in range(2, max_size + 1):
            for x in range(a, b - size + 1):
                seen[(x, x + size)] = None
    return list(seen)


def path_band(beads, n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Band of half-width ``width`` (in reference sentences) around the corners of a bead path."""
    lo = np.full(n + 1, -1, dtype=np.int64)
    hi = np.full(n + 1, -1, dtype=np.int64)
    i = j = 0
    lo[0] = hi[0] = 0
    for s, r in beads:
        i += len(s)
        j += len(r)
        lo[i] = j if lo[i] < 0 else min(lo[i], j)
        hi[i] = max(hi[i], j)
    # rows inside a multi-source bead: between the corners before and after
    lo = np.maximum.accumulate(lo)
    hi_f = np.where(hi < 0, m, hi)
    hi = np.minimum.accumulate(hi_f[::-1])[::-1]
    return np.clip(lo - width, 0, m), np.clip(hi + width, 0, m)
