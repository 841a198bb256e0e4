"""Names, calendar words and number words of a language, from CLDR (via ``babel``).

Everything here is looked up lazily per language and cached: country and
region names (``Locale("id").territories["US"] == "Amerika Serikat"``),
language names, month and weekday names, the decimal and grouping symbols,
the scale words of CLDR's long and short compact number formats ("juta",
"miliar", "million", "billion", "jt", "M") and the name of the percent unit
("persen", "percent").  A language babel does not know gives empty tables.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache


@dataclass(frozen=True)
class Entry:
    """One CLDR entity (a territory or a language) with its names in the languages asked for."""

    kind: str  # "territory" | "language"
    code: str


def _locale(lang: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def fold(text: str) -> str:
    """Lower case without diacritics ("Côte" -> "cote")."""
    decomposed = unicodedata.normalize("NFKD", text)
    # composed again: Hangul syllables decompose into letters that are not marks, and must stay one character
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))).lower()


def initials(name: str) -> str:
    """Upper-case initials of a multi-word name, hyphenated parts counted ("Perserikatan Bangsa-Bangsa" -> "PBB")."""
    parts = [p for p in re.split(r"[\s\-]+", name) if p and p[0].isalpha()]
    return "".join(p[0].upper() for p in parts) if len(parts) >= 2 else ""


@lru_cache(maxsize=None)
def entity_names(lang: str) -> dict[Entry, tuple[str, ...]]:
    """CLDR territory and language names of ``lang``: entry -> its names (folded)."""
    loc = _locale(lang)
    out: dict[Entry, tuple[str, ...]] = {}
    if loc is None:
        return out
    for kind, table in (("territory", loc.territories), ("language", loc.languages)):
        for code, name in table.items():
            # major languages only (ISO 639-1 codes): the many minor language names include common
            # words ("nama", "seri", "bulu" in Indonesian); numeric region codes (150 Europe) are kept
            if kind == "language" and len(code) != 2:
                continue
            names = {fold(name)}
            names |= {fold(part.strip()) for part in re.split(r"[(),]", name) if len(part.strip()) >= 3}
            out[Entry(kind, code)] = tuple(sorted(n for n in names if len(n) >= 3))
    return out


@lru_cache(maxsize=None)
def parallel_names(lang: str, other: str) -> tuple[tuple[str, str], ...]:
    """The CLDR names of one territory, language or script in ``lang`` and in ``other``, every one both
    locales name ("Korea Utara" / "North Korea", "Sahara Barat" / "Western Sahara")."""
    a, b = _locale(lang), _locale(other)
    if a is None or b is None:
        return ()
    return tuple((table_a[code], table_b[code]) for table_a, table_b in
                 ((a.territories, b.territories), (a.languages, b.languages), (a.scripts, b.scripts))
                 for code in sorted(table_a) if code in table_b)


@lru_cache(maxsize=None)
def entity_acronyms(lang: str) -> dict[str, frozenset[Entry]]:
    """Acronyms formed by the initials of ``lang``'s multi-word CLDR names ("AS", "PBB", "UE"; "US", "UN", "EU").

    An acronym may stand for several entries ("AS": Amerika Serikat and Afrika Selatan); it matches any of them.
    """
    loc = _locale(lang)
    out: dict[str, set[Entry]] = {}
    if loc is None:
        return {}
    for kind, table in (("territory", loc.territories), ("language", loc.languages)):
        for code, name in table.items():
            if kind == "language" and len(code) != 2:
                continue
            acr = initials(name)
            if len(acr) >= 2:
                out.setdefault(acr, set()).add(Entry(kind, code))
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def name_index(lang: str) -> dict[str, frozenset[Entry]]:
    """Folded CLDR name -> entries, for finding the CLDR names inside a text of ``lang``."""
    out: dict[str, set[Entry]] = {}
    for entry, names in entity_names(lang).items():
        for n in names:
            out.setdefault(n, set()).add(entry)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def _name_pattern(lang: str) -> re.Pattern | None:
    names = sorted(name_index(lang), key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")


def entities_in(text: str, lang: str) -> list[tuple[int, int, frozenset[Entry]]]:
    """CLDR names of ``lang`` found in ``text``: (start, end, entries), longest names first, no overlaps.

    Offsets are into ``text``; folding keeps one character per character for the scripts of news text,
    and a text whose folded form changes length is searched without offsets (start = end = -1).
    """
    pat = _name_pattern(lang)
    if pat is None:
        return []
    folded = fold(text)
    aligned = len(folded) == len(text)
    return [(m.start() if aligned else -1, m.end() if aligned else -1, name_index(lang)[m.group(1)])
            for m in pat.finditer(folded)]


@lru_cache(maxsize=None)
def acronyms_of(entry: Entry, lang: str, named_in: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The acronyms of ``lang`` (see :func:`entity_acronyms`) that stand for ``entry``.

    Initials that several entries share ("AS": Amerika Serikat, Amerika Selatan, Arab Saudi, Afrika
    Selatan) stand for the one that is abbreviated in the languages of ``named_in`` too, with initials
    of its own there ("US"); "dolar AS" is not Saudi Arabia.  Without ``named_in``, for all of them.
    """
    out = []
    for acr, entries in entity_acronyms(lang).items():
        if entry not in entries:
            continue
        if len(entries) == 1 or not named_in or any(entity_acronyms(other).get(initials(name)) == {entry}
                                                    for other in named_in
                                                    for name in entity_names(other).get(entry, ())):
            out.append(acr)
    return tuple(out)


def entry_occurs(entry: Entry, text: str, lang: str, named_in: tuple[str, ...] = ()) -> bool:
    """Whether ``text`` (in ``lang``) names ``entry``: one of its names, a word starting with one
    ("Korean" for "Korea", "North Korean" for "North Korea"), or its acronym in capitals
    (:func:`acronyms_of`; ``named_in``: the languages the entry was named in)."""
    folded = fold(text)
    for name in entity_names(lang).get(entry, ()):
        if re.search(r"(?<![\w])" + re.escape(name), folded):
            return True
    plain = text.replace(".", "")
    return any(re.search(r"(?<![\w.])" + re.escape(acr) + r"(?![\w])", plain)
               for acr in acronyms_of(entry, lang, named_in))


def _month_forms(lang: str):
    """(width, month number, folded name) of every CLDR month name of ``lang``, all contexts, wide and abbreviated."""
    for code in _variants(lang):
        loc = _locale(code)
        if loc is None:
            continue
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for num, name in loc.months.get(context, {}).get(width, {}).items():
                    yield width, int(num), fold(name).rstrip(".")


@lru_cache(maxsize=None)
def month_names(lang: str) -> dict[str, int]:
    """Folded month names and abbreviations of ``lang`` (all CLDR contexts and widths) -> 1..12."""
    out: dict[str, int] = {}
    for _, num, key in _month_forms(lang):
        # two letters are too few to tell a month from a word, except a figure and the month sign of Chinese,
        # Japanese or Korean ("3月", "3월"), which is a month and nothing else
        if len(key) >= 3 or key[-1:] in ("月", "월"):
            out.setdefault(key, num)
    return out


@lru_cache(maxsize=None)
def month_abbreviations(lang: str) -> frozenset[str]:
    """The folded abbreviated month names of ``lang`` that are not also a full name ("jan", "des"; not "mei")."""
    forms = list(_month_forms(lang))
    wide = {key for width, _, key in forms if width == "wide"}
    return frozenset(key for width, _, key in forms if width == "abbreviated" and key not in wide and len(key) >= 3)


@lru_cache(maxsize=None)
def weekday_names(lang: str) -> dict[str, int]:
    """Folded weekday names of ``lang`` -> 1 (Monday) .. 7 (Sunday)."""
    out: dict[str, int] = {}
    loc = _locale(lang)
    if loc is None:
        return out
    for context in ("format", "stand-alone"):
        for num, name in loc.days.get(context, {}).get("wide", {}).items():
            out.setdefault(fold(name), int(num) + 1)
    return out


def _variants(lang: str) -> tuple[str, ...]:
    # English news writes "Sept" (en_GB's abbreviation) as often as "Sep" (en's)
    return ("en", "en_GB") if lang == "en" else (lang,)


@lru_cache(maxsize=None)
def number_symbols(lang: str) -> tuple[str, str]:
    """(decimal symbol, grouping symbol) of ``lang``; English's for an unknown language."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    loc = _locale(lang)
    if loc is None:
        return ".", ","
    return get_decimal_symbol(loc), get_group_symbol(loc)


@lru_cache(maxsize=None)
def scale_words(lang: str) -> dict[str, tuple[Decimal, bool]]:
    """Scale words of ``lang`` from CLDR's compact number formats: folded word -> (factor, short form).

    Long forms ("juta", "miliar", "million") stand after a number with a space; short forms ("jt",
    "M", "B") count only when written against the number or after a currency ("Rp5M", "$2B").
    """
    loc = _locale(lang)
    out: dict[str, tuple[Decimal, bool]] = {}
    if loc is None:
        return out
    for width in ("long", "short"):
        for forms in loc.compact_decimal_formats.get(width, {}).values():
            for magnitude, pattern in forms.items():
                text = str(pattern.pattern) if hasattr(pattern, "pattern") else str(pattern)
                zeros = text.count("0")
                word = re.sub(r"[0'.\s\u00a0]+", " ", text).strip()
                if not word or not zeros:
                    continue
                factor = Decimal(int(magnitude)) / Decimal(10) ** (zeros - 1)
                key = word if width == "short" else fold(word)
                out.setdefault(key, (factor, width == "short"))
    return out


@lru_cache(maxsize=None)
def percent_words(lang: str) -> frozenset[str]:
    """Folded names of the percent unit in ``lang`` ("persen", "percent")."""
    from babel.units import get_unit_name

    loc = _locale(lang)
    if loc is None:
        return frozenset()
    out = set()
    for length in ("long", "short"):
        try:
            name = get_unit_name("concentr-percent", length=length, locale=loc)
        except (KeyError, ValueError):
            name = None
        if name and name.strip() != "%":
            out.add(fold(name.strip()))
    return frozenset(out)
