"""Names, numbers, dates and ordinals in Indonesian and English sentences.

Every item carries character offsets into the sentence and a normalised
``key`` that is comparable across the two languages (a date becomes
``date:2024-02-04``, ``kelima`` and ``fifth`` both become ``ord:5``,
``204,8`` and ``204.8`` both become ``num:204.8``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    "januari": 1, "februari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "agu": 8, "sep": 9, "sept": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "des": 12,
}
WEEKDAYS = {
    "senin": 1, "selasa": 2, "rabu": 3, "kamis": 4, "jumat": 5, "jum'at": 5, "sabtu": 6, "minggu": 7,
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
}
ORDINALS = {
    "pertama": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5, "keenam": 6, "ketujuh": 7,
    "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
    # relative ordinals: comparable to any number only as "some ordinal"
    "terakhir": "last", "last": "last", "final": "last",
}
#: capitalised words that are titles, institutions, calendar or discourse words, not names
NOT_NAMES = {
    w.lower() for w in """
    Jakarta ANTARA Kementerian Komunikasi Informatika Informasi Publik Direktur Jenderal Menteri Presiden
    Wakil Pemilu Pemerintah Baca Juga Editor Pewarta Translator Copyright Related News Ministry Minister
    Director General Communication Communications Informatics Information Public President Vice Elections
    Election General House Representatives Regional Council Councils Legislative The He She They It We
    This That Indonesia Indonesian Indonesians Republik Republic Dewan Perwakilan Rakyat Daerah Komisi
    Badan Bank Mr Mrs Ms Dr Prof Kota City Province Provinsi Kabupaten Regency Hal Ia Adapun Para Karena
    Langkah Perlakuan Jadi Seharusnya Usai Sementara Menurut Selain Namun Thus However Because During Social
    Media Platform Platforms Kominfo Kemenkominfo Embassy Netizens Ministry's Debat Debate
    """.split()
}
ROLE_LABELS = re.compile(r"^\s*(Pewarta|Editor|Penerjemah|Translator|Reporter|Writer|Baca juga|Related news)\s*:\s*",
                         re.IGNORECASE)


@dataclass(frozen=True)
class Item:
    kind: str  # "name", "number", "date", "ordinal", "weekday"
    key: str
    start: int
    end: int
    text: str


_NUM = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_DATE_ID = re.compile(r"\b(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\b")
_DATE_EN = re.compile(r"\b([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_ORD_NUM = re.compile(r"\b(?:ke-(\d+)|(\d+)(?:st|nd|rd|th))\b", re.IGNORECASE)


def _num_key(tok: str) -> str:
    t = tok
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", t) or re.fullmatch(r"\d{1,3}(?:,\d{3})+", t):
        t = re.sub(r"[.,]", "", t)
    else:
        t = t.replace(",", ".")
    try:
        v = float(t)
    except ValueError:
        return f"num:{tok}"
    return f"num:{int(v)}" if v == int(v) else f"num:{v:g}"


def extract(text: str) -> list[Item]:
    """Dates, weekdays, ordinals, numbers and names of one sentence (non-overlapping)."""
    items: list[Item] = []
    taken = [False] * (len(text) + 1)

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def take(kind: str, key: str, a: int, b: int) -> None:
        items.append(Item(kind, key, a, b, text[a:b]))
        for k in range(a, b):
            taken[k] = True

    for rx, order in ((_DATE_ID, "dmy"), (_DATE_EN, "mdy")):
        for mt in rx.finditer(text):
            if order == "dmy":
                d, mon, y = mt.group(1), mt.group(2), mt.group(3)
            else:
                mon, d, y = mt.group(1), mt.group(2), mt.group(3)
            month = MONTHS.get(mon.lower())
            if month and 1 <= int(d) <= 31 and free(mt.start(), mt.end()):
                take("date", f"date:{int(y):04d}-{month:02d}-{int(d):02d}", mt.start(), mt.end())
    for mt in _ORD_NUM.finditer(text):
        if free(mt.start(), mt.end()):
            take("ordinal", f"ord:{int(mt.group(1) or mt.group(2))}", mt.start(), mt.end())
    for mt in _WORD.finditer(text):
        w = mt.group(0).lower()
        if not free(mt.start(), mt.end()):
            continue
        if w in ORDINALS:
            take("ordinal", f"ord:{ORDINALS[w]}", mt.start(), mt.end())
        elif w in WEEKDAYS and mt.group(0)[0].isupper():
            take("weekday", f"day:{WEEKDAYS[w]}", mt.start(), mt.end())
    for mt in _NUM.finditer(text):
        if free(mt.start(), mt.end()):
            take("number", _num_key(mt.group(0)), mt.start(), mt.end())
    for a, b in _name_runs(text, taken):
        take("name", "name:" + " ".join(t.lower() for t in text[a:b].split()), a, b)
    items.sort(key=lambda it: it.start)
    return items


def _name_runs(text: str, taken: list[bool]) -> list[tuple[int, int]]:
    """Runs of two or more capitalised tokens that are not title/institution words."""
    label = ROLE_LABELS.match(text)
    body_start = label.end() if label else 0
    toks = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    runs: list[tuple[int, int]] = []
    cur: list[tuple[int, int]] = []

    def flush():
        if len(cur) >= 2:
            runs.append((cur[0][0], cur[-1][1]))
        cur.clear()

    prev_end = None
    for k, (a, b, tok) in enumerate(toks):
        capital = tok[0].isupper() and not tok.isupper() or (tok.isupper() and len(tok) >= 2 and tok == "MD")
        ok = (capital and tok.lower() not in NOT_NAMES and not any(taken[a:b]) and a >= body_start
              and tok.lower() not in WEEKDAYS and tok.lower() not in MONTHS)
        gap = text[prev_end:a] if prev_end is not None else ""
        if ok and cur and gap.strip() == "":
            cur.append((a, b))
        else:
            flush()
            if ok:
                cur.append((a, b))
        prev_end = b
    flush()
    return runs


def name_tokens(key: str) -> set[str]:
    return {t for t in key.split(":", 1)[1].split() if len(t) >= 3}


def name_present(key: str, other_text: str) -> bool:
    """A name counts as present when one of its tokens (>= 3 letters) occurs in the other text."""
    other = {w.lower() for w in _WORD.findall(other_text)}
    return bool(name_tokens(key) & other)
