"""Sentence alignment of one document pair.

:func:`align_sentences` embeds both sides (or takes precomputed embeddings),
scores candidate beads with :class:`~mteval.pair_audit.align.signals.BeadScorer` and
runs the banded dynamic programme of :mod:`mteval.pair_audit.align.dp`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from mteval.pair_audit.align.dp import (DEFAULT_SHAPES, PASS1_SHAPES, Shape, align_banded, check_shapes, dp_align, path_band,
                 uncertain_regions, windows)
from mteval.caches.embeddings import CachingEmbedder
from mteval.pair_audit.embedders import Embedder, default_embedder
from mteval.pair_audit.align.scoring import score_alignment
from mteval.pair_audit.align.signals import BeadScorer, SignalWeights

#: a document pair is "related" when at least this share of sentences is aligned ...
RELATED_MIN_ALIGNED = 0.25
#: ... and the median normalised distance of its aligned beads is at most this (unrelated text: about 1) ...
RELATED_MAX_MEDIAN_DISTANCE = 1.1
#: ... or, for a loose adaptation that keeps a quarter of its sentences as translations and rewrites the rest,
#: the first quartile of the bead distances is at most this.  On PANL-BPPT pairs of two stories of one domain
#: the quartile is at least 1.0 (dev 1.006, held-out 1.045); 0.9 leaves room for short documents, whose
#: quartile is one or two beads that can be close by chance
RELATED_MAX_QUARTILE_DISTANCE = 0.9


@dataclass
class Alignment:
    """Beads ``(source, reference, confidence)`` plus what produced them."""

    beads: list[tuple[tuple[int, ...], tuple[int, ...], float]]
    related: bool
    distances: list[float | None]
    provenance: dict = field(default_factory=dict)
    scorer: BeadScorer | None = None


def _texts_roles(sents) -> tuple[list[str], list[str]]:
    texts, roles = [], []
    for s in sents:
        if isinstance(s, str):
            texts.append(s)
            roles.append("body")
        else:
            texts.append(s.text)
            roles.append(getattr(s, "role", "body") or "body")
    return texts, roles


def align_sentences(source: Sequence, reference: Sequence, *, mt: Sequence[str] | None = None,
                    embedder: Embedder | None = None, shapes: Sequence[Shape] = DEFAULT_SHAPES,
                    weights: SignalWeights | None = None, source_embeddings: np.ndarray | None = None,
                    reference_embeddings: np.ndarray | None = None, band_width: int = 10,
                    use_roles: bool = True, joined: bool = False) -> Alignment:
    """Align the sentences of one document pair.

    ``source`` / ``reference`` are :class:`mteval.documents.segment.Sentence` objects or
    plain strings; ``mt`` is one machine translation per source sentence.  When
    the two sides look unrelated (few aligned sentences, or aligned beads no
    closer than unrelated text, not even the closest quarter of them), every
    sentence is returned in its own null bead and ``related`` is False.

    Passes: the first scores a multi-sentence side by the normalised sum of
    its sentence embeddings (no extra embeddings).  With ``joined=True`` and
    an embedder at hand (``embedder`` given, or no precomputed embeddings),
    the first pass uses ``PASS1_SHAPES`` and a second pass embeds the
    *joined text* of every window (2..max shape sentences) inside each run of
    first-pass beads that are not 1-1 and contain a multi-sentence bead, then
    re-aligns in a narrow band around the first path with all ``shapes``;
    multi-sentence beads outside those runs are not allowed there.  Measured
    (benchmarks/align_gold.py): Text+Berg dev strict F1 0.865 -> 0.889 for
    1.87x the single sentences' characters in extra embeddings; seed
    unchanged.  Off by default because of that cost.  Measured and not
    adopted (same benchmark): joined windows everywhere in the band, as
    Bertalign's second step (0.879); averaging the joined and the summed
    distances (0.884-0.893); summing sentence vectors weighted by length in
    the first pass (0.835-0.864); a cheaper null bead for lines under 15
    characters, captions and rules (0.872, joined 0.892).  With multilingual-e5-small the joined
    text does not separate 2-2 from two 1-1 beads much better than the sums.
    """
    shapes = check_shapes(shapes)
    weights = weights or SignalWeights()
    src_t, src_r = _texts_roles(source)
    ref_t, ref_r = _texts_roles(reference)
    if mt is not None and len(mt) != len(src_t):
        from mteval.errors import InputError

        raise InputError(f"The MT output has {len(mt)} lines but the source has {len(src_t)} sentences.")
    emb = None
    if embedder is not None:
        emb = CachingEmbedder(embedder)
    if source_embeddings is None or reference_embeddings is None:
        emb = emb or CachingEmbedder(default_embedder())
        both = emb.encode(src_t + ref_t) if (src_t or ref_t) else np.zeros((0, 1), np.float32)
        es, er = both[:len(src_t)], both[len(src_t):]
    else:
        es, er = np.asarray(source_embeddings), np.asarray(reference_embeddings)
    scorer = BeadScorer(es, er, src_t, ref_t, mt_texts=mt, weights=weights,
                        src_roles=src_r if use_roles else None, ref_roles=ref_r if use_roles else None)
    n, m = len(src_t), len(ref_t)
    # pass 1: multi-sentence sides as normalised sums of sentence embeddings
    first = tuple(sh for sh in shapes if sh in PASS1_SHAPES or 0 in sh) if joined else shapes
    res = align_banded(n, m, scorer.gain, first, anchors=scorer.anchors_1to1(), width=band_width,
                       full_below=250_000, batched=True)
    joined_info = {"used": False}
    if joined and emb is not None and n and m and any(a * b > 1 for a, b in shapes):
        # pass 2: re-align the runs of pass 1's multi-sentence beads with embeddings of the joined text
        regions = uncertain_regions(res.beads, pad=0)
        max_a = max(a for a, _ in shapes)
        max_b = max(b for _, b in shapes)
        win_s = windows(regions, 0, max_a)
        win_r = windows(regions, 1, max_b)
        texts_s = [" ".join(src_t[x:y]) for x, y in win_s]
        texts_r = [" ".join(ref_t[x:y]) for x, y in win_r]
        vecs = emb.encode(texts_s + texts_r) if texts_s or texts_r else np.zeros((0, es.shape[1]))
        scorer.set_joined(dict(zip(win_s, vecs[:len(win_s)])), dict(zip(win_r, vecs[len(win_s):])))
        band = path_band(res.beads, n, m, max(max_a, max_b) + 1)
        res2 = dp_align(n, m, scorer.gain, shapes, band, batched=True)
        res2.band_width = res.band_width
        res = res2
        joined_info = {"used": True, "regions": len(regions), "windows": len(win_s) + len(win_r),
                       "window_chars": sum(map(len, texts_s)) + sum(map(len, texts_r))}
    ends = [(len(s), len(r), (s[-1] + 1) if s else _src_end_before(res.beads, r), (r[-1] + 1) if r else 0)
            for s, r in res.beads]
    bead_distances = scorer.bead_distances(ends)
    beads, dists = [], []
    for (s, r), (a, b, i, j), d in zip(res.beads, ends, bead_distances.tolist()):
        full_bead = bool(a and b)
        beads.append((s, r, scorer.confidence(a, b, i, j, distance=d if full_bead else None)))
        dists.append(d if full_bead else None)
    aligned = sum(len(s) + len(r) for s, r, _ in beads if s and r)
    full = [d for d in dists if d is not None]
    share = aligned / (n + m) if n + m else 0.0
    median = float(np.median(full)) if full else float("inf")
    quartile = float(np.percentile(full, 25)) if full else float("inf")
    related = bool(n and m and share >= RELATED_MIN_ALIGNED and (median <= RELATED_MAX_MEDIAN_DISTANCE
                                                                  or quartile <= RELATED_MAX_QUARTILE_DISTANCE))
    if n and m and not related:
        beads = [((k,), (), 1.0) for k in range(n)] + [((), (k,), 1.0) for k in range(m)]
        dists = [None] * len(beads)
    provenance = {
        "embedder": {"name": getattr(emb, "name", "precomputed"), "version": getattr(emb, "version", "")},
        "bead_shapes": [f"{a}-{b}" for a, b in shapes],
        "signal_weights": weights.to_dict(),
        "mt_trust": scorer.mt_trust if mt is not None else None,
        "band_width": res.band_width,
        "aligned_share": share,
        "median_bead_distance": median if full else None,
        "first_quartile_bead_distance": quartile if full else None,
        "joined_pass": joined_info,
    }
    return Alignment(beads=beads, related=related, distances=dists, provenance=provenance, scorer=scorer)


def _src_end_before(beads, r) -> int:
    end = 0
    for s, rr in beads:
        if rr == r and not s:
            return end
        if s:
            end = s[-1] + 1
    return end


__all__ = ["Alignment", "align_sentences"]
