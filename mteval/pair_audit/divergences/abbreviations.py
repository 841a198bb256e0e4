"""Syllable abbreviations of offices and titles, written out ("Depkeu" = "Departemen Keuangan").

Indonesian news names government offices and officials by syllable abbreviations (*akronim*) made
from a closed set of parts: a rank or office ("Men" Menteri, "Dep" Departemen, "Dir" Direktur, "Ka"
Kepala, "Wa" Wakil) followed by what it is in charge of ("keu" Keuangan, "lu" Luar Negeri, "jen"
Jenderal, "pol" + "ri" Polisi Republik Indonesia): "Menkeu", "Depkeu", "Dirjen", "Ditjen",
"Wapres", "Kapolri".  The English side translates the whole ("Finance Minister", "Director
General"), so a name holding the abbreviation is only comparable across languages once it is
written out.  The parts are the ones the government's own abbreviations use, not words of any
article; a word is expanded only when it splits completely into a rank and at least one field, and
it is not a name the other language writes (English news writes "Kahan", "Kadir").

One plain table per language (``PARTS``); a language without one has no abbreviations expanded.
"""
from __future__ import annotations

from functools import lru_cache

from mteval.pair_audit.divergences import wordfreqs

#: per language: (ranks and offices, fields); each part -> its written-out words
PARTS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "id": (
        {"kemen": "Kementerian", "dep": "Departemen", "meneg": "Menteri Negara", "men": "Menteri",
         "dir": "Direktur", "dit": "Direktorat", "ka": "Kepala", "wa": "Wakil", "sek": "Sekretaris",
         "pem": "Pemerintah", "gub": "Gubernur"},
        {"keu": "Keuangan", "lu": "Luar Negeri", "dagri": "Dalam Negeri", "dag": "Perdagangan",
         "perin": "Perindustrian", "hub": "Perhubungan", "kes": "Kesehatan", "han": "Pertahanan",
         "tan": "Pertanian", "hut": "Kehutanan", "sos": "Sosial", "ag": "Agama", "diknas": "Pendidikan Nasional",
         "kumham": "Hukum dan HAM", "par": "Pariwisata", "jen": "Jenderal", "ut": "Utama", "pres": "Presiden",
         "gub": "Gubernur", "pol": "Polisi", "ri": "Republik Indonesia", "prov": "Provinsi",
         "kab": "Kabupaten", "kot": "Kota", "da": "Daerah", "res": "Resor", "dis": "Dinas"}),
}
#: a word this frequent in the other language is a name it writes, not an abbreviation ("Kahan" 2.2)
OTHER_LANGUAGE_MAX_ZIPF = 2.0
#: a word this short is expanded only when the language's word list knows it: short rank-and-field
#: strings are as often surnames ("Katan" would read Ka + tan), the abbreviations in use are listed
#: ("Menlu", "Pemda"); longer unlisted ones are older abbreviations ("Depkeu", "Dephan")
SHORT_LETTERS = 5

_WORD = wordfreqs.WORD


def expand(word: str, lang: str | None, other: str | None = "en") -> str | None:
    """The written-out form of ``word`` if it is a syllable abbreviation of ``lang``, else None."""
    if lang not in PARTS or not word[:1].isupper() or (len(word) > 1 and word.isupper()):
        return None
    if other and wordfreqs.zipf(word, other) >= OTHER_LANGUAGE_MAX_ZIPF:
        return None
    if len(word) <= SHORT_LETTERS and wordfreqs.zipf(word, lang) == 0.0:
        return None
    parts = _split(word.lower(), lang)
    return " ".join(parts) if parts else None


@lru_cache(maxsize=4096)
def _split(word: str, lang: str) -> tuple[str, ...] | None:
    """Written-out parts of ``word``: one or more ranks, then one or more fields, the whole word."""
    ranks, fields = PARTS[lang]

    def fields_from(pos: int) -> tuple[str, ...] | None:
        if pos == len(word):
            return ()
        for part in sorted((p for p in fields if word.startswith(p, pos)), key=len, reverse=True):
            rest = fields_from(pos + len(part))
            if rest is not None:
                return (fields[part],) + rest
        return None

    def ranks_from(pos: int) -> tuple[str, ...] | None:
        for part in sorted((p for p in ranks if word.startswith(p, pos)), key=len, reverse=True):
            nxt = pos + len(part)
            tail = fields_from(nxt) if nxt < len(word) else None
            if tail:
                return (ranks[part],) + tail
            more = ranks_from(nxt) if nxt < len(word) else None
            if more:
                return (ranks[part],) + more
        return None

    return ranks_from(0)


def expand_text(text: str, lang: str | None, other: str | None = "en") -> str:
    """``text`` with every syllable abbreviation written out."""
    if lang not in PARTS:
        return text
    return _WORD.sub(lambda m: expand(m.group(0), lang, other) or m.group(0), text)
