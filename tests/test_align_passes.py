"""Joined-text second pass, its region/window/band helpers, the per-text embedding cache."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from _audit_fixtures import HashEmbedder
from mteval.pair_audit.align.sentences import align_sentences
from mteval.pair_audit.align.dp import DEFAULT_SHAPES, dp_align, path_band, uncertain_regions, windows
from mteval.caches.embeddings import CachingEmbedder
from mteval.pair_audit.align.signals import BeadScorer


class CountingEmbedder(HashEmbedder):
    def __init__(self):
        super().__init__()
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return super().encode(texts)


def test_caching_embedder_embeds_each_distinct_text_once():
    inner = CountingEmbedder()
    emb = CachingEmbedder(inner)
    a = emb.encode(["x y", "z", "x y"])
    b = emb.encode(["z", "w"])
    assert inner.calls == [["x y", "z"], ["w"]]
    assert np.allclose(a[0], a[2]) and np.allclose(a[1], b[0])
    assert emb.stats["embedded"] == 3 and emb.stats["requested"] == 5
    assert CachingEmbedder(emb).encode(["w"]).shape == (1, inner.dim) and inner.calls[-1] == ["w"]


def test_uncertain_regions_windows_and_band():
    beads = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,)), ((), (5,)), ((4,), (6,)), ((5, 6), (7,))]
    regs = uncertain_regions(beads, pad=1)
    # the run 1-2 (+1 bead either side); the lone null bead has no multi-sentence bead; the 2-1 at the end
    assert regs == [(0, 3, 0, 4), (4, 7, 6, 8)]
    assert uncertain_regions(beads, pad=0, need_multi=False) == [(1, 2, 1, 3), (4, 4, 5, 6), (5, 7, 7, 8)]
    assert windows([(0, 3, 0, 4)], 0, 3) == [(0, 2), (1, 3), (0, 3)]
    assert windows([(0, 3, 0, 4)], 1, 2) == [(0, 2), (1, 3), (2, 4)]
    lo, hi = path_band(beads, 7, 8, 0)
    assert list(lo) == [0, 1, 3, 4, 5, 7, 7, 8] and list(hi) == [0, 1, 3, 4, 6, 7, 8, 8]
    assert all(lo[i] <= hi[i] for i in range(8))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 14), st.integers(1, 14), st.integers(0, 10_000))
def test_joined_pass_partitions_and_only_uses_embedded_windows(n, m, seed):
    rng = np.random.default_rng(seed)
    words = [f"w{k}" for k in range(30)]
    src = [" ".join(rng.choice(words, 4)) for _ in range(n)]
    ref = [" ".join(rng.choice(words, 4)) for _ in range(m)]
    emb = CachingEmbedder(HashEmbedder())
    al = align_sentences(src, ref, embedder=emb, joined=True)
    assert [i for s, _, _ in al.beads for i in s] == list(range(n))
    assert [j for _, r, _ in al.beads for j in r] == list(range(m))
    assert all((len(s), len(r)) in DEFAULT_SHAPES for s, r, _ in al.beads)
    info = al.provenance["joined_pass"]
    if info["used"]:
        joined = al.scorer._joined
        for s, r, _ in al.beads:
            if len(s) * len(r) > 1 and al.related:
                assert len(s) == 1 or (s[0], s[-1] + 1) in joined["s"]
                assert len(r) == 1 or (r[0], r[-1] + 1) in joined["r"]


def test_joined_text_embedding_decides_a_merge():
    # the reference splits source sentence 1 in two; the joined text of the two halves matches it exactly
    src = ["alpha beta gamma", "delta epsilon zeta eta theta iota", "kappa lambda mu"]
    ref = ["alpha beta gamma", "delta epsilon zeta", "eta theta iota", "kappa lambda mu"]
    al = align_sentences(src, ref, embedder=HashEmbedder(), joined=True)
    assert [(s, r) for s, r, _ in al.beads] == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]


def test_scorer_column_matches_row_distances():
    rng = np.random.default_rng(1)
    words = "Jakarta Ganjar 2024 debat the of and 15 KPU Mahfud presiden".split()
    src = [" ".join(rng.choice(words, 6)) for _ in range(9)]
    ref = [" ".join(rng.choice(words, 5)) for _ in range(7)]
    mt = [" ".join(rng.choice(words, 6)) for _ in range(9)]
    e = HashEmbedder()
    sc = BeadScorer(e.encode(src), e.encode(ref), src, ref, mt_texts=mt,
                    src_roles=["body"] * 8 + ["byline"], ref_roles=["body"] * 7)
    for j in range(7):
        rows = np.array([sc.distance(1, 1, i, np.array([j + 1]))[0] for i in range(1, 10)])
        assert np.allclose(sc._distance_column(j), rows)


def test_dp_band_from_path_keeps_a_valid_alignment():
    beads = [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3,))]
    band = path_band(beads, 4, 4, 1)
    res = dp_align(4, 4, lambda a, b, i, js: np.full(len(js), -1.0 if a * b == 0 else -0.5 * (a + b)), band=band)
    assert [i for s, _ in res.beads for i in s] == [0, 1, 2, 3]
