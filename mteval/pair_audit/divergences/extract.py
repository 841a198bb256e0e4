"""Names, numbers, dates and ordinals of one sentence, in its language.

Every item carries character offsets into the sentence and readings that
compare across languages: what it *needs* from the other side to count as
conveyed and what it *provides* to its own side (a date becomes
``date:2024-02-04``, ``kelima`` and ``fifth`` both ``ord:5``, ``204,8`` in
Indonesian and ``204.8`` in English both ``num:204.8``, "Rp 1,5 miliar" and
"1.5 billion rupiah" both ``num:1500000000``).  Quantities come from
:mod:`~mteval.pair_audit.divergences.numbers`, names from
:mod:`~mteval.pair_audit.divergences.names`.  Without a language, both
Indonesian and English conventions are read.
"""
from __future__ import annotations

from dataclasses import dataclass

from mteval.pair_audit.divergences import wordfreqs
from mteval.pair_audit.divergences.names import ROLE_LABELS, Name, find_names
from mteval.pair_audit.divergences.numbers import quantities

__all__ = ["Item", "ROLE_LABELS", "extract", "name_present", "name_tokens"]


@dataclass(frozen=True)
class Item:
    kind: str  # "name", "number", "date", "time", "ordinal", "weekday"
    key: str
    start: int
    end: int
    text: str
    needs: frozenset[str] = frozenset()
    provides: frozenset[str] = frozenset()
    #: numbers: "percent", "money", "year" or "plain" (disagreements are only paired within compatible units)
    unit: str = ""
    #: a spelled-out number: a counterpart for the other side, never reported missing itself
    soft: bool = False
    name: Name | None = None
    #: numbers: (value, one unit of the last digit written) per reading (see ``numbers.same_rounded``)
    readings: tuple = ()


_WORD = wordfreqs.WORD


def extract(text: str, lang: str | None = None, other_lang: str | None = None) -> list[Item]:
    """Dates, weekdays, ordinals, numbers and names of one sentence in ``lang`` (non-overlapping).

    ``other_lang`` is the language of the other side (it decides which capitalised words are words
    of ``lang`` rather than copied names).
    """
    taken = [False] * (len(text) + 1)
    items = [Item(q.kind, q.key, q.start, q.end, q.text, q.needs, q.provides, q.unit, q.soft,
                  readings=q.readings)
             for q in quantities(text, lang, taken)]
    for n in find_names(text, lang, other_lang):
        if not any(taken[n.start:n.end]):
            items.append(Item("name", n.key, n.start, n.end, n.text, name=n))
    items.sort(key=lambda it: it.start)
    return items


def name_tokens(key: str) -> set[str]:
    return {t for t in key.split(":", 1)[1].split() if len(t) >= 3}


def name_present(key: str, other_text: str) -> bool:
    """A name counts as present when one of its tokens (>= 3 letters) occurs in the other text."""
    other = {w.lower() for w in _WORD.findall(other_text)}
    return bool(name_tokens(key) & other)
