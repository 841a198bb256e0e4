"""Does each side of a document pair look like the language it is declared to be?

A reference accidentally given in the source language (or two files swapped)
aligns beautifully and scores terribly; the audit cannot tell, so the input is
checked first. The check is the share of running words that are among a
language's commonest function words: cheap, offline, and decisive on a
paragraph of news text. Languages without a profile here are not checked.
"""
from __future__ import annotations

import re
from typing import Sequence

_FUNCTION_WORDS = {
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena ada oleh sebagai bahwa atau "
          "kami mereka sudah telah dia saat bisa harus lebih",
    "en": "the and of to in is that for with on was as by it are be this from at have has not which will "
          "their they he said",
    "de": "der die das und ist nicht mit den dem von zu auf für sich ein eine auch es im wird sind nach bei aus "
          "wie noch",
    "fr": "le la les et des est une un du que qui dans pour pas sur au par ce il plus ne se sont avec aux ont "
          "cette",
}
_PROFILES = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_NAMES = {"id": "Indonesian", "en": "English", "de": "German", "fr": "French"}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

#: fewer running words than this: too little text to judge
MIN_WORDS = 20


def function_word_shares(text: str) -> dict[str, float]:
    """Share of the running words of ``text`` that are function words of each profiled language."""
    return _shares([w.lower() for w in _WORD.findall(text)])


def _shares(words: list[str]) -> dict[str, float]:
    if not words:
        return {lang: 0.0 for lang in _PROFILES}
    return {lang: sum(w in profile for w in words) / len(words) for lang, profile in _PROFILES.items()}


def language_warning(texts: Sequence[str], declared: str, *, side: str, doc_id: str = "") -> str | None:
    """One sentence when ``texts`` look like another profiled language than ``declared``, else None."""
    base = declared.split("-")[0].split("_")[0].lower()
    words = [w.lower() for w in _WORD.findall(" ".join(texts))]
    if base not in _PROFILES or len(words) < MIN_WORDS:
        return None
    shares = _shares(words)
    best = max(shares, key=shares.get)
    if best == base or shares[best] < 0.10 or shares[best] < 2 * shares[base]:
        return None
    where = f" of document '{doc_id}'" if doc_id else ""
    return (f"The {side}{where} looks like {_NAMES[best]}, not {_NAMES.get(base, base)} "
            f"(common-word share {shares[best]:.2f} vs {shares[base]:.2f}); check the language options and "
            f"the order of the files.")


def language_warnings(source: Sequence[str], reference: Sequence[str], source_lang: str, reference_lang: str,
                      *, doc_id: str = "") -> list[str]:
    """Warnings for both sides of one document pair (an empty list when both look right)."""
    out = [language_warning(source, source_lang, side="source", doc_id=doc_id),
           language_warning(reference, reference_lang, side="reference", doc_id=doc_id)]
    return [w for w in out if w]
