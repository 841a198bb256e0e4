"""Similarity signals for sentence alignment and how they are combined.

All signals score a candidate bead: source sentences ``i-a .. i-1`` against
reference sentences ``j-b .. j-1``.  Multi-sentence sides are represented by
the normalised sum of their sentence embeddings (and summed n-gram counts /
lengths / anchor sets), so nothing has to be re-embedded per bead.

Signals
-------
(In the default single pass, multi-sentence sides are the normalised sums
described above; see "Joined-text pass" below for the optional second pass.)

margin
    Cosine of the two sides' embeddings minus the mean of the two sides'
    *neighbourhood* similarity (average cosine to their ``k`` nearest
    sentences on the other side), as in LASER/Artetxe & Schwenk margin mining.
    Raw e5 cosines are squeezed (0.8-0.9 even for unrelated sentences) and
    shifted per sentence (short, formulaic or named-entity-heavy sentences are
    close to everything); the margin removes that per-sentence offset, which
    is what makes one global threshold work.
mt
    When a machine translation of each source sentence is given: chrF between
    the MT of the source side and the reference side (Bleualign's idea),
    minus the mean chrF of unrelated pairs, times a *trust* factor in [0, 1]
    measured on the document (how far best matches stand above the mean; an
    MT system producing garbage gets trust 0 and no say).
anchor
    Tokens identical across languages (numbers, capitalised names, acronyms,
    tokens with digits): Dice overlap of the two sides' anchor sets, centred
    so that disagreeing anchors cost and sentences without anchors are neutral.
length
    ``-|log(len_ref / (rho * len_src))|`` with ``rho`` the document's overall
    character length ratio (Gale & Church's signal, in log form).

Combination (a cost, Vecalign-style): the embedding distance is the
kNN-normalised ``(1 - cos) / mean(1 - nb_src, 1 - nb_ref)`` (about 1 for
unrelated text, 0.5-0.9 for translations), from which the other signals are
subtracted: ``d = dist - w_length * length - w_anchor * anchor - w_mt * trust
* mt + w_role * role_mismatch``.  A bead of shape ``(a, b)`` costs
``(a * b) ** size_exponent * d``; each unaligned sentence costs
``null_cost``.  The product size factor is what keeps multi-sentence beads
(whose summed embeddings look closer to everything) from swallowing their
neighbours; it was chosen over ``(a + b) / 2`` and over per-sentence gains by
measurement on the seed gold and the Text+Berg dev set
(``benchmarks/align_gold.py``).  Embedding similarity decides; the other
signals only break near-ties, because on loose news references they are
noisy (numbers and names are often added or dropped by the English desk).

Joined-text pass (optional, :meth:`BeadScorer.set_joined`): multi-sentence
windows near the first path get an embedding of their *joined text*; their
neighbourhood is the mean of their sentences' neighbourhoods (a joined text
is less similar to single sentences than a single sentence is, so its own kNN
neighbourhood would flatter it), and a bead costs its distance plus
``joined_extra_cost`` per sentence beyond 1-1 (no size factor: one embedding
per side, so one distance per bead).
"""
from __future__ import annotations

import math
import re
import zlib
from dataclasses import asdict, dataclass, field
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class SignalWeights:
    """Weights of the combined bead cost (see the module docstring)."""

    knn: int = 4
    #: cost of leaving one sentence unaligned (a null bead), in normalised-distance units
    null_cost: float = 1.1
    #: a non-null bead costs ``(a * b) ** size_exponent`` times its distance
    size_exponent: float = 0.85
    #: fixed cost per sentence beyond 1-1 in a bead (keeps near-identical text from merging)
    shape_penalty: float = 0.02
    #: each sentence of a multi-sentence side must raise the bead's cosine by at least this much
    #: (measured: the halves of real merges raise it by 0.03 at the median, an absorbed unrelated sentence
    #: lowers it by 0.01; the same on news and on Text+Berg)
    member_min_gain: float = 0.0
    #: cost per unit of cosine that a sentence falls short of ``member_min_gain`` (0 turns the rule off)
    w_member: float = 30.0
    w_mt: float = 1.0
    w_anchor: float = 0.2
    w_length: float = 0.5
    #: null cost multiplier by role: related links usually point to different articles in each edition
    null_role_factor: dict = field(default_factory=lambda: {"related_link": 0.5})
    #: added to the distance when the two sides' roles differ (body vs related_link/byline/copyright)
    w_role: float = 1.0
    #: size factor of a non-null bead: "product" = (a*b)**size_exponent, "sum" = ((a+b)/2)**size_exponent
    size_mode: str = "product"
    #: subtract each side's mean embedding before scoring (off by default: measured worse)
    center: bool = False
    #: joined-text pass: a bead costs its distance plus this per sentence beyond 1-1
    #: (half the null cost: adding a sentence to a bead is cheaper than leaving it unaligned)
    joined_extra_cost: float = 0.6
    #: neighbourhood of a joined window: "parts" = mean of its sentences' neighbourhoods, "knn" = its own
    joined_nb: str = "parts"

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- anchors

_TOKEN = re.compile(r"\w+(?:[.,]\d+)*", re.UNICODE)
#: a separator before exactly three digits: grouping in one language, perhaps a decimal in the other
_GROUPING = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")


def number_key(tok: str) -> str:
    """One spelling for a number written with either convention: "93,3" and "93.3" are "93.3",
    "9.200" and "9,200" are "9200" (a separator before exactly three digits is dropped on both
    sides alike, so "703,061" and "703.061" also agree)."""
    return _DECIMAL_COMMA.sub(".", _GROUPING.sub("", tok))


def anchor_tokens(text: str) -> frozenset[str]:
    """Tokens likely to be identical across languages: numbers (in one spelling, see
    :func:`number_key`), names, acronyms."""
    out = set()
    toks = _TOKEN.findall(text)
    for k, tok in enumerate(toks):
        if any(ch.isdigit() for ch in tok):
            out.add(number_key(tok))
        elif len(tok) >= 2 and tok.isupper():
            out.add(tok)
        elif k > 0 and len(tok) >= 3 and tok[0].isupper():
            out.add(tok)
    return frozenset(out)


# --------------------------------------------------------------------------- chrF-like

_CHRF_ORDER = 6
_CHRF_BUCKETS = 1024


def char_ngram_vectors(texts: Sequence[str]) -> np.ndarray:
    """Hashed character n-gram counts (orders 1..6, whitespace removed), shape (n, 6*1024)."""
    out = np.zeros((len(texts), _CHRF_ORDER * _CHRF_BUCKETS), dtype=np.float32)
    for r, text in enumerate(texts):
        s = "".join(str(text).split())
        idx = []
        for order in range(1, _CHRF_ORDER + 1):
            base = (order - 1) * _CHRF_BUCKETS
            for p in range(len(s) - order + 1):
                idx.append(base + zlib.crc32(s[p:p + order].encode("utf-8")) % _CHRF_BUCKETS)
        if idx:
            out[r] = np.bincount(np.asarray(idx), minlength=out.shape[1]).astype(np.float32)
    return out


def chrf_from_counts(hyp: np.ndarray, refs: np.ndarray, beta: float = 2.0) -> np.ndarray:
    """chrF (0..1) of hashed count vectors: one ``hyp`` (or one per row of ``refs``) against each row of ``refs``."""
    hyp = np.asarray(hyp).reshape(-1, _CHRF_ORDER, _CHRF_BUCKETS)
    refs = refs.reshape(refs.shape[0], _CHRF_ORDER, _CHRF_BUCKETS)
    match = np.minimum(refs, hyp).sum(axis=2)
    htot = hyp.sum(axis=2)
    rtot = refs.sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        prec = np.where(htot > 0, match / np.maximum(htot, 1e-9), 0.0)
        rec = np.where(rtot > 0, match / np.maximum(rtot, 1e-9), 0.0)
        valid = (htot > 0) & (rtot > 0)
        nval = np.maximum(valid.sum(axis=1), 1)
        p = (prec * valid).sum(axis=1) / nval
        r = (rec * valid).sum(axis=1) / nval
        b2 = beta * beta
        f = np.where(p + r > 0, (1 + b2) * p * r / np.maximum(b2 * p + r, 1e-9), 0.0)
    return f


# --------------------------------------------------------------------------- scorer

class BeadScorer:
    """Scores candidate beads from precomputed per-sentence features.

    ``sim(a, b, i, js)`` returns the combined similarity of beads ending at
    ``(i, j)`` for each ``j`` in ``js``; ``gain`` turns it into the DP's gain.
    """

    def __init__(self, src_emb: np.ndarray, ref_emb: np.ndarray, src_texts: Sequence[str],
                 ref_texts: Sequence[str], mt_texts: Sequence[str] | None = None,
                 weights: SignalWeights | None = None, src_roles: Sequence[str] | None = None,
                 ref_roles: Sequence[str] | None = None):
        self.w = weights or SignalWeights()
        es = np.asarray(src_emb, dtype=np.float32)
        er = np.asarray(ref_emb, dtype=np.float32)
        self.n, self.m = len(src_texts), len(ref_texts)
        if es.shape[0] != self.n or er.shape[0] != self.m:
            raise ValueError("embedding rows must match the number of sentences")
        d = es.shape[1] if es.ndim == 2 and es.shape[0] else (er.shape[1] if er.ndim == 2 and er.shape[0] else 1)
        es = es.reshape(self.n, d)
        er = er.reshape(self.m, d)
        if self.w.center:
            es, er = _center(es), _center(er)
        self._cs_s = np.vstack([np.zeros((1, d), np.float32), np.cumsum(es, axis=0)])
        self._cs_r = np.vstack([np.zeros((1, d), np.float32), np.cumsum(er, axis=0)])
        k = max(1, min(self.w.knn, self.n, self.m))
        if self.n and self.m:
            cos = es @ er.T
            self.cos = cos
            nb_s = _topk_mean(cos, k)
            nb_r = _topk_mean(cos.T, k)
            self.random_cos = float(cos.mean())
        else:
            self.cos = np.zeros((self.n, self.m), np.float32)
            nb_s = np.zeros(self.n)
            nb_r = np.zeros(self.m)
            self.random_cos = 0.0
        self.nb_s, self.nb_r = nb_s, nb_r
        self._es, self._er, self._k = es, er, k
        self._nb_cache: dict = {}
        self._side_cache: dict = {}
        self._joined: dict | None = None
        ls = np.array([max(len(t), 1) for t in src_texts], dtype=np.float64)
        lr = np.array([max(len(t), 1) for t in ref_texts], dtype=np.float64)
        self.rho = float(lr.sum() / ls.sum()) if self.n and self.m else 1.0
        self._cl_s = np.concatenate([[0.0], np.cumsum(ls)])
        self._cl_r = np.concatenate([[0.0], np.cumsum(lr)])
        self._anc_s = [anchor_tokens(t) for t in src_texts]
        self._anc_r = [anchor_tokens(t) for t in ref_texts]
        # anchor sets as bit masks (Python ints): union = |, intersection size = (x & y).bit_count()
        vocab: dict[str, int] = {}
        self._bits_s = [_bits(a, vocab) for a in self._anc_s]
        self._bits_r = [_bits(a, vocab) for a in self._anc_r]
        self._anc_win: dict = {}
        self._roles_s = list(src_roles) if src_roles is not None else ["body"] * self.n
        self._roles_r = list(ref_roles) if ref_roles is not None else ["body"] * self.m
        role_ids: dict[str, int] = {}
        self._rbits_s = np.array([1 << role_ids.setdefault(r, len(role_ids)) for r in self._roles_s], dtype=np.int64)
        self._rbits_r = np.array([1 << role_ids.setdefault(r, len(role_ids)) for r in self._roles_r], dtype=np.int64)
        self._null_gain_s = np.array([-self.w.null_cost * self.w.null_role_factor.get(r, 1.0) for r in self._roles_s])
        self._null_gain_r = np.array([-self.w.null_cost * self.w.null_role_factor.get(r, 1.0) for r in self._roles_r])
        # MT signal
        self.mt_trust = 0.0
        self.mt_baseline = 0.0
        self._ng_mt = self._ng_r = None
        if mt_texts is not None and self.n and self.m:
            if len(mt_texts) != self.n:
                raise ValueError("mt must have one line per source sentence")
            self._ng_mt = np.vstack([np.zeros((1, _CHRF_ORDER * _CHRF_BUCKETS), np.float32),
                                     np.cumsum(char_ngram_vectors(mt_texts), axis=0)])
            self._ng_r = np.vstack([np.zeros((1, _CHRF_ORDER * _CHRF_BUCKETS), np.float32),
                                    np.cumsum(char_ngram_vectors(ref_texts), axis=0)])
            self._estimate_mt_trust()

    # ---------------------------------------------------------------- joined text
    def set_joined(self, src: dict, ref: dict) -> None:
        """Embeddings of joined multi-sentence windows, ``{(start, end): vector}`` per side.

        Once set, a multi-sentence side is represented by its joined-text
        embedding where one is given (the normalised sum otherwise), and
        :meth:`gain` only allows multi-sentence beads whose sides all have one.
        """
        self._joined = {"s": {}, "r": {}}
        for side, table in (("s", src), ("r", ref)):
            other = self._er if side == "s" else self._es
            for key, vec in table.items():
                v = np.asarray(vec, dtype=np.float32).reshape(-1)
                v = v / (float(np.linalg.norm(v)) or 1.0)
                x, y = int(key[0]), int(key[1])
                if self.w.joined_nb == "parts":
                    nb = float(np.mean((self.nb_s if side == "s" else self.nb_r)[x:y]))
                else:
                    nb = float(_topk_mean(v[None, :] @ other.T, self._k)[0]) if other.shape[0] else 0.0
                self._joined[side][(int(key[0]), int(key[1]))] = (v, nb)

    def _side(self, side: str, size: int, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Vectors, neighbourhoods and availability (None: all available) of the windows ``[end - size, end)``."""
        ends = np.asarray(ends, dtype=np.int64)
        key = (side, size)
        tables = self._side_cache.get(key)
        if tables is None:
            if size == 1:
                vecs = self._es if side == "s" else self._er
            else:
                cs = self._cs_s if side == "s" else self._cs_r
                g = cs[size:] - cs[:-size]
                norms = np.linalg.norm(g, axis=1, keepdims=True)
                norms[norms == 0] = 1.0
                vecs = (g / norms).astype(np.float32)
            tables = (vecs, np.asarray(self._nb_groups(side, size), dtype=np.float64))
            self._side_cache[key] = tables
        vecs, nbs = tables
        starts = ends - size
        vec, nb = vecs[starts], nbs[starts]
        if size == 1 or self._joined is None:
            return vec, nb, None
        table = self._joined[side]
        ok = np.zeros(len(ends), bool)
        for k, x in enumerate(starts.tolist()):
            hit = table.get((x, x + size))
            if hit is not None:
                vec[k], nb[k] = hit
                ok[k] = True
        return vec, nb, ok

    # ---------------------------------------------------------------- parts
    def _nb_groups(self, side: str, size: int) -> np.ndarray:
        """Neighbourhood (mean top-k cosine to the other side's sentences) of every group of ``size``."""
        key = (side, size)
        nb = self._nb_cache.get(key)
        if nb is None:
            if size == 1:
                nb = self.nb_s if side == "s" else self.nb_r
            else:
                cs = self._cs_s if side == "s" else self._cs_r
                other = self._er if side == "s" else self._es
                g = cs[size:] - cs[:-size]
                norms = np.linalg.norm(g, axis=1, keepdims=True)
                norms[norms == 0] = 1.0
                nb = _topk_mean((g / norms) @ other.T, self._k)
            self._nb_cache[key] = nb
        return nb

    def margin(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        js = np.asarray(js, dtype=np.int64)
        vs, nbs, _ = self._side("s", a, np.array([i]))
        vr, nbr, _ = self._side("r", b, js)
        return vr @ vs[0] - (nbs[0] + nbr) / 2.0

    def cosine(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """Plain cosine of the two sides of beads ending at ``(i, j)`` (joined-text embeddings where set)."""
        js = np.asarray(js, dtype=np.int64)
        vs, _, _ = self._side("s", a, np.array([i]))
        vr, _, _ = self._side("r", b, js)
        return vr @ vs[0]

    def length(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        is_, js = _ends(i, js)
        ls = self._cl_s[is_] - self._cl_s[is_ - a]
        lr = self._cl_r[js] - self._cl_r[js - b]
        return -np.abs(np.log((lr + 10.0) / (self.rho * ls + 10.0)))

    def anchor(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        is_, js = _ends(i, js)
        wins_s, counts_s = self._anchor_windows("s", a)
        wins_r, counts_r = self._anchor_windows("r", b)
        ss, rs = is_ - a, js - b
        cs, cr = counts_s[ss], counts_r[rs]
        inter = np.zeros(len(js))
        both = np.nonzero((cs > 0) & (cr > 0))[0]
        if both.size:
            inter[both] = [(wins_s[x] & wins_r[y]).bit_count() for x, y in zip(ss[both].tolist(), rs[both].tolist())]
        tot = cs + cr
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(tot > 0, 2.0 * inter / np.maximum(tot, 1) - 0.5, 0.0)

    def _anchor_windows(self, side: str, size: int) -> tuple[list[int], np.ndarray]:
        """Union of the anchor bit masks of every window of ``size`` sentences on one side, and its size."""
        hit = self._anc_win.get((side, size))
        if hit is None:
            bits = self._bits_s if side == "s" else self._bits_r
            wins = []
            for x in range(len(bits) - size + 1):
                u = 0
                for y in bits[x:x + size]:
                    u |= y
                wins.append(u)
            hit = (wins, np.array([w.bit_count() for w in wins], dtype=np.int64))
            self._anc_win[(side, size)] = hit
        return hit

    def _anchor_column(self, j: int) -> np.ndarray:
        """1-1 anchor signal of every source sentence against reference sentence ``j`` (0-based)."""
        ra = self._bits_r[j]
        nr = ra.bit_count()
        out = np.zeros(self.n)
        for k, sa in enumerate(self._bits_s):
            tot = sa.bit_count() + nr
            if tot:
                out[k] = 2.0 * (sa & ra).bit_count() / tot - 0.5
        return out

    def role_mismatch(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """1 where the two sides' sets of roles differ, else 0 (roles as bit masks)."""
        is_, js = _ends(i, js)
        rs = np.zeros(len(js), dtype=np.int64)
        for t in range(1, a + 1):
            rs |= self._rbits_s[is_ - t]
        rr = np.zeros(len(js), dtype=np.int64)
        for t in range(1, b + 1):
            rr |= self._rbits_r[js - t]
        return (rr != rs).astype(np.float64)

    def mt(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        is_, js = _ends(i, js)
        if self._ng_mt is None:
            return np.zeros(len(js))
        hyp = self._ng_mt[is_] - self._ng_mt[is_ - a]
        refs = self._ng_r[js] - self._ng_r[js - b]
        return chrf_from_counts(hyp, refs) - self.mt_baseline

    def _estimate_mt_trust(self) -> None:
        rows = np.arange(1, self.n + 1)
        if rows.size > 200:
            rows = np.linspace(1, self.n, 200).astype(np.int64)
        js = np.arange(1, self.m + 1)
        best, mean = [], []
        for i in rows:
            f = chrf_from_counts(self._ng_mt[i] - self._ng_mt[i - 1], self._ng_r[js] - self._ng_r[js - 1])
            best.append(float(f.max()))
            mean.append(float(f.mean()))
        self.mt_baseline = float(np.mean(mean))
        gap = float(np.median(best)) - self.mt_baseline
        self.mt_trust = float(min(1.0, max(0.0, (gap - 0.05) / 0.2)))

    # ---------------------------------------------------------------- combined
    def distance(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """Combined normalised distance of beads ending at ``(i, j)`` (about 1 for unrelated text, lower is better).

        ``i`` is one source end, or an array of them, one per reference end in ``js``."""
        d, _ = self._distance_ok(a, b, i, js)
        return d

    def _distance_ok(self, a: int, b: int, i, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        is_, js = _ends(i, js)
        vs, nbs, oks = self._side("s", a, is_)
        vr, nbr, okr = self._side("r", b, js)
        ok = np.ones(len(js), bool)
        for side_ok in (oks, okr):  # None: every window of that side has the embedding it needs
            if side_ok is not None:
                ok &= side_ok
        cos = np.einsum("ij,ij->i", vr, vs)
        nb = ((1.0 - nbs) + (1.0 - nbr)) / 2.0
        d = (1.0 - cos) / np.maximum(nb, 1e-6)
        if self.w.w_length:
            d = d - self.w.w_length * self.length(a, b, is_, js)
        if self.w.w_anchor:
            d = d - self.w.w_anchor * self.anchor(a, b, is_, js)
        if self.w.w_role:
            d = d + self.w.w_role * self.role_mismatch(a, b, is_, js)
        if self._ng_mt is not None and self.mt_trust > 0:
            d = d - self.w.w_mt * self.mt_trust * self.mt(a, b, is_, js)
        return d, ok

    def gain(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """The DP's gain of beads ending at ``(i, j)``; ``i`` is one source end or one per ``j`` (batched)."""
        is_, js = _ends(i, js)
        if a == 0 or b == 0:
            return self._null_gain_s[is_ - 1] if a else self._null_gain_r[js - 1]
        dist, ok = self._distance_ok(a, b, is_, js)
        dist = np.maximum(dist, 0.0)
        if self._joined is not None and a * b > 1:
            # joined text: one distance per bead, plus a fixed cost per sentence beyond 1-1
            g = -dist - self.w.joined_extra_cost * (a + b - 2)
            return np.where(ok, g, -np.inf)
        size = a * b if self.w.size_mode == "product" else (a + b) / 2.0
        g = -(size ** self.w.size_exponent) * dist - self.w.shape_penalty * (a + b - 2)
        if self.w.w_member and a * b > 1:
            g = g - self.w.w_member * self.member_shortfall(a, b, is_, js)
        return g

    def member_shortfall(self, a: int, b: int, i, js: np.ndarray) -> np.ndarray:
        """How far the sentences of a multi-sentence side fall short of ``member_min_gain``, summed.

        A multi-sentence side is the normalised sum of its sentences, which stays close to the other
        side when one of them is unrelated (an inserted sentence absorbed into its neighbour's bead,
        a caption or an OCR fragment); a sentence's contribution is the bead's cosine minus the cosine
        of the bead without it (see :meth:`member_gains`).
        """
        out = np.zeros(len(np.asarray(js)))
        for _, _, gains in self._member_gains(a, b, i, js):
            out += np.maximum(self.w.member_min_gain - gains, 0.0)
        return out

    def member_gains(self, a: int, b: int, i: int, js: np.ndarray) -> dict[tuple[str, int], np.ndarray]:
        """For each sentence of a multi-sentence side (``("s", i - t)`` or ``("r", t)``, ``t`` counted back
        from the end): the bead's cosine minus the cosine of the bead without that sentence, per ``j``."""
        return {(side, i - t if side == "s" else t): gains for side, t, gains in self._member_gains(a, b, i, js)}

    def _member_gains(self, a: int, b: int, i, js: np.ndarray) -> list[tuple[str, int, np.ndarray]]:
        """``(side, t, gains)`` per sentence of a multi-sentence side, ``t`` counted back from the side's end."""
        is_, js = _ends(i, js)
        sum_s = self._cs_s[is_] - self._cs_s[is_ - a]
        sum_r = self._cs_r[js] - self._cs_r[js - b]
        vs, vr = _unit_rows(sum_s), _unit_rows(sum_r)
        full = np.einsum("ij,ij->i", vr, vs)
        out = []
        for t in range(1, b + 1 if b > 1 else 1):
            out.append(("r", t, full - np.einsum("ij,ij->i", _unit_rows(sum_r - self._er[js - t]), vs)))
        for t in range(1, a + 1 if a > 1 else 1):
            out.append(("s", t, full - np.einsum("ij,ij->i", vr, _unit_rows(sum_s - self._es[is_ - t]))))
        return out

    def bead_distances(self, ends: Sequence[tuple[int, int, int, int]]) -> np.ndarray:
        """:meth:`distance` of each bead ``(a, b, i, j)`` (NaN for a null bead), one batched call per shape."""
        out = np.full(len(ends), np.nan)
        by_shape: dict[tuple[int, int], list[int]] = {}
        for k, (a, b, _, _) in enumerate(ends):
            if a and b:
                by_shape.setdefault((a, b), []).append(k)
        for (a, b), ks in by_shape.items():
            out[ks] = self.distance(a, b, np.array([ends[k][2] for k in ks]), np.array([ends[k][3] for k in ks]))
        return out

    def confidence(self, a: int, b: int, i: int, j: int, distance: float | None = None) -> float:
        """Probability-like confidence of one bead (logistic in distance units); ``distance`` if already known."""
        scale = 0.1
        if a and b:
            d = float(self.distance(a, b, i, np.array([j]))[0]) if distance is None else distance
            return _logistic((self.w.null_cost - d) / scale)
        best = self.best_distance("s", i - 1) if a else self.best_distance("r", j - 1)
        return _logistic((best - 1.0) / scale)

    def best_distance(self, side: str, k: int) -> float:
        """Smallest 1-1 distance of sentence ``k`` of ``side`` to any sentence of the other side."""
        if side == "s":
            if not self.m:
                return float("inf")
            return float(self.distance(1, 1, k + 1, np.arange(1, self.m + 1)).min())
        if not self.n:
            return float("inf")
        return float(self._distance_column(k).min())

    def _distance_column(self, j: int) -> np.ndarray:
        """Combined 1-1 distance of every source sentence to reference sentence ``j`` (0-based), vectorised."""
        nb = ((1.0 - self.nb_s) + (1.0 - self.nb_r[j])) / 2.0
        d = (1.0 - self.cos[:, j].astype(np.float64)) / np.maximum(nb, 1e-6)
        if self.w.w_length:
            ls = np.diff(self._cl_s)
            lr = self._cl_r[j + 1] - self._cl_r[j]
            d = d + self.w.w_length * np.abs(np.log((lr + 10.0) / (self.rho * ls + 10.0)))
        if self.w.w_anchor:
            d = d - self.w.w_anchor * self._anchor_column(j)
        if self.w.w_role:
            d = d + self.w.w_role * np.array([0.0 if r == self._roles_r[j] else 1.0 for r in self._roles_s])
        if self._ng_mt is not None and self.mt_trust > 0:
            hyps = np.diff(self._ng_mt, axis=0)
            ref = np.repeat((self._ng_r[j + 1] - self._ng_r[j])[None, :], self.n, axis=0)
            d = d - self.w.w_mt * self.mt_trust * (chrf_from_counts(hyps, ref) - self.mt_baseline)
        return d

    def dist_matrix(self) -> np.ndarray:
        """1-1 embedding distances of all pairs (no length/anchor/MT terms)."""
        nb = ((1.0 - self.nb_s)[:, None] + (1.0 - self.nb_r)[None, :]) / 2.0
        return (1.0 - self.cos) / np.maximum(nb, 1e-6)

    def anchors_1to1(self) -> list[tuple[int, int]]:
        """Mutual-best sentence pairs above threshold: the rough path of the two-step search."""
        if not (self.n and self.m):
            return []
        dist = self.dist_matrix()
        bs = dist.argmin(axis=1)
        br = dist.argmin(axis=0)
        return [(i, int(bs[i])) for i in range(self.n)
                if br[bs[i]] == i and dist[i, bs[i]] < self.w.null_cost]


def _ends(i, js) -> tuple[np.ndarray, np.ndarray]:
    """Source ends (one given, or one per reference end) and reference ends as equal-length int arrays."""
    js = np.asarray(js, dtype=np.int64)
    return np.broadcast_to(np.asarray(i, dtype=np.int64), js.shape), js


def _unit_rows(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))[:, None]
    return x / np.where(norms == 0, 1.0, norms)


def _bits(tokens: frozenset[str], vocab: dict[str, int]) -> int:
    out = 0
    for t in tokens:
        out |= 1 << vocab.setdefault(t, len(vocab))
    return out


def _center(x: np.ndarray) -> np.ndarray:
    if x.shape[0] < 2:
        return x
    y = x - x.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(y, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (y / norms).astype(np.float32)


def _topk_mean(sim: np.ndarray, k: int) -> np.ndarray:
    """Mean of the ``k`` largest values of each row."""
    if sim.shape[1] == 0:
        return np.zeros(sim.shape[0])
    k = min(k, sim.shape[1])
    part = np.partition(sim, sim.shape[1] - k, axis=1)[:, -k:]
    return part.mean(axis=1).astype(np.float64)


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
