"""Errors of one system's output: names and numbers of the source that its MT loses or changes.

These are annotations of that system. They are listed under the system,
counted per 100 source sentences, and never change the beads or the
parallel part, which belong to the document pair (so a system cannot remove
its own mistakes from its test set).

Three-way rule: an item is an MT error only when the MT lacks it; whether
the reference has it is recorded as evidence (``in_reference``), because an
item in source and MT but not in the reference is the reference's
divergence, found by the pair audit, not an MT error.
"""
from __future__ import annotations

from typing import Sequence

from mteval.documents.segment import Sentence
from mteval.pair_audit.divergences.extract import extract
from mteval.pair_audit.divergences.names import names_match
from mteval.pair_audit.records import Audit, Divergence, Span


def mt_errors(audit: Audit, source: Sequence[Sentence], reference: Sequence[Sentence],
              mt: Sequence[str | None], *, system: str, source_lang: str | None = None,
              reference_lang: str | None = None) -> list[Divergence]:
    """MT errors of ``system`` in one document; ``mt`` has one line per source sentence (None: not translated).

    The MT is read in the reference's language. A source name counts as kept when the MT has its
    counterpart by the pair audit's own tests (spelling with transliteration tolerance, CLDR names,
    acronyms), so "Amerika Serikat" translated as "United States" is no error.
    """
    languages = (source_lang, reference_lang)
    if not audit.related:
        return []
    bead_of = {i: k for k, bead in enumerate(audit.beads) for i in bead.source}
    errors: list[Divergence] = []
    for i, sentence in enumerate(source):
        line = mt[i]
        if line is None or sentence.role != "body":
            continue
        k = bead_of.get(i)
        reference_text = " ".join(reference[j].text for j in audit.beads[k].reference) if k is not None else ""
        errors.extend(_sentence_errors(i, sentence.text, line, reference_text, k, system, languages))
    return errors


def _sentence_errors(i: int, text: str, line: str, reference_text: str, bead: int | None,
                     system: str, languages: tuple[str | None, str | None]) -> list[Divergence]:
    source_lang, target_lang = languages
    # spelled-out numbers and ordinal words are soft, as in the pair audit: counterparts, never missing; a
    # name in another script than the MT's cannot be looked for by its spelling ("Li Keqiang" in Chinese MT)
    line_script = _script(line)
    source_items = [item for item in extract(text, source_lang, target_lang)
                    if item.kind != "weekday" and not item.soft
                    and (item.kind != "name" or _script(item.text) == line_script)]
    if not source_items:
        return []
    mt_items = extract(line, target_lang, source_lang)
    mt_provides = {key for item in mt_items for key in item.provides}
    source_keys = {item.key for item in source_items}
    reference_provides = {key for item in extract(reference_text, target_lang, source_lang) for key in item.provides}

    def has_name(item, other: str) -> bool:
        return names_match(item.text, other, source_lang, target_lang)

    errors = []
    for item in source_items:
        is_name = item.kind == "name"
        # a figure is kept when the MT provides one of its readings ("March 5, 2025" by "2025年3月5日")
        if (has_name(item, line) if is_name else bool(item.needs & mt_provides)):
            continue
        in_reference = has_name(item, reference_text) if is_name else bool(item.needs & reference_provides)
        rivals = [] if is_name else [x for x in mt_items if x.kind == item.kind and x.key not in source_keys]
        kind = "mt_entity_error" if is_name else ("mt_number_error" if rivals else "mt_omission")
        spans = [Span("source", i, item.start, item.end, text[item.start:item.end])]
        spans += [Span("mt", i, x.start, x.end, line[x.start:x.end]) for x in rivals]
        errors.append(Divergence(kind, "body", "major", bead, spans,
                                 {"item": item.key, "in_reference": in_reference, "in_mt": False},
                                 f"'{item.text}' of the source is missing or changed in the MT", system=system))
    return errors


def _script(text: str) -> str:
    """"latin" when most letters of ``text`` are Latin, else "other" (a name and a line compare by spelling
    only within one script)."""
    import unicodedata

    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)
    return "latin" if letters and latin * 2 >= len(letters) else "other"


def errors_per_100(errors: int, source_sentences: int) -> float:
    """The MT-error rate the tables and the gate use: errors per 100 translated source sentences."""
    return 100.0 * errors / source_sentences if source_sentences else 0.0
