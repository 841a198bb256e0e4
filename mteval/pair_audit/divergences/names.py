"""Names in a sentence, and whether a name has a counterpart on the other side of a bead.

**Finding names** (:func:`find_names`): runs of two or more capitalised words.
Not read as names: the words of a title-case or all-caps line (a headline or
caption capitalises every word); a sentence-initial word that is a common word
of its language ("Pemain Skotlandia", "The", "Pihak"); month and weekday names
(CLDR; they are dates); acronyms in capitals (they are checked as acronyms);
the label of a byline or link line ("Editor:", "Baca juga:").

**Matching a name across languages** (:func:`form_match`, :func:`match_names`):
a name has a counterpart on the other side when

1. one of its distinctive words is spelled the same there, up to
   transliteration ("Makedonia"/"Macedonia", "Demokrat"/"Democrat") and
   adjective endings ("Korea"/"Korean", "China"/"Chinese"); the title words of
   a name ("Presiden", "Menteri") do not count when it has other words;
2. it contains a CLDR country, region or language name whose name in the other
   language, or its acronym, is there ("Amerika Serikat" = "United States" =
   "US"; "Uni Eropa" = "EU"; "Korea Utara" = "North Korean");
3. its acronym is there: the one written after it ("Badan Pusat Statistik
   (BPS)") or its initials ("World Health Organization" = "WHO");
4. with an embedder, for names made of translatable words (organisations,
   places, events: "Palang Merah"/"Red Cross"): the two name strings are close
   under the embedder, above :data:`EMBED_MIN_SIMILARITY` and by a margin over
   the other names of the bead; or the two are translations word for word,
   words paired by mutual nearest neighbours under the embedder ("Timur
   Tengah"/"Middle East", "Marinir Kerajaan Inggris"/"Royal Marines").
   Personal names are copied, not translated, and multilingual embeddings put
   any two personal names close together ("Siti Zulaikha"/"Yuni Arisandy
   Sinaga" 0.92), so a name with a word rarer than a common word of its
   language is never matched this way, nor is a name the document pair spells
   the same on both sides elsewhere (:func:`match_names`).

A name is *translated* when at least half its words are common words of its
language that are much rarer in the other language (``wordfreq``); such a
name missing on one side is not evidence of a divergence by itself (its
translation may be written in lower case), so only *copied* names are reported
as present on one side only.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from mteval.documents import cldr
from mteval.pair_audit.divergences import abbreviations, wordfreqs

#: cosine of two name strings' embeddings above which a translated name matches its candidate
EMBED_MIN_SIMILARITY = 0.85
#: ... and by at least this much over any other name of the bead's other side, for either of the two (ties are
#: not matches)
EMBED_MARGIN = 0.02
#: share of the words of two names paired word by word (spelling or translation) for the names to match: half, as a
#: translation often adds or drops a word ("Departemen Pertanian" / "Indonesian Agriculture Ministry")
WORD_COVERAGE = 0.5
#: a word of a name rarer than this (once per million words) marks a personal or foreign name
RARE_ZIPF = 3.0
#: a line whose long words are capitalised at least this often is a headline or caption
HEADLINE_CAPITAL_SHARE = 0.8
#: lower-case words that sit inside names ("Organization of the Islamic Conference", "Ludwig van Beethoven")
CONNECTORS = ("of", "for", "de", "van", "von", "bin", "binti", "al", "el")

ROLE_LABELS = re.compile(r"^\s*(Pewarta|Penulis|Editor|Redaktur|Penerjemah|Translator|Reporter|Writer|"
                         r"Baca juga|Related news|Read also|Lihat juga|Berita terkait)\s*:\s*", re.IGNORECASE)
_WORD = wordfreqs.WORD
_POSSESSIVE = re.compile(r"['’]s?$")
_ACRONYM_AFTER = re.compile(r"\s*\(?([A-Z][A-Z0-9&]{1,7})\)?(?![\w])")
_INITIAL_GAP = re.compile(r"[.!?:;\"“”]")


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    text: str
    #: the name's words, folded, possessive endings removed (connectors left out)
    words: tuple[str, ...]
    #: made of translatable words of its language (an organisation, place or event)
    translated: bool
    #: has a word rarer than :data:`RARE_ZIPF`: a personal or foreign name, matched by spelling only
    personal: bool
    #: words that identify the name by spelling (its title words left out when it has others)
    distinctive: tuple[str, ...]
    acronym: str = ""
    #: the name with syllable abbreviations written out ("Ditjen Bea" -> "Direktorat Jenderal Bea"), which
    #: ``words`` are made of; the same as ``text`` when it has none
    written: str = ""
    #: the folded words as the text spells them, where an abbreviation is written out in ``words``
    forms: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return "name:" + " ".join(self.words)


# --------------------------------------------------------------------------- finding names

def is_headline(text: str, lang: str | None = None) -> bool:
    """A title-case or all-caps line: most of its longer words start with a capital, and some of those
    are common words of the language (a line of names alone, such as a byline, is not a headline)."""
    label = ROLE_LABELS.match(text)
    body = text[label.end() if label else 0:]
    tokens = _WORD.findall(body)
    if len([w for w in tokens if len(w) >= 2]) < 3:
        return False
    # leaving out capitalised words only lowers the share: most lines are decided before the CLDR scan
    longer = [w for w in tokens if len(w) >= 4]
    if sum(1 for w in longer if w[0].isupper()) < HEADLINE_CAPITAL_SHARE * len(longer):
        return False
    # country, language and month names are capitalised in running text too: a list of countries
    # ("Bangladesh, Bhutan, India, Maldives, Nepal, Pakistan dan Sri Lanka") is not title case
    always_capitalised = {_word_key(t) for code in cldr_langs(lang) for a, e, _ in cldr.entities_in(body, code)
                          if a >= 0 for t in _WORD.findall(body[a:e])} | _calendar_words(lang)
    # title case leaves short function words in lower case ("Water Cannot be Converted into ...")
    words = [w for w in tokens if len(w) >= 4 and _word_key(w) not in always_capitalised]
    if not words or sum(1 for w in words if w[0].isupper()) < HEADLINE_CAPITAL_SHARE * len(words):
        return False
    caps = [w for w in tokens if len(w) >= 2 and w[0].isupper() and _word_key(w) not in always_capitalised]
    common = sum(1 for w in caps if any(wordfreqs.zipf(w, code) >= wordfreqs.INITIAL_COMMON_ZIPF
                                        for code in cldr_langs(lang)))
    return common >= 2


def _calendar_langs(lang: str | None) -> tuple[str, ...]:
    return ("id", "en") if lang is None else (lang, "en")


@lru_cache(maxsize=None)
def _calendar_words(lang: str | None) -> frozenset[str]:
    return frozenset(w for code in _calendar_langs(lang)
                     for w in list(cldr.month_names(code)) + list(cldr.weekday_names(code)))


def _given_name_month(text: str, toks: list, k: int, lang: str | None) -> bool:
    """Whether the word ``k``, an abbreviated month name, is a given name ("Jan Hilarius", "Des Browne"):
    directly before another capitalised word, with no number beside it (a date is "Jan 5", "5 Jan").
    Full month names are left alone: "sejak Maret Bank Indonesia ..." opens with a month."""
    a, b, tok = toks[k]
    if k + 1 >= len(toks) or not any(_word_key(tok) in cldr.month_abbreviations(c) for c in _calendar_langs(lang)):
        return False
    nxt = toks[k + 1]
    return text[b:nxt[0]] == " " and nxt[2][:1].isupper() and _word_key(nxt[2]) not in _calendar_words(lang) \
        and not re.search(r"\d\W*$", text[:a]) and not re.match(r"\W*\d", text[nxt[1]:])


def _parts(word: str) -> list[str]:
    return [p for p in re.split(r"[-]", word) if p]


def _word_key(token: str) -> str:
    return cldr.fold(_POSSESSIVE.sub("", token))


def make_name(text: str, start: int, end: int, lang: str | None, other: str | None, acronym: str = "") -> Name:
    """A :class:`Name` for ``text[start:end]`` classified for ``lang`` against ``other``."""
    span = text[start:end]
    written = abbreviations.expand_text(span, lang, other)
    tokens = [t for t in _WORD.findall(written) if not t.islower()]
    words = tuple(_word_key(t) for t in tokens)
    forms = tuple(_word_key(t) for t in _WORD.findall(span) if not t.islower()) if written != span else ()
    long_words = [w for w in words if len(w) >= 3]
    translated = bool(long_words) and lang is not None and \
        2 * sum(1 for w in long_words if _language_word(w, lang, other)) >= len(long_words)
    personal = lang is None or any(wordfreqs.zipf(p, lang) < RARE_ZIPF for w in long_words for p in _parts(w))
    distinctive = tuple(w for w in long_words if not (lang and _language_word(w, lang, other)))
    return Name(start, end, span, words, translated, personal, distinctive or tuple(long_words), acronym,
                written, forms)


def _title_word(token: str, lang: str, other: str | None) -> bool:
    """A translatable word or a syllable abbreviation of an office or title ("Menkeu", "Dirjen")."""
    return _language_word(_word_key(token), lang, other) or abbreviations.expand(token, lang, other) is not None


def _language_word(word: str, lang: str, other: str | None) -> bool:
    """A translatable word; a hyphenated one ("hak-hak", "Bangsa-Bangsa") by its parts."""
    return all(wordfreqs.is_language_word(p, lang, other) for p in _parts(word))


def find_names(text: str, lang: str | None, other: str | None = None) -> list[Name]:
    """Runs of two or more capitalised words that are names (see the module docstring)."""
    if is_headline(text, lang):
        return []
    label = ROLE_LABELS.match(text)
    body_start = label.end() if label else 0
    calendar = _calendar_words(lang)
    toks = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text) if m.start() >= body_start]
    runs: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    prev_end = body_start
    for k, (a, b, tok) in enumerate(toks):
        gap = text[prev_end:a]
        # the first word of a sentence (not of a byline's list of names after its label)
        initial = (k == 0 and not label) or bool(_INITIAL_GAP.search(gap))
        not_names = frozenset() if _given_name_month(text, toks, k, lang) else calendar
        if _is_name_token(tok, initial, lang, other, not_names):
            if cur and gap.strip() != "":
                runs.append(cur)
                cur = []
            cur.append((a, b, tok))
        elif not (cur and gap.strip() == "" and _is_connector(tok, toks[k - 1][2] if k else "")):
            # a connector joins names, not across punctuation ("Beijing News, of the ... Union")
            runs.append(cur)
            cur = []
        prev_end = b
    runs.append(cur)
    out = []
    for run in runs:
        for part in _split_title(run, lang, other):
            if len(part) < 2:
                continue
            a, b = part[0][0], part[-1][1]
            m = _ACRONYM_AFTER.match(text, b)
            out.append(make_name(text, a, b, lang, other, m.group(1) if m else ""))
    return out


def _split_title(run: list, lang: str | None, other: str | None) -> list[list]:
    """A run of title words followed by a name of two or more other words is two names
    ("Sekretaris Kesehatan" + "Alan Johnson"), so that the person is matched on its own."""
    if lang is None or len(run) < 4:
        return [run]
    k = len(run)
    while k > 0 and not _title_word(run[k - 1][2], lang, other):
        k -= 1
    if k == 0 or len(run) - k < 2:
        return [run]
    return [run[:k], run[k:]]


def _is_connector(tok: str, previous: str) -> bool:
    return tok in CONNECTORS or (tok == "the" and previous == "of")


def _is_name_token(tok: str, initial: bool, lang: str | None, other: str | None, calendar: set[str]) -> bool:
    if not tok[0].isupper() or (len(tok) >= 2 and tok.isupper()):
        return False
    key = _word_key(tok)
    if key in calendar:
        return False
    if initial and lang is not None:
        z = wordfreqs.zipf(key, lang)
        if z >= wordfreqs.INITIAL_COMMON_ZIPF and (other is None or z - wordfreqs.zipf(key, other)
                                                    >= wordfreqs.LANGUAGE_GAP_ZIPF):
            return False
    return True


# --------------------------------------------------------------------------- matching by form

def transliterate(word: str) -> str:
    """A rough spelling key shared by Indonesian and English spellings of one name."""
    w = cldr.fold(word)
    for a, b in (("tion", "si"), ("ph", "f"), ("oe", "u"), ("dj", "j"), ("tj", "c"), ("ch", "k"), ("c", "k"),
                 ("q", "k"), ("x", "ks"), ("y", "i"), ("z", "s"), ("v", "w")):
        w = w.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", w)


def similar_spelling(a: str, b: str) -> bool:
    """Same word up to transliteration and an adjective ending ("korea"/"korean", "china"/"chinese")."""
    if a == b:
        return True
    ta, tb = transliterate(a), transliterate(b)
    if ta == tb:
        return True
    # Indonesian writes Arabic sh as "sy" ("Syarif"/"Sharif") and the emphatic s as "sh" ("Aqsha"/"Aqsa");
    # a whole-word test only, since the shorter spelling would shift the endings compared below
    if transliterate(re.sub(r"s[yh]", "s", cldr.fold(a))) == transliterate(re.sub(r"s[yh]", "s", cldr.fold(b))):
        return True
    for x, y in ((a, b), (ta, tb)):
        short, long_ = sorted((x, y), key=len)
        if len(short) >= 5:
            cp = len(_common_prefix(short, long_))
            if cp >= len(short) - 1 and len(long_) - cp <= 3:
                return True
    if len(ta) >= 8 and len(tb) >= 8 and ta[0] == tb[0] and _consonants(ta) == _consonants(tb):
        return True  # vowels of a transliterated name differ by spelling tradition ("Hizbullah"/"Hezbollah")
    return len(ta) >= 6 and len(tb) >= 6 and ta[0] == tb[0] and \
        difflib.SequenceMatcher(None, ta, tb).ratio() >= 0.85


def _consonants(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiou]", "", word))


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def text_words(text: str) -> set[str]:
    """Folded words of a text (and the parts of hyphenated ones), possessive endings removed."""
    out = set()
    for tok in _WORD.findall(text):
        key = _word_key(tok)
        out.add(key)
        out.update(_parts(key))
    return {w for w in out if len(w) >= 3}


@lru_cache(maxsize=4096)
def _copy_words(text: str, lang: str) -> frozenset[str]:
    """The :func:`text_words` of ``text`` that can be a copy of a name's word: those it capitalises
    somewhere, and those that are not common words of ``lang`` (computed once per text, not per name)."""
    capitalised = text_words(" ".join(t for t in _WORD.findall(text) if t[:1].isupper()))
    return frozenset(w for w in text_words(text) if w in capitalised or not wordfreqs.is_common(w, lang))


def form_match(name: Name, lang: str | None, other_text: str, other_lang: str | None,
               other_words: set[str] | None = None) -> bool:
    """Whether ``other_text`` has a counterpart of ``name`` by spelling, CLDR name or acronym.

    A place inside a longer name ("Medco Tunisia") does not identify it: when the name has rare words
    (a brand, a surname) or a word both languages use ("Bank Indonesia") besides its CLDR places, one of
    those must be matched; such a common word counts only where the other side capitalises it.
    """
    words = other_words if other_words is not None else text_words(other_text)
    places = [(a, e, entries) for code in cldr_langs(lang) for a, e, entries in cldr.entities_in(name.text, code)]
    place_words = {_word_key(t) for a, e, _ in places if a >= 0 for t in _WORD.findall(name.text[a:e])}
    own = [w for w in name.distinctive if w not in place_words and lang is not None
           and all(wordfreqs.zipf(p, lang) < RARE_ZIPF for p in _parts(w))]
    if own:
        # the name's own words: exact or near spellings ("Makedonia"/"Macedonia")
        candidates, exact = own, own
    elif places and any(w not in place_words and other_lang and wordfreqs.is_common(w, other_lang)
                        for w in name.words if len(w) >= 3):
        # a place inside the name of an organisation, beside a word both languages use ("Bank
        # Indonesia", "Media Indonesia"), does not identify it: one of its other words must be there
        exact = [w for w in name.words if len(w) >= 3 and w not in place_words]
        candidates = [w for w in name.distinctive if w not in place_words]
    else:
        # a place, perhaps with title words ("Pihak Amerika Serikat", "Korea Utara"); any word spelled
        # exactly the same is a copy ("Jakarta"), near spellings only for distinctive words, so that a
        # title ("Presiden"/"President") does not stand for what it introduces
        candidates, exact = name.distinctive, [w for w in name.words if len(w) >= 3]
        for _, _, entries in places:
            for entry in entries:
                if any(cldr.entry_occurs(entry, other_text, oc, cldr_langs(lang)) for oc in cldr_langs(other_lang)):
                    return True
    # a word spelled the same in both languages and common in the other ("bank") is a copy of the name
    # only where it is capitalised there: "the central bank" is not "Bank Mandiri" (a translation, such
    # as "domestik"/"domestic" in "Produk Domestik Bruto", may be in lower case)
    copies = _copy_words(other_text, other_lang) if other_lang else words
    if any(w in copies for w in list(exact) + [f for f in name.forms if len(f) >= 3]):
        return True
    for w in candidates:
        if any(similar_spelling(p, o) for p in [w] + _parts(w) for o in words
               if (o != p or o in copies) and (o[:1] == p[:1] or transliterate(o)[:1] == transliterate(p)[:1])):
            return True
    acronyms = set(re.findall(r"(?<![\w])[A-Z][A-Z0-9&]{1,7}(?![\w])", other_text.replace(".", "")))
    if name.acronym and name.acronym in acronyms:
        return True
    caps = [t for t in _WORD.findall(name.text) if t[0].isupper()]
    return len(caps) >= 2 and "".join(t[0] for t in caps) in acronyms


def unmatched_person(name: Name, lang: str | None, other_lang: str | None,
                     other_words: set[str]) -> tuple[int, int] | None:
    """Offsets (in the name's text) of a person inside a name that the other side lacks, if any.

    A run of capitalised words can hold a person beside the organisation or country that introduces it
    ("Pefindo Ananta Wiyogo", "Irak Saddam Hussein"); the name then has a counterpart through
    "Pefindo" or "Irak" while the person may have been replaced.  The person is two or more adjacent
    words that are neither translatable words of the language (titles such as "Direktur Utama" are)
    nor CLDR places, at least one of them not a common word (:data:`~wordfreqs.COMMON_ZIPF`: "Gordon
    England", "Mahmud Abbas" pass, where a rarity test would need a surname as rare as "Wiyogo"), none
    spelled on the other side, even approximately.
    """
    if lang is None:
        return None
    places = {k for a, e, _ in cldr.entities_in(name.text, lang) if a >= 0
              for k in (_word_key(t) for t in _WORD.findall(name.text[a:e]))}
    best: tuple[int, int] | None = None
    run: list[tuple[re.Match, bool]] = []
    for m in list(_WORD.finditer(name.text)) + [None]:
        key = _word_key(m.group(0)) if m is not None else ""
        if m is not None and m.group(0)[:1].isupper() and len(key) >= 3 and key not in places and \
                not _title_word(m.group(0), lang, other_lang) and \
                not any(similar_spelling(key, o) for o in other_words):
            run.append((m, all(wordfreqs.zipf(p, lang) < wordfreqs.COMMON_ZIPF for p in _parts(key))))
            continue
        if len(run) >= 2 and any(uncommon for _, uncommon in run):
            a, e = run[0][0].start(), run[-1][0].end()
            if best is None or e - a > best[1] - best[0]:
                best = (a, e)
        run = []
    return best


def cldr_langs(lang: str | None) -> tuple[str, ...]:
    return (lang,) if lang else ("id", "en")


# --------------------------------------------------------------------------- matching a bead

def may_embed(a: Name, b: Name) -> bool:
    """Whether two names may be matched by embedding: one is translated and neither is personal."""
    return (a.translated or b.translated) and not (a.personal or b.personal)


def match_names(src: Sequence[Name], ref: Sequence[Name], src_text: str, ref_text: str,
                src_lang: str | None, ref_lang: str | None, embedder=None,
                copied: frozenset[str] = frozenset()) -> tuple[list[Name], list[Name]]:
    """The names of each side of a bead that have no counterpart on the other side.

    Tests in order: spelling, CLDR names and acronyms (:func:`form_match`); then, with an embedder,
    for pairs that :func:`may_embed`, the embeddings of the two name strings (:func:`_embedding_matches`)
    and a word-by-word translation of the two names (:func:`_word_matches`).  A name in ``copied``
    (one the document pair spells the same on both sides elsewhere) is matched by spelling only: the
    other side writes it so, and names of one kind are close under the embedder ("Bank Mandiri"/"Tata
    Power" 0.87).
    """
    src_text, ref_text = _written(src_text, src_lang, ref_lang), _written(ref_text, ref_lang, src_lang)
    ref_words, src_words = text_words(ref_text), text_words(src_text)
    miss_s = [n for n in src if not form_match(n, src_lang, ref_text, ref_lang, ref_words)]
    miss_r = [n for n in ref if not form_match(n, ref_lang, src_text, src_lang, src_words)]
    if embedder is None:
        return miss_s, miss_r
    steps = (lambda pairs: _embedding_matches(pairs, src, ref, embedder),
             lambda pairs: _word_matches(pairs, src_text, ref_text, src_lang, ref_lang, embedder))
    for step in steps:
        pairs = [(a, b) for a in miss_s for b in miss_r
                 if may_embed(a, b) and a.text not in copied and b.text not in copied]
        if not pairs:
            break
        used = {id(n) for pair in step(pairs) for n in pair}
        miss_s = [n for n in miss_s if id(n) not in used]
        miss_r = [n for n in miss_r if id(n) not in used]
    return miss_s, miss_r


def _written(text: str, lang: str | None, other: str | None) -> str:
    """``text`` with its syllable abbreviations written out (see :mod:`.abbreviations`)."""
    return abbreviations.expand_text(text, lang, other) if lang else text


def _string(name: Name) -> str:
    """The name as embedded: with its abbreviations written out."""
    return name.written or name.text


def _one_to_one(scored: list[tuple[float, Name, Name]]) -> list[tuple[Name, Name]]:
    """Best-scored pairs first, each name used once."""
    out, used = [], set()
    for _, a, b in sorted(scored, key=lambda t: -t[0]):
        if id(a) not in used and id(b) not in used:
            used.update((id(a), id(b)))
            out.append((a, b))
    return out


def _embedding_matches(pairs, src, ref, embedder) -> list[tuple[Name, Name]]:
    """Pairs whose name strings are close under the embedder: above :data:`EMBED_MIN_SIMILARITY` and by
    :data:`EMBED_MARGIN` over every other name of the bead's other side, for either of the two (names
    of one kind are close to each other under multilingual embeddings, translations or not)."""
    texts = list(dict.fromkeys([_string(n) for n in src] + [_string(n) for n in ref]))
    vec = dict(zip(texts, np.asarray(embedder.encode(texts), dtype=np.float32)))
    scored = []
    for a, b in pairs:
        va, vb = vec[_string(a)], vec[_string(b)]
        sim = float(va @ vb)
        rival = max([float(va @ vec[_string(x)]) for x in ref if x.text != b.text] +
                    [float(vb @ vec[_string(x)]) for x in src if x.text != a.text] + [-1.0])
        if sim >= EMBED_MIN_SIMILARITY and sim - rival >= EMBED_MARGIN:
            scored.append((sim, a, b))
    return _one_to_one(scored)


def _word_matches(pairs, src_text, ref_text, src_lang, ref_lang, embedder) -> list[tuple[Name, Name]]:
    """Pairs of names that are word-for-word translations: at least :data:`WORD_COVERAGE` of the words
    of the two names are paired with a word of the other name, by spelling, as words CLDR's own names
    translate (:func:`cldr_word_translations`) or as translations under the embedder.

    Two words are translations when each is the other's nearest neighbour under the embedder among
    the words of the bead's other side ("Timur"/"East", "Tengah"/"Middle"; mutual nearest neighbours,
    as in embedding-based word aligners) and both are common words of their languages (a surname or
    a brand has no translation to pair with; single-word cosines alone are all close, 0.80-0.92).
    """
    src_vocab, ref_vocab = sorted(text_words(src_text)), sorted(text_words(ref_text))
    if not src_vocab or not ref_vocab:
        return []
    sims = np.asarray(embedder.encode(src_vocab), dtype=np.float32) @ \
        np.asarray(embedder.encode(ref_vocab), dtype=np.float32).T
    row, col = sims.argmax(axis=1), sims.argmax(axis=0)
    s_pos, r_pos = {w: i for i, w in enumerate(src_vocab)}, {w: j for j, w in enumerate(ref_vocab)}

    def translations(x: str, y: str) -> bool:
        if x == y or similar_spelling(x, y) or _glossary_pair(x, y, src_lang, ref_lang):
            return True
        i, j = s_pos.get(x), r_pos.get(y)
        return i is not None and j is not None and row[i] == j and col[j] == i and \
            _common(x, src_lang) and _common(y, ref_lang)

    scored = []
    for a, b in pairs:
        wa, wb = [w for w in a.words if w in s_pos], [w for w in b.words if w in r_pos]
        if not wa or not wb:
            continue
        linked = [(x, y) for x in wa for y in wb if translations(x, y)]
        coverage = (len({x for x, _ in linked}) + len({y for _, y in linked})) / (len(wa) + len(wb))
        if coverage >= WORD_COVERAGE:
            scored.append((coverage, a, b))
    return _one_to_one(scored)


@lru_cache(maxsize=None)
def cldr_word_translations(lang: str, other: str) -> frozenset[tuple[str, str]]:
    """Words that CLDR's own names translate: where the ``lang`` and ``other`` names of one territory,
    language or script differ by one word each, the two words ("Korea Utara" / "North Korea": utara,
    north; "Amerika Tengah" / "Central America": tengah, central; "Kepulauan Cook" / "Cook Islands").
    Compass points and geographic words, which place names translate ("Jawa Tengah" / "Central Java",
    "Tepi Barat" / "West Bank"), and that single-word embeddings pair poorly ("barat" is nearer "central"
    than "west" under e5)."""
    out = set()
    for a, b in cldr.parallel_names(lang, other):
        wa, wb = [_word_key(t) for t in _WORD.findall(a)], [_word_key(t) for t in _WORD.findall(b)]
        left_a = [w for w in wa if not any(similar_spelling(w, o) for o in wb)]
        left_b = [w for w in wb if not any(similar_spelling(w, o) for o in wa)]
        if len(wa) > 1 and len(left_a) == 1 and len(left_b) == 1 and min(len(left_a[0]), len(left_b[0])) >= 3:
            out.add((left_a[0], left_b[0]))
    return frozenset(out)


def _glossary_pair(x: str, y: str, src_lang: str | None, ref_lang: str | None) -> bool:
    """Whether CLDR's names translate ``x`` as ``y``, up to an adjective ending ("barat": "western", "west")."""
    if not src_lang or not ref_lang:
        return False
    return any(a == x and (b == y or (len(y) >= 4 and b.startswith(y) and len(b) - len(y) <= 3))
               for a, b in cldr_word_translations(src_lang, ref_lang))


def _common(word: str, lang: str | None) -> bool:
    return lang is not None and all(wordfreqs.is_common(p, lang) for p in _parts(word))


def names_match(name: str, text: str, lang: str | None, text_lang: str | None, embedder=None) -> bool:
    """Whether the name ``name`` (written in ``lang``) has a counterpart in ``text`` (in ``text_lang``).

    For the three-way MT checks: a source name whose counterpart is in the MT of the source, or an MT
    name whose counterpart is in the reference, is matched.  The same tests as inside a bead
    (:func:`match_names`), against the names of ``text``.
    """
    n = make_name(name, 0, len(name), lang, text_lang)
    missing, _ = match_names([n], find_names(text, text_lang, lang), name, text, lang, text_lang, embedder)
    return not missing
