"""Re-pairing a bead member that the alignment shifted by one line (pure: beads and a cosine in, beads out).

The dynamic programme pays a null cost for every sentence it leaves unaligned.  When a source sentence
has no translation and its neighbours tell one story, pairing it with the next sentence's English and
merging that sentence into the following bead (``k:k+1, (k+1, k+2):k+2``) can cost less than leaving it
alone (``k:-, k+1:k+1, k+2:k+2``).  The audit then reports ``k+1`` as adding nothing to its bead and the
bead ``k:k+1`` as a number or name mismatch: two flags, both on the wrong sentences.  :func:`reshift`
takes such a member back.  When the neighbouring 1-1 bead's other side fits the member better than it
fits that bead's own sentence, the member is paired with it and the neighbour is left on its own.  The
same holds with the sides swapped (an English sentence absorbed beside a shifted pair).
"""
from __future__ import annotations

from typing import Callable, Sequence

BeadSides = tuple[tuple[int, ...], tuple[int, ...]]


def reshift(beads: Sequence[BeadSides], members: Sequence[tuple[int, str, int]],
            cosine: Callable[[int, int], float], min_gain: float) -> list[BeadSides]:
    """The beads with each shifted member re-paired.

    ``beads`` are ``(source, reference)`` index tuples in order; ``members`` are ``(bead, side,
    sentence)`` for sentences the audit found to add nothing to their multi-sentence bead; ``cosine(i,
    j)`` compares source sentence ``i`` with reference sentence ``j``.  A member is re-paired when it is
    at the edge of a side of two or more sentences facing one sentence, next to a 1-1 bead whose other
    side it fits better, by more than ``min_gain``, than that bead's own sentence does.  A bead takes
    part in one repair at most.
    """
    plan: dict[int, list[BeadSides]] = {}
    for k, side, member in members:
        x = 0 if side == "source" else 1
        bead = beads[k]
        if k in plan or len(bead[x]) < 2 or len(bead[1 - x]) != 1:
            continue
        for near, edge in ((k - 1, bead[x][0]), (k + 1, bead[x][-1])):
            if member != edge or not 0 <= near < len(beads) or near in plan:
                continue
            other = beads[near]
            if len(other[0]) != 1 or len(other[1]) != 1:
                continue
            own, counterpart = other[x][0], other[1 - x][0]

            def fit(i: int) -> float:
                return cosine(i, counterpart) if x == 0 else cosine(counterpart, i)

            if fit(member) <= fit(own) + min_gain:
                continue
            alone = _sides(x, (own,), ())
            moved = _sides(x, (member,), (counterpart,))
            kept = _sides(x, tuple(i for i in bead[x] if i != member), bead[1 - x])
            plan[min(k, near)] = [alone, moved, kept] if near < k else [kept, moved, alone]
            plan[max(k, near)] = []
            break
    out: list[BeadSides] = []
    for k, bead in enumerate(beads):
        out.extend(plan.get(k, [bead]))
    return out


def _sides(x: int, own: tuple[int, ...], other: tuple[int, ...]) -> BeadSides:
    return (own, other) if x == 0 else (other, own)
