"""Is a word a common word of its language?  Word frequencies from ``wordfreq``.

Frequencies are Zipf values (log10 of occurrences per billion words: 3 is
once per million words, 6 is once per thousand).  The lists are loaded lazily,
once per language; a language ``wordfreq`` does not cover counts as having no
common words.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

#: a word of a text: letters first, then letters, digits, apostrophes and hyphens ("Al-Aqsha", "Sri's")
WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)

#: a word at least this frequent (about 30 per million words) is a common word of its language
COMMON_ZIPF = 4.5
#: ... and a word of *its* language, not a copied name, when at least this much (10x) rarer in the other
LANGUAGE_GAP_ZIPF = 1.0
#: a capitalised sentence-initial word this frequent (10 per million) is read as a common word, not a name
INITIAL_COMMON_ZIPF = 4.0


@lru_cache(maxsize=None)
def _table(lang: str) -> dict[str, float]:
    try:
        from wordfreq import available_languages, get_frequency_dict
    except ImportError:
        return {}
    base = lang.split("-")[0].split("_")[0].lower()
    if base not in available_languages():
        return {}
    return get_frequency_dict(base, wordlist="best")


def zipf(word: str, lang: str) -> float:
    """Zipf frequency of ``word`` (lower-cased) in ``lang``; 0 for an unknown word or language."""
    f = _table(lang).get(word.lower().replace("’", "'"), 0.0)
    return math.log10(f) + 9.0 if f > 0 else 0.0


def is_common(word: str, lang: str, threshold: float = COMMON_ZIPF) -> bool:
    return zipf(word, lang) >= threshold


def is_language_word(word: str, lang: str, other: str | None) -> bool:
    """A common word of ``lang`` that is much rarer in ``other``: a translatable word, not a copied name."""
    z = zipf(word, lang)
    if z < COMMON_ZIPF:
        return False
    return other is None or z - zipf(word, other) >= LANGUAGE_GAP_ZIPF
