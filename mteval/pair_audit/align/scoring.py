"""Scoring sentence alignments against gold, with the field's conventions.

- *strict*: a test bead counts only if the gold has exactly the same bead.
- *lax*: a test bead counts if it overlaps a gold bead on both sides
  (Vecalign's ``score.py`` convention).
- Strict and lax precision/recall consider **non-null** beads only (as in
  Vecalign's ``score.py``, null beads are excluded from both test and gold),
  so null beads (1-0 / 0-1) get their own precision/recall: a predicted null
  bead is correct when the gold also leaves that sentence unaligned.

Beads are pairs of index sequences ``(source, reference)``, or dicts with
``"source"`` / ``"reference"`` keys (the gold JSON's format), or the
``[i, ...]:[j, ...]`` lines of Vecalign's files (see :func:`read_vecalign`).
"""
from __future__ import annotations

import json
from typing import Iterable, Sequence

BeadLike = object


def _norm(bead) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if isinstance(bead, dict):
        s, r = bead["source"], bead["reference"]
    elif hasattr(bead, "source") and hasattr(bead, "reference"):
        s, r = bead.source, bead.reference
    else:
        s, r = bead
    return tuple(int(x) for x in s), tuple(int(x) for x in r)


def read_vecalign(text: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Parse Vecalign's ``[0, 1]:[2]`` bead lines (a trailing cost field is ignored)."""
    beads = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        left, right = line.split(":")[:2]
        beads.append((tuple(json.loads(left)), tuple(json.loads(right))))
    return beads


def _prf(tp_p: float, n_pred: int, tp_r: float, n_gold: int) -> dict:
    p = tp_p / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp_r / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "n_pred": n_pred, "n_gold": n_gold}


def score_alignment(test: Iterable, gold: Iterable) -> dict:
    """Strict, lax and null-bead precision/recall/F1 of ``test`` against ``gold``."""
    test_b = [_norm(b) for b in test]
    gold_b = [_norm(b) for b in gold]
    t_full = [b for b in test_b if b[0] and b[1]]
    g_full = [b for b in gold_b if b[0] and b[1]]
    g_set = set(g_full)
    t_set = set(t_full)
    strict_tp_p = sum(1 for b in t_full if b in g_set)
    strict_tp_r = sum(1 for b in g_full if b in t_set)

    def overlaps(x, ys) -> bool:
        return any(set(x[0]) & set(y[0]) and set(x[1]) & set(y[1]) for y in ys)

    # index gold beads by source sentence for the lax check
    by_src: dict[int, list] = {}
    for b in g_full:
        for i in b[0]:
            by_src.setdefault(i, []).append(b)
    t_by_src: dict[int, list] = {}
    for b in t_full:
        for i in b[0]:
            t_by_src.setdefault(i, []).append(b)
    lax_tp_p = sum(1 for b in t_full if overlaps(b, [y for i in b[0] for y in by_src.get(i, [])]))
    lax_tp_r = sum(1 for b in g_full if overlaps(b, [y for i in b[0] for y in t_by_src.get(i, [])]))

    t_null = {("s", b[0][0]) if b[0] else ("r", b[1][0]) for b in test_b if not (b[0] and b[1])}
    g_null = {("s", b[0][0]) if b[0] else ("r", b[1][0]) for b in gold_b if not (b[0] and b[1])}
    null_tp = len(t_null & g_null)
    return {
        "strict": _prf(strict_tp_p, len(t_full), strict_tp_r, len(g_full)),
        "lax": _prf(lax_tp_p, len(t_full), lax_tp_r, len(g_full)),
        "null": _prf(null_tp, len(t_null), null_tp, len(g_null)),
    }


def _span_key(d) -> tuple:
    spans = d["spans"] if isinstance(d, dict) else d.spans
    out = []
    for s in spans:
        s = s if isinstance(s, dict) else s.to_dict()
        out.append((s["side"], int(s["sentence"])))
    return tuple(sorted(set(out)))


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
        out[kind] = _prf(tp, len(p), tp, len(g))
        if kind == "all":
            tot_tp = tp
    out["all"]["tp"] = tot_tp
    return out
