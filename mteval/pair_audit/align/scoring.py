"""Scoring sentence alignments against gold, with the field's conventions.

Strict and lax precision/recall are computed exactly as Vecalign's ``score.py``
does (after Sennrich & Volk's lax/strict measures):

- *precision* counts **every** predicted bead, null beads (1-0 / 0-1)
  included: a bead is a strict hit when the gold has exactly the same bead
  (a null bead that the gold also has counts), a lax hit when some of its
  reference sentences belong to a gold bead of one of its source sentences
  (so a predicted null bead is never a lax hit unless it is a strict one);
- *recall* counts only beads with **both** sides: each gold bead with both
  sides is looked up among the predicted beads with both sides, by the same
  rules with the roles swapped;
- counts are summed over documents before dividing (``score_multiple``), and
  a ratio with an empty denominator is 0.

Null beads get their own precision/recall beside that (``null``): a predicted
null bead is correct when the gold also leaves that sentence unaligned.

Beads are pairs of index sequences ``(source, reference)``, or dicts with
``"source"`` / ``"reference"`` keys (the gold JSON's format), or the
``[i, ...]:[j, ...]`` lines of Vecalign's files (see :func:`read_vecalign`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Sequence

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


def _norm(bead) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if isinstance(bead, dict):
        s, r = bead["source"], bead["reference"]
    elif hasattr(bead, "source") and hasattr(bead, "reference"):
        s, r = bead.source, bead.reference
    else:
        s, r = bead[0], bead[1]
    return tuple(int(x) for x in s), tuple(int(x) for x in r)


def read_vecalign(text: str) -> Beads:
    """Parse Vecalign's ``[0, 1]:[2]`` bead lines (a trailing cost field is ignored)."""
    beads = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        left, right = line.split(":")[:2]
        beads.append((tuple(json.loads(left)), tuple(json.loads(right))))
    return beads


def _prf(tp_p: float, n_pred: int, tp_r: float, n_gold: int, empty: float = 0.0) -> dict:
    """Precision, recall, F1; ``empty`` where a denominator is 0 (Vecalign: 0)."""
    p = tp_p / n_pred if n_pred else (empty if not n_gold else 0.0)
    r = tp_r / n_gold if n_gold else (empty if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "n_pred": n_pred, "n_gold": n_gold}


@dataclass
class AlignmentCounts:
    """Hit counts of one or more documents; add them up, then :meth:`scores`."""

    strict_p: int = 0
    lax_p: int = 0
    n_pred: int = 0
    strict_r: int = 0
    lax_r: int = 0
    n_gold: int = 0
    null_tp: int = 0
    null_pred: int = 0
    null_gold: int = 0

    def __add__(self, other: "AlignmentCounts") -> "AlignmentCounts":
        return AlignmentCounts(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))

    def scores(self) -> dict:
        return {"strict": _prf(self.strict_p, self.n_pred, self.strict_r, self.n_gold),
                "lax": _prf(self.lax_p, self.n_pred, self.lax_r, self.n_gold),
                "null": _prf(self.null_tp, self.null_pred, self.null_tp, self.null_gold)}


def _hits(found: list, truth: list) -> tuple[int, int]:
    """Strict and lax hits of the beads ``found`` against the beads ``truth`` (Vecalign's rules)."""
    truth_set = set(truth)
    targets_of: dict[int, set[int]] = {}
    for src, ref in truth:
        for i in src:
            targets_of.setdefault(i, set()).update(ref)
    strict = lax = 0
    for src, ref in found:
        if (src, ref) in truth_set:
            strict += 1
            lax += 1
        elif any(set(ref) & targets_of.get(i, set()) for i in src):
            lax += 1
    return strict, lax


def alignment_counts(test: Iterable, gold: Iterable) -> AlignmentCounts:
    """Hit counts of one document's predicted beads ``test`` against its ``gold`` beads."""
    test_b = list(dict.fromkeys(b for b in map(_norm, test) if b[0] or b[1]))
    gold_b = list(dict.fromkeys(b for b in map(_norm, gold) if b[0] or b[1]))
    strict_p, lax_p = _hits(test_b, gold_b)
    t_full = [b for b in test_b if b[0] and b[1]]
    g_full = [b for b in gold_b if b[0] and b[1]]
    strict_r, lax_r = _hits(g_full, t_full)
    t_null = {("s", b[0][0]) if b[0] else ("r", b[1][0]) for b in test_b if not (b[0] and b[1])}
    g_null = {("s", b[0][0]) if b[0] else ("r", b[1][0]) for b in gold_b if not (b[0] and b[1])}
    return AlignmentCounts(strict_p, lax_p, len(test_b), strict_r, lax_r, len(g_full),
                           len(t_null & g_null), len(t_null), len(g_null))


def score_alignment(test: Iterable, gold: Iterable) -> dict:
    """Strict and lax (Vecalign's ``score.py``) and null-bead precision/recall/F1 of one document."""
    return alignment_counts(test, gold).scores()


def score_alignments(pairs: Iterable[tuple[Iterable, Iterable]]) -> dict:
    """The same over several documents ``(test, gold)``, counts summed before dividing (``score_multiple``)."""
    total = AlignmentCounts()
    for test, gold in pairs:
        total = total + alignment_counts(test, gold)
    return total.scores()


def _kind(d) -> str:
    return d["kind"] if isinstance(d, dict) else d.kind


def _span_text(d) -> dict:
    spans = d["spans"] if isinstance(d, dict) else d.spans
    out: dict = {}
    for s in spans:
        s = s if isinstance(s, dict) else s.to_dict()
        out.setdefault((s["side"], int(s["sentence"])), []).append(str(s.get("text", "")))
    return out


def divergence_matches(pred, gold) -> bool:
    """Same kind, and every gold span's sentence is covered by a predicted span whose
    text overlaps it (by character containment either way, or shared words)."""
    if _kind(pred) != _kind(gold):
        return False
    pt, gt = _span_text(pred), _span_text(gold)
    if not gt:
        return False
    for key, texts in gt.items():
        if key not in pt:
            return False
        ok = False
        for g in texts:
            gw = set(g.lower().split())
            for p in pt[key]:
                pw = set(p.lower().split())
                if g in p or p in g or (gw and len(gw & pw) / len(gw) >= 0.5):
                    ok = True
        if not ok:
            return False
    return True


def score_divergences(pred: Sequence, gold: Sequence, *, sentence_level_only: bool = False,
                      sentence_texts: dict | None = None) -> dict:
    """Precision/recall of predicted divergences by kind (greedy one-to-one matching).

    With ``sentence_level_only`` only ``source_only`` / ``reference_only``
    divergences whose span is a whole sentence are counted (``sentence_texts``
    maps ``(side, index)`` to the sentence text; the gold marks these with a
    span equal to the full sentence).
    """
    def is_sentence_level(d) -> bool:
        if _kind(d) not in ("source_only", "reference_only"):
            return False
        if sentence_texts is None:
            return True
        for key, texts in _span_text(d).items():
            full = sentence_texts.get(key, "")
            if not all(t.strip() == full.strip() for t in texts):
                return False
        return True

    if sentence_level_only:
        pred = [d for d in pred if is_sentence_level(d)]
        gold = [d for d in gold if is_sentence_level(d)]
    kinds = sorted({_kind(d) for d in pred} | {_kind(d) for d in gold})
    out: dict = {}
    tot_tp = 0
    for kind in kinds + ["all"]:
        p = [d for d in pred if kind == "all" or _kind(d) == kind]
        g = [d for d in gold if kind == "all" or _kind(d) == kind]
        used: set[int] = set()
        tp = 0
        for gd in g:
            for k, pd in enumerate(p):
                if k not in used and divergence_matches(pd, gd):
                    used.add(k)
                    tp += 1
                    break
        out[kind] = _prf(tp, len(p), tp, len(g), empty=1.0)
        if kind == "all":
            tot_tp = tp
    out["all"]["tp"] = tot_tp
    return out
