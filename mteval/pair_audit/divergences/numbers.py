"""Numbers, dates and ordinals of a sentence, normalised per language so the two sides compare.

A quantity is read with its language's separators (CLDR: "6,6" and "1.000"
in Indonesian, German or French are "6.6" and "1,000" in English; a single
separator followed by exactly three digits is ambiguous and keeps both
readings), its scale word ("Rp 1,5 miliar" = "1.5 billion rupiah" =
1,500,000,000), ranges ("1950-53" = 1950 to 1953), dates in either
language's order ("4 Februari 2024" = "February 4, 2024"; a day and month, or
a month and year, alone), clock times ("pukul 21.00" = "9:00 p.m."), and
ordinals ("kelima" = "fifth" = "5th"), and imperial units converted from metric ones ("20 pounds"
for "9 kilogram", :func:`metric_counterparts`).  Numbers
up to twelve spelled out ("tiga", "three") are *soft*: they can be the
counterpart of a figure on the other side but are never reported missing.

Each item gives the readings it *provides* to its side (a full date provides
its year, so "2007" on the other side is matched by "March 31, 2007") and the
readings it *needs* from the other side; an item is matched when one of its
needs is provided by an item of the other side, each item's reading matching one item
(:func:`conveyed`: a figure given twice needs two).
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import groupby
from typing import Sequence

from mteval.documents import cldr, scripts
from mteval.pair_audit.divergences import wordfreqs


@dataclass(frozen=True)
class Quantity:
    kind: str  # "number" | "date" | "time" | "ordinal" | "weekday"
    key: str  # the most specific reading
    start: int
    end: int
    text: str
    needs: frozenset[str]
    provides: frozenset[str]
    #: what sort of number, for pairing disagreements: "percent", "money", "year" (four plain digits), "plain"
    unit: str = ""
    soft: bool = False
    #: (value, one unit of the last digit written) per reading of a figure: "1,11 triliun" is
    #: (1,110,000,000,000, 10,000,000,000)
    readings: tuple[tuple[Decimal, Decimal], ...] = ()


# Spelled-out cardinals: news style spells out numbers up to twelve or so (AP, Tempo/ANTARA alike).
_SPELLED = {
    "id": {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
           "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000, "sejuta": 1000000},
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "hundred": 100, "dozen": 12},
}
# Spelled ordinals; "terakhir"/"last"/"final" are relative ordinals.  The first two ordinals of each
# language also work as adverbs and determiners ("first joined", "kedua negara" = both countries,
# "pertama kali" = the first time), so they are soft: a counterpart, never reported themselves.
_ORDINALS = {
    "id": {"pertama": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5, "keenam": 6, "ketujuh": 7,
           "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10, "kesebelas": 11, "terakhir": "last"},
    "en": {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
           "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "last": "last", "final": "last"},
}
# Scale words news copy uses beside CLDR's: older Indonesian spellings (before the KBBI standard
# "miliar"/"triliun", still common) and English newswire abbreviations.
_EXTRA_SCALES = {
    "id": {"milyar": 10 ** 9, "trilyun": 10 ** 12},
    "en": {"mln": 10 ** 6, "mn": 10 ** 6, "bln": 10 ** 9, "bn": 10 ** 9, "trn": 10 ** 12, "tn": 10 ** 12},
}
_PERCENT_EXTRA = {"%", "pct", "per cent", "prosen"}
_SOFT_ORDINALS = {"pertama", "kedua", "first", "second"}
# "last year", "tahun lalu": a relative ordinal before a unit of time is a date expression, not a rank
_TIME_AFTER = re.compile(r"\s+(?:year|years|week|weeks|month|months|night|weekend|time|minute|minutes|season|"
                         r"decade|century|day|days|tahun|minggu|pekan|bulan|malam|kali)\b", re.IGNORECASE)
# Currency markers written before an amount (symbols and ISO codes as news copy writes them).
#: "Rp" in any case: headlines write "RP", and a lower-case "rp100" is still rupiah, glued to its figure
_CURRENCY_BEFORE = re.compile(r"(?:(?<![^\W\d_])[Rr][Pp]\.?|IDR|USD|US\$|S\$|A\$|HK\$|RM|EUR|€|£|¥|\$)\s?$")
_CURRENCY_AFTER = re.compile(r"\s?(?:rupiah|dolar|dollars?|euros?|yen|yuan|ringgit|pounds?|won|baht)\b", re.I)
# Imperial and US units and their metric counterparts: wire copy for English readers converts
# ("35 km (22 miles)") or replaces ("lose 20 pounds" for "9 kilogram") the metric figure of the
# original.  Per dimension: the metric unit words (both languages) and the imperial units, as each
# language writes them, with metric = imperial * factor (Fahrenheit: (F - 32) * 5/9); the Indonesian
# spellings are for units kept from an English source ("21.000 kaki").
_IMPERIAL_UNITS = {
    "length": (r"km|cm|mm|m|(?:kilo|centi|senti|milli|mili)?met(?:er|re)s?", {
        Decimal("1.609344"): ("mile", "miles", "mil"), Decimal("0.3048"): ("foot", "feet", "ft", "kaki"),
        Decimal("2.54"): ("inch", "inches", "inci"), Decimal("0.9144"): ("yard", "yards")}),
    "mass": (r"kg|kilo(?:gram)?s?|g|grams?|gram|ton|tons|tonnes?", {
        Decimal("0.45359237"): ("pound", "pounds", "lb", "lbs", "pon")}),
    "area": (r"ha|hectares?|hektare?|km2|meter persegi|square met(?:er|re)s?", {
        Decimal("0.40468564"): ("acre", "acres", "ekar")}),
    "volume": (r"l|lit(?:er|re)s?", {Decimal("3.785411784"): ("gallon", "gallons", "galon")}),
    "temperature": (r"celsius|c", {Decimal(5) / Decimal(9): ("fahrenheit", "f")}),
}
#: imperial unit word -> (its dimension, metric factor); and per dimension, a figure written in a metric unit
_IMPERIAL = {word: (dimension, factor) for dimension, (_, units) in _IMPERIAL_UNITS.items()
             for factor, words in units.items() for word in words}
_METRIC_FIGURE = {dimension: re.compile(r"\d\s?-?(?:" + metric + r")\b", re.IGNORECASE)
                  for dimension, (metric, _) in _IMPERIAL_UNITS.items()}
_IMPERIAL_AFTER = re.compile(r"[\s-]?(?:degrees?\s|derajat\s)?(?:°\s?)?(?P<unit>[A-Za-z]+)\b")
#: a converted figure is rounded, usually to two significant digits ("2.5 km (1.5 miles)": 3.5% off);
#: 5% covers every conversion of this kind in the PANL-BPPT news (int and sci domains), 1 degree the
#: rounding of a temperature
CONVERSION_TOLERANCE = Decimal("0.05")

_TOKEN = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")
#: where CLDR's grouping symbol is a space (fr, ru, pl, sv, ...), print and news use it as a no-break, narrow
#: or plain space: "1 000,5" is one figure; only whole groups of three after a head of one to three digits
_SPACE_GROUPS = "\u00a0\u202f\u2009 "
_SPACED_TOKEN = re.compile(r"(?<![\d.,])\d{1,3}(?:[" + _SPACE_GROUPS + r"]\d{3}(?!\d))+(?:[.,]\d+)?"
                           r"|(?<![\d.,])\d+(?:[.,]\d+)*")
#: scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar): a number glued to
#: their letters is still a number ("1200家", "3月"), where a Latin letter glued to it makes a code ("A4")
_UNSPACED = re.compile(f"[{scripts.UNSPACED}]")
#: Arabic writes "and", "by", "for", "as" and "so" as one-letter prefixes, before figures too ("و١٢٠٠")
_ARABIC_PROCLITICS = "\u0648\u0628\u0644\u0643\u0641"
#: full-width digits, point and percent sign (Chinese and Japanese text) read as the ASCII ones, one character
#: for one; not the full-width comma, which separates clauses there ("300亿元，3万人")
_FULL_WIDTH = str.maketrans({chr(0xFF10 + k): str(k) for k in range(10)} | {"．": ".", "％": "%"})
_WORD = wordfreqs.WORD
_ORD_NUM = re.compile(r"\b(?:ke-?(\d+)|(\d+)(?:st|nd|rd|th))\b", re.IGNORECASE)
_COLLECTIVE_AFTER = re.compile(r" [a-z]")
_SPACED_DECIMAL = re.compile(r"(?<![\d.,])(\d{1,3}), (\d{1,2})(?![\d.,])")
_RANGE_TAIL = re.compile(r"\b(\d{4})\s?[-–]\s?(\d{2})\b")
# Clock times.  Hours and minutes joined by a colon are a time anywhere; joined by a point (Indonesian
# style, "21.00") or alone ("9 p.m."), only with a marker: "pukul"/"jam" before it, or a.m./p.m., a
# time zone or "local time" after it, since "21.00" alone may be a decimal ("stood at 6.60").
_CLOCK_BEFORE = r"(?P<pre>\b(?:pukul|pkl\.?|jam)\s+)?"
# "h" between hour and minutes is French (and Canadian CLDR) usage: "15 h 30", "15h30"
_CLOCK = re.compile(_CLOCK_BEFORE + r"(?<![\d.,:])(?P<h>\d{1,2})(?:(?P<sep>[.:]|\s?h\s?)(?P<m>\d{2}))?(?!\d|[.:,]\d)"
                    r"(?P<post>\s?(?:(?P<ap>[ap])\.?\s?m\b\.?|WIB|WITA|WIT|GMT|UTC|EST|EDT|hrs\b|local time|"
                    r"waktu setempat)|\s(?P<part>pagi|siang|sore|malam)\b)?", re.IGNORECASE)


def langs_of(lang: str | None) -> tuple[str, ...]:
    """The languages whose words a text may use: its own, or Indonesian and English when unknown."""
    return (lang,) if lang else ("id", "en")


def parse_number(token: str, lang: str | None) -> list[Decimal]:
    """Readings of a numeric token: the language's own first, the other convention's when ambiguous."""
    dec = cldr.number_symbols(lang)[0] if lang else None
    seps = [ch for ch in token if ch in ".,"]
    if not seps:
        return [Decimal(token)]
    if len(set(seps)) == 2:  # both: the last one is the decimal symbol
        d = seps[-1]
        g = "," if d == "." else "."
        if token.count(d) > 1:
            return []
        return _as_decimal(token.replace(g, "").replace(d, "."))
    sep = seps[0]
    head, *groups = token.split(sep)
    grouped = all(len(x) == 3 for x in groups) and 1 <= len(head) <= 3
    if len(groups) > 1:
        return _as_decimal(token.replace(sep, "")) if grouped else []
    as_decimal = _as_decimal(token.replace(sep, "."))
    if not grouped:
        return as_decimal
    as_group = _as_decimal(token.replace(sep, ""))
    return as_decimal + as_group if sep == dec else as_group + as_decimal


def _as_decimal(text: str) -> list[Decimal]:
    try:
        return [Decimal(text)]
    except InvalidOperation:
        return []


def canonical(value: Decimal) -> str:
    v = value.normalize()
    return format(v, "f") if v == v.to_integral_value() or abs(v) < 10 ** 12 else str(v)


def _scale_after(text: str, end: int, lang: str | None, currency: bool) -> tuple[Decimal | None, int]:
    """A scale word right after a number: (factor, end of the word) or (None, end).

    Long forms also count in the plural and misspelt by a letter or two ("millions", "trilion",
    "triloiun": news copy is typed fast); short forms only against the number or after a currency.
    """
    if end < len(text) and _UNSPACED.match(text[end]):  # no space ends the word: the scale word is a prefix
        for code in langs_of(lang):
            for form, (factor, _) in sorted(cldr.scale_words(code).items(), key=lambda item: -len(item[0])):
                if text.startswith(form, end):
                    return factor, end + len(form)
        return None, end
    m = re.match(r"(\s?)([^\W\d_]+)\.?(?![\w])", text[end:end + 24])
    if not m:
        return None, end
    glued, word = not m.group(1), m.group(2)
    folded = cldr.fold(word)
    stop = end + m.end(2)
    for code in langs_of(lang):
        longs: dict[str, Decimal] = {}
        for form, (factor, short) in cldr.scale_words(code).items():
            if short:
                if word == form and (glued or currency):
                    return factor, stop
            else:
                longs[form] = factor
        for form, factor in _EXTRA_SCALES.get(code, {}).items():
            if len(form) <= 3:
                if folded == form:
                    return Decimal(factor), stop
            else:
                longs[form] = Decimal(factor)
        for form, factor in longs.items():
            if folded in (form, form + "s") or (
                    len(folded) >= 5 and folded[:3] == form[:3]
                    and difflib.SequenceMatcher(None, folded, form).ratio() >= 0.8):
                return factor, stop
    return None, end


def _percent_after(text: str, end: int, lang: str | None) -> int:
    rest = cldr.fold(text[end:end + 12])
    words = set(_PERCENT_EXTRA)
    for code in langs_of(lang):
        words |= cldr.percent_words(code)
    for w in sorted(words, key=len, reverse=True):
        # "30 persen", "30%", the compound adjective "a 60-percent stake", the plural "69 percents"
        m = re.match(r"[\s-]?" + re.escape(w) + r"s?(?![\w])", rest)
        if m:
            return end + m.end()
    return 0


def _months(lang: str | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for code in langs_of(lang):
        out.update(cldr.month_names(code))
    return out


#: the month and day signs of Chinese, Japanese and Korean dates ("3月5日", "3월 5일")
_UNSPACED_DATES = re.compile(r"\d\s?[月월]")
#: what joins the two days of a range: a dash, or "hingga"/"sampai" ("13 hingga 15 Maret"), "to"/"through"
_DAY_RANGE = r"(?:\s?[-–]\s?|\s(?:hingga|sampai|s/d|to|through)\s)"
#: a numeric day/month after a weekday, as Indonesian news dates its reports ("Jumat 23/8", "Senin (5/3)")
_WEEKDAY_DAY_MONTH = r"\b(?:{days})\s?[,(]?\s?(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})\)?(?![\d/])"


def dates(text: str, lang: str | None) -> list[Quantity]:
    """Dates: day month year, month day year, day month, month day, month year (month names of ``lang``)."""
    months = _months(lang)
    if not months:
        return []
    mon = r"(?P<mon>(?:" + _alternation(months) + r"))\.?"
    d1 = r"(?:(?P<d0>\d{1,2})" + _DAY_RANGE + r")?"
    d2 = r"(?:" + _DAY_RANGE + r"(?P<d9>\d{1,2}))?"
    dmy = r"(?<![\d.,])\b" + d1 + r"(?P<d>\d{1,2})\s+" + mon + r",?\s+(?P<y>\d{4})\b"
    mdy = r"\b" + mon + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?" + d2 + r",?\s+(?P<y>\d{4})\b"
    dm = r"(?<![\d.,])\b" + d1 + r"(?P<d>\d{1,2})\s+" + mon + r"(?![\w])"
    md = r"\b" + mon + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?" + d2 + r"(?![\w.,]\d)\b"
    my = r"\b" + mon + r",?\s+(?P<y>\d{4})\b"
    # English writes month-day, Indonesian (and most languages) day-month: try the text's own order first
    patterns = (mdy, dmy, md, dm, my) if lang == "en" else (dmy, mdy, dm, md, my)
    if _UNSPACED_DATES.search(text):
        # CLDR's y年M月d日 (zh, ja) and y년 M월 d일 (ko): year, month name ("3月") and day, no spaces needed
        patterns = (r"(?<!\d)(?:(?P<y>\d{4})\s?[年년]\s?)?" + mon + r"\s?(?P<d>\d{1,2})\s?[日号號일]",
                    r"(?<!\d)(?P<y>\d{4})\s?[年년]\s?" + mon, *patterns)
    out: list[Quantity] = []
    taken = [False] * (len(text) + 1)
    folded = cldr.fold(text) if len(cldr.fold(text)) == len(text) else text.lower()
    for pat in patterns:
        for m in re.finditer(pat, folded):
            if any(taken[m.start():m.end()]):
                continue
            month = months[m.group("mon")]
            gd = m.groupdict()
            d = int(gd["d"]) if gd.get("d") else None
            y = int(gd["y"]) if gd.get("y") else None
            # a full date keeps a day out of range (a typo, or an edit, is still a date that disagrees)
            if d is not None and not (1 <= d <= (99 if y is not None else 31)):
                continue
            # a day range ("5-6 Maret", "March 5-6") is one date per day, each to be conveyed
            days = [int(x) for x in (gd.get("d0"), d, gd.get("d9")) if x] if d is not None else [None]
            for day in days:
                key, needs, provides = _date_readings(y, month, day)
                out.append(Quantity("date", key, m.start(), m.end(), text[m.start():m.end()], needs, provides))
            for k in range(m.start(), m.end()):
                taken[k] = True
    out.extend(_weekday_dates(text, folded, lang, taken))
    return out


def _alternation(names) -> str:
    """A regex alternation of ``names``, longest first ("Juni" is tried before its abbreviation "Jun")."""
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))


@lru_cache(maxsize=None)
def _weekday_day_month(lang: str | None) -> re.Pattern | None:
    """:data:`_WEEKDAY_DAY_MONTH` for the weekday names of ``lang``; None for English or no names."""
    days = {w for code in langs_of(lang) if code != "en" for w in cldr.weekday_names(code)}
    return re.compile(_WEEKDAY_DAY_MONTH.format(days=_alternation(days))) if days else None


def _weekday_dates(text: str, folded: str, lang: str | None, taken: list[bool]) -> list[Quantity]:
    """Day/month dates after a weekday name, in languages that write the day first (not English)."""
    pattern = _weekday_day_month(lang)
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(folded):
        day, month = int(m.group("d")), int(m.group("m"))
        if any(taken[m.start("d"):m.end()]) or not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        key, needs, provides = _date_readings(None, month, day)
        out.append(Quantity("date", key, m.start("d"), m.end("m"), text[m.start("d"):m.end("m")], needs, provides))
    return out


#: four plain digits in this range read as a year (the years news cites, back to history, forward to
#: plans "by 2100"); beyond it they are a count ("sekitar 4000 tahun silam" = "around 4,000 years ago")
YEARS = (1000, 2100)


def _date_readings(year: int | None, month: int, day: int | None) -> tuple[str, frozenset[str], frozenset[str]]:
    """The key of one date, what it needs from the other side and provides to its own.

    A date without a year is conveyed by that day of any year ("13 Juni" by "June 13, 2008": one side
    leaves the year out); two full dates of different years disagree, so a full date is conveyed by
    itself or by a date without a year ("...:noyear", provided only by those), never by the same day of
    another year.  A full date provides its month and its year ("2007" is conveyed by "March 31, 2007").
    """
    if day is None:
        key = f"date:{year:04d}-{month:02d}"
        return key, frozenset({key}), frozenset({key, f"num:{year}"})
    bare = f"date:--{month:02d}-{day:02d}"
    if year is None:
        return bare, frozenset({bare}), frozenset({bare, bare + ":noyear"})
    full = f"date:{year:04d}-{month:02d}-{day:02d}"
    return full, frozenset({full, bare + ":noyear"}), frozenset({full, bare, f"date:{year:04d}-{month:02d}",
                                                                 f"num:{year}"})


#: a capitalised word directly after: an ordinal written so opens a name ("First Media", "Third World")
_CAPITALISED_NEXT = re.compile(r"\s+[A-Z]")
#: what a sentence (or a quotation) starts after: nothing, or a stop, colon or opening mark
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”(])$")


def _opens_name(text: str, m: re.Match) -> bool:
    """Whether the ordinal word ``m`` is the first word of a name: capitalised where a sentence does not
    start and followed by another capitalised word ("PT First Media", not "First, ..." or "the first")."""
    return m.group(0)[0].isupper() and not _SENTENCE_START.search(text[:m.start()].rstrip()) \
        and bool(_CAPITALISED_NEXT.match(text, m.end()))


def quantities(text: str, lang: str | None, taken: list[bool] | None = None) -> list[Quantity]:
    """Dates, ordinals, weekdays and numbers of one sentence in ``lang`` (non-overlapping)."""
    original, text = text, text.translate(_FULL_WIDTH)
    if text == original:
        return _quantities(text, lang, taken)
    return [replace(q, text=original[q.start:q.end]) for q in _quantities(text, lang, taken)]


def _quantities(text: str, lang: str | None, taken: list[bool] | None) -> list[Quantity]:
    taken = taken if taken is not None else [False] * (len(text) + 1)
    out: list[Quantity] = []

    def add(q: Quantity) -> None:
        out.append(q)
        for k in range(q.start, q.end):
            taken[k] = True

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    # the days of one range are items of one span: taken together or not at all
    for (start, end), group in groupby(dates(text, lang) + clock_times(text), key=lambda q: (q.start, q.end)):
        if free(start, end):
            for q in group:
                add(q)
    for m in _ORD_NUM.finditer(text):
        if free(m.start(), m.end()):
            n = int(m.group(1) or m.group(2))
            key = f"ord:{n}"
            if m.group(1) and _COLLECTIVE_AFTER.match(text, m.end()):
                # Indonesian "ke-N" before a noun is collective, "the N": "ke-15 pelaut" = "the 15 sailors";
                # after a noun it is an ordinal ("KTT ke-15 ASEAN" = "the 15th ASEAN summit").  Read as a
                # number when a lower-case word follows, keeping the ordinal reading ("abad ke-21 di Asia" is
                # still conveyed by "the 21st century")
                keys = frozenset({f"num:{n}", key})
                add(Quantity("number", f"num:{n}", m.start(), m.end(), m.group(0), keys, keys, "plain"))
                continue
            add(Quantity("ordinal", key, m.start(), m.end(), m.group(0), frozenset({key}), frozenset({key})))
    weekdays: dict[str, int] = {}
    for code in langs_of(lang):
        weekdays.update(cldr.weekday_names(code))
    for m in _WORD.finditer(text):
        w = cldr.fold(m.group(0))
        if not free(m.start(), m.end()):
            continue
        for code in langs_of(lang):
            if w in _ORDINALS.get(code, {}) and not _opens_name(text, m):
                key = f"ord:{_ORDINALS[code][w]}"
                soft = w in _SOFT_ORDINALS or (key == "ord:last" and bool(_TIME_AFTER.match(text, m.end())))
                add(Quantity("ordinal", key, m.start(), m.end(), m.group(0), frozenset({key}), frozenset({key}),
                             soft=soft))
                break
        else:
            if w in weekdays and m.group(0)[0].isupper():
                key = f"day:{weekdays[w]}"
                add(Quantity("weekday", key, m.start(), m.end(), m.group(0), frozenset({key}), frozenset({key})))
    for q in spaced_decimals(text, lang):
        if free(q.start, q.end):
            add(q)
    range_tail = {m.start(2): m.group(1)[:2] for m in _RANGE_TAIL.finditer(text)}
    space_grouped = bool(lang) and cldr.number_symbols(lang)[1] in _SPACE_GROUPS
    for m in (_SPACED_TOKEN if space_grouped else _TOKEN).finditer(text):
        a, b = m.start(), m.end()
        if not free(a, b) or (b < len(text) and (_glues(text[b]) and not _unit_glued(text, b, lang))):
            continue
        if a > 0 and _glues(text[a - 1]) and not _currency_before(text, a) and not _proclitic(text, a):
            continue
        values = parse_number(re.sub(f"[{_SPACE_GROUPS}]", "", m.group(0)), lang)
        if not values:
            continue
        if a in range_tail:
            values = [Decimal(range_tail[a] + m.group(0))] + values
        currency = _currency_before(text, a)
        factor, end = _scale_after(text, b, lang, currency)
        # a figure whose scale word the other side left out ("Rp3,796" for "Rp3.796 triliun") still matches
        bare = set(values)
        if factor is not None:
            values = [v * factor for v in values]
        pct_end = _percent_after(text, end, lang)
        money = currency or bool(_CURRENCY_AFTER.match(text, end))
        plain = "." not in m.group(0) and "," not in m.group(0) and factor is None
        year_like = plain and (a in range_tail or (len(m.group(0)) == 4 and YEARS[0] <= int(m.group(0)) <= YEARS[1]))
        unit = "percent" if pct_end else "money" if money else "year" if year_like else "plain"
        keys = frozenset(f"num:{canonical(v)}" for v in list(values) + list(bare))
        if factor is None and not pct_end and not currency:
            keys = keys | metric_counterparts(values[0], text, b)
        stop = max(end, pct_end, b)
        scale = factor or Decimal(1)
        # one unit of the last digit written: 10^exponent of the parsed figure ("1,11": 0.01), times its scale
        readings = tuple((v * scale, Decimal(1).scaleb(min(0, v.as_tuple().exponent)) * scale)
                         for v in dict.fromkeys(bare))
        add(Quantity("number", f"num:{canonical(values[0])}", a, stop, text[a:stop], keys, keys, unit,
                     readings=readings))
    for q in spelled(text, lang):
        if free(q.start, q.end):
            add(q)
    out.sort(key=lambda q: q.start)
    return out


#: hours ahead of UTC of the time zones news names (Indonesia's western, central and eastern time)
UTC_OFFSETS = {"WIB": 7, "WITA": 8, "WIT": 9, "GMT": 0, "UTC": 0, "EST": -5, "EDT": -4}


def clock_times(text: str) -> list[Quantity]:
    """Clock times as 24-hour readings ("time:21:00").  An hour from 1 to 12 written without a leading
    zero, a.m./p.m. or a part of the day ("pagi", "malam") reads both ways ("pukul 9" is 09:00 or 21:00)."""
    out = []
    for m in _CLOCK.finditer(text):
        sep, pre = (m.group("sep") or "").strip(), (m.group("pre") or "").strip().lower()
        marked = bool(pre or m.group("post"))
        if not (sep in (":", "h") or (sep == "." and marked) or (not sep and (m.group("ap") or m.group("part")
                                                                     or pre.startswith(("pukul", "pkl"))))):
            continue
        h, minute = int(m.group("h")), int(m.group("m") or 0)
        if h > 24 or minute > 59:
            continue
        hours = _hours(h, m.group("h").startswith("0"), (m.group("ap") or "").lower(), (m.group("part") or "").lower())
        keys = {f"time:{x:02d}:{minute:02d}" for x in hours}
        # a time in a named zone is also that time in UTC, which the other side may give instead
        # ("07:42 WIB" = "00:42 GMT")
        zone = UTC_OFFSETS.get((m.group("post") or "").strip().upper())
        if zone is not None:
            keys |= {f"utc:{(x - zone) % 24:02d}:{minute:02d}" for x in hours}
        keys = frozenset(keys)
        a = m.start("h")
        e = m.end("post") if m.group("post") else m.end("m") if m.group("m") else m.end("h")
        out.append(Quantity("time", f"time:{min(hours):02d}:{minute:02d}", a, e, text[a:e], keys, keys, "time"))
    return out


def _hours(h: int, leading_zero: bool, ap: str, part: str) -> set[int]:
    """24-hour readings of an hour: a.m./p.m. and Indonesian parts of the day (pagi = morning, siang =
    midday to mid-afternoon, sore = afternoon, malam = evening and night) decide a 12-hour one."""
    if h > 12 or h == 0 or (leading_zero and not (ap or part)):  # "08:30 sore" is still 20:30
        return {h % 24}
    if not ap and part:
        if h == 12:  # "12 siang" is noon, "12 malam" midnight
            return {12 if part == "siang" else 0}
        ap = {"pagi": "a", "sore": "p", "siang": "p" if h <= 6 else "a", "malam": "p" if h >= 6 else "a"}[part]
    if ap:
        return {h % 12 + (12 if ap == "p" else 0)}
    return {h, (h + 12) % 24}


def spaced_decimals(text: str, lang: str | None) -> list[Quantity]:
    """A decimal comma typed with a space before a scale word ("33, 4 miliar" for 33,4 miliar).

    Only in languages whose decimal symbol is the comma, with one to three digits before it (a year
    before a comma starts a clause: "pada 2007, 6 persen") and a long scale word after the fraction.
    In the PANL-BPPT Indonesian news (all three domains) this pattern occurs four times, each the
    decimal of a figure the English writes with a point ("38, 9 juta kilo liter", "Rp444, 19
    miliar"). Both readings are kept, the decimal and the two numbers, as for ambiguous separators.
    """
    if lang is None or cldr.number_symbols(lang)[0] != ",":
        return []
    out = []
    for m in _SPACED_DECIMAL.finditer(text):
        currency = _currency_before(text, m.start())
        factor, end = _scale_after(text, m.end(), lang, currency)
        if factor is None or factor < 1000:
            continue
        whole, fraction = Decimal(m.group(1)), Decimal(m.group(2))
        decimal = Decimal(f"{m.group(1)}.{m.group(2)}")
        values = (decimal * factor, decimal, whole, fraction * factor, fraction)
        keys = frozenset(f"num:{canonical(v)}" for v in values)
        money = currency or bool(_CURRENCY_AFTER.match(text, end))
        out.append(Quantity("number", f"num:{canonical(decimal * factor)}", m.start(), end, text[m.start():end],
                            keys, keys, "money" if money else "plain"))
    return out


def metric_counterparts(value: Decimal, text: str, end: int) -> frozenset[str]:
    """Readings of the metric figure an imperial one converts, if an imperial unit follows ``text[:end]``.

    Every figure of three significant digits within :data:`CONVERSION_TOLERANCE` of the exact
    conversion (within one degree for temperatures) is a reading, so "20 pounds" is conveyed by
    "9 kilogram" and "30 miles" by "50 km".  Not when the sentence also writes a metric figure of that
    dimension ("428 km (263 miles)"): that one is the figure to compare, and the rounded conversion
    beside it would cover a changed one.
    """
    m = _IMPERIAL_AFTER.match(text, end)
    dimension, factor = _IMPERIAL.get(m.group("unit").lower(), (None, None)) if m else (None, None)
    if dimension is None or _METRIC_FIGURE[dimension].search(text):
        return frozenset()
    if dimension == "temperature":
        exact, spread = (value - 32) * factor, Decimal(1)
    else:
        exact = value * factor
        spread = abs(exact) * CONVERSION_TOLERANCE
    lo, hi = exact - spread, exact + spread
    top = max(abs(lo), abs(hi))
    if top == 0:
        return frozenset()
    step = Decimal(1).scaleb(top.adjusted() - 2)
    first = (lo / step).to_integral_value(ROUND_HALF_UP)
    count = int((hi / step).to_integral_value(ROUND_DOWN) - first) + 1
    return frozenset(f"num:{canonical((first + k) * step)}" for k in range(max(0, count)))


def _glues(char: str) -> bool:
    """Whether a letter written against a figure makes one word with it (see :data:`_UNSPACED`)."""
    return char.isalpha() and not _UNSPACED.match(char)


def _proclitic(text: str, pos: int) -> bool:
    """An Arabic one-letter prefix standing alone before the figure at ``pos`` ("و١٢٠٠" = "and 1200")."""
    return text[pos - 1] in _ARABIC_PROCLITICS and (pos == 1 or not text[pos - 2].isalpha())


def _currency_before(text: str, pos: int) -> bool:
    """Whether a currency marker ("Rp", "US$", "IDR") is written right before ``text[pos]``."""
    return bool(_CURRENCY_BEFORE.search(text[max(0, pos - 4):pos]))


def _unit_glued(text: str, b: int, lang: str | None) -> bool:
    """Letters glued to a number that are a scale or unit ("7trn", "5bn", "100km"), not part of a word."""
    m = re.match(r"[A-Za-z]+", text[b:])
    word = m.group(0) if m else ""
    for code in langs_of(lang):
        if word in cldr.scale_words(code) or word.lower() in _EXTRA_SCALES.get(code, {}):
            return True
    return word.lower() in {"km", "kg", "mm", "cm", "m", "mw", "gw", "kw", "ha", "g", "ml", "l"}


def spelled(text: str, lang: str | None) -> list[Quantity]:
    """Spelled-out cardinals (soft items), with a following scale word ("tiga juta" = 3,000,000)."""
    out = []
    for m in _WORD.finditer(text):
        w = cldr.fold(m.group(0))
        for code in langs_of(lang):
            n = _SPELLED.get(code, {}).get(w)
            if n is None:
                continue
            factor, end = _scale_after(text, m.end(), code, False)
            value = Decimal(n) * (factor or 1)
            key = f"num:{canonical(value)}"
            out.append(Quantity("number", key, m.start(), end, text[m.start():end], frozenset({key}),
                                frozenset({key}), "plain", soft=True))
            break
    return out


# "last year", "tahun lalu", "a year earlier": a year given relative to the story's date
_RELATIVE_YEAR = re.compile(r"\b(?:(?:last|previous|this|next|coming|past)\s+year|a\s+year\s+(?:earlier|ago|before)|"
                            r"year\s+(?:earlier|before)|tahun\s+(?:lalu|sebelumnya|ini|depan|mendatang|kemarin))\b",
                            re.IGNORECASE)


#: a figure given to fewer decimals is the other one rounded or cut when it keeps at least this many
#: significant digits (the two then differ by under 1%: "Rp1,11 triliun" for "Rp1.109 trillion",
#: "Rp452.556,9 miliar" for "Rp452.556 trillion"); "6 persen" and "6.4 percent" still disagree
ROUNDED_MIN_DIGITS = 3


def same_rounded(a: Quantity, b: Quantity) -> bool:
    """Whether two figures written to different precision are one figure, rounded or cut (not years)."""
    if "year" in (a.unit, b.unit) or not compatible(a.unit, b.unit):
        return False
    for x in a.readings:
        for y in b.readings:
            if x[1] == y[1]:
                continue
            (fine, _), (value, step) = (x, y) if x[1] < y[1] else (y, x)
            units = value / step
            if len(str(abs(int(units)))) < ROUNDED_MIN_DIGITS:
                continue
            if units in ((fine / step).to_integral_value(ROUND_HALF_UP), (fine / step).to_integral_value(ROUND_DOWN)):
                return True
    return False


def relative_year(text: str) -> bool:
    """Whether ``text`` names a year relative to the story's date ("last year", "tahun sebelumnya"):
    the other side may then give that year as a number, and the two are not comparable."""
    return bool(_RELATIVE_YEAR.search(text))


def compatible(unit_a: str, unit_b: str) -> bool:
    """Units that can be the same quantity written differently (an amount with or without its currency)."""
    return unit_a == unit_b or {unit_a, unit_b} <= {"money", "plain"}


def year_of(q: Quantity) -> int | None:
    """The year a quantity gives: a year ("2007"), or the year of a dated item ("Maret 2007")."""
    if q.kind == "number" and q.unit == "year":
        return int(q.key.split(":")[1])
    m = re.match(r"date:(\d{4})", q.key) if q.kind == "date" else None
    return int(m.group(1)) if m else None


_DATE_FIELDS = re.compile(r"date:(?P<y>\d{4}|-)-(?P<m>\d{2})(?:-(?P<d>\d{2}))?")


def date_fields(q: Quantity) -> tuple[int | None, int, int | None] | None:
    """(year, month, day) of a date, None for a field it leaves out; None for anything but a date."""
    m = _DATE_FIELDS.match(q.key) if q.kind == "date" else None
    if m is None:
        return None
    return (int(m.group("y")) if m.group("y") != "-" else None, int(m.group("m")),
            int(m.group("d")) if m.group("d") else None)


def dates_disagree(a: Quantity, b: Quantity, relative: bool) -> bool:
    """Two dates disagree when a field both give differs: "Februari 2007" and "Feb 28" can be one date
    (one side gives the year, the other the day), "5 Desember" and "December 6" cannot.  With a year
    relative to the story in the bead ("the same period last year"), years one apart do not disagree."""
    fa, fb = date_fields(a), date_fields(b)
    if fa is None or fb is None:
        return True
    (ya, ma, da), (yb, mb, db) = fa, fb
    if ma != mb or (da is not None and db is not None and da != db):
        return True
    if ya is None or yb is None:
        return False
    return ya != yb and not (relative and abs(ya - yb) == 1)


def four_digits(q: Quantity) -> bool:
    """A figure from 1000 to 9999: a year or a count ("1000 cc" / "1,500 cc", "2010" / "8010")."""
    if q.kind != "number" or q.unit not in ("year", "plain"):
        return False
    try:
        return 1000 <= Decimal(q.key.split(":")[1]) < 10000
    except InvalidOperation:
        return False


def conveyed(items: Sequence[Quantity], others: Sequence[Quantity], positions: Sequence[float] | None = None,
             other_positions: Sequence[float] | None = None) -> list[bool]:
    """Which of one side's ``items`` the other side's quantities ``others`` convey.

    Each reading an item provides conveys one item: a figure given twice on one side needs two on the
    other ("12 persen" once against "12 percent" twice leaves one unconveyed), while one item still
    conveys different readings (a full date its date and its year).  Pairs are made in rounds -- the
    most specific reading between two items written alike (both spelled out or both in figures), then
    the most specific reading, then any reading -- and within a round the closest in position
    (``positions``: where each item sits in its side, 0 to 1) first, so "sepuluh" takes "ten" before the
    bare "10" of "10 ribu" can.
    """
    pos_a = list(positions) if positions is not None else [0.0] * len(items)
    pos_b = list(other_positions) if other_positions is not None else [0.0] * len(others)
    done = [False] * len(items)
    used: set[tuple[int, str]] = set()
    rounds = (lambda x, y, t: t == x.key and x.soft == y.soft, lambda x, y, t: t == x.key, lambda x, y, t: True)
    for admits in rounds:
        pairs = sorted((abs(pos_a[n] - pos_b[m]), n, m, t) for n, x in enumerate(items) if not done[n]
                       for m, y in enumerate(others) for t in x.needs & y.provides if admits(x, y, t))
        for _, n, m, t in pairs:
            if not done[n] and (m, t) not in used:
                done[n] = True
                used.add((m, t))
    return done
