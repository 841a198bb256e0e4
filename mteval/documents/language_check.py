"""Does each side of a document pair look like the language it is declared to be?

A reference accidentally given in the source language (or two files swapped)
aligns beautifully and scores terribly; the audit cannot tell, so the input is
checked first. The judge is ``py3langid`` (langid.py's model, 97 languages,
shipped inside the package), run offline on the whole side of a document.
A declared language the model does not know is not judged, and neighbours it
cannot reliably tell apart (Indonesian and Malay, Norwegian variants,
Bosnian/Croatian/Serbian) are not warned about against each other.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from mteval.documents.languages import base_language, language_name
from mteval.documents.scripts import HAN_KANA

#: fewer letters than this: too little text to judge (about 20 words of Latin script)
MIN_LETTERS = 100
#: the identifier must be at least this sure of another language to warn (a wrong side scores 1.0;
#: mixed Indonesian/Malay paragraphs score about 0.7)
MIN_CONFIDENCE = 0.95
#: identifier codes too close to a declared code to tell apart reliably: never a warning between them.
#: Indonesian/Malay: a hand-written Malay news paragraph was judged Indonesian with probability 1.00.
_SAME_LANGUAGE = {"nb": {"no"}, "no": {"nb", "nn"}, "nn": {"no"},
                  "hr": {"bs", "sr"}, "bs": {"hr", "sr"}, "sr": {"bs", "hr"}, "id": {"ms"}, "ms": {"id"}}


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's identifier with normalised probabilities, loaded on first use."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


def known_languages() -> frozenset[str]:
    """Language codes the identifier can recognise."""
    return frozenset(_identifier().nb_classes)


def identify_language(text: str) -> tuple[str, float]:
    """The most likely language of ``text`` and the identifier's probability for it."""
    lang, probability = _identifier().classify(text)
    return str(lang), float(probability)


def language_warning(texts: Sequence[str], declared: str, *, side: str, doc_id: str = "") -> str | None:
    """One sentence when ``texts`` look like another language than ``declared``, else None."""
    base = base_language(declared)
    text = " ".join(texts)
    if _letters(text) < MIN_LETTERS or base not in known_languages():
        return None
    found, probability = identify_language(text)
    if found == base or found in _SAME_LANGUAGE.get(base, ()):
        return None
    # Malay text splits its probability between Malay and Indonesian: the pair together is what is sure
    ranked = dict(_identifier().rank(text))
    probability = sum(ranked.get(code, 0.0) for code in {found} | _SAME_LANGUAGE.get(found, set()))
    if probability < MIN_CONFIDENCE:
        return None
    where = f" of document '{doc_id}'" if doc_id else ""
    return (f"The {side}{where} looks like {language_name(found)}, not {language_name(base)} "
            f"(py3langid, probability {probability:.2f}); check the language options and the order of the files.")


_HAN_KANA = re.compile(f"[{HAN_KANA}]")


def _letters(text: str) -> int:
    """Letters of ``text``, a Han or kana character counted as three (a word's worth: 30 characters of Chinese say
    about what 100 Latin letters do)."""
    return sum(3 if _HAN_KANA.match(c) else 1 for c in text if c.isalpha())


def language_warnings(source: Sequence[str], reference: Sequence[str], source_lang: str, reference_lang: str,
                      *, doc_id: str = "") -> list[str]:
    """Warnings for both sides of one document pair (an empty list when both look right)."""
    out = [language_warning(source, source_lang, side="source", doc_id=doc_id),
           language_warning(reference, reference_lang, side="reference", doc_id=doc_id)]
    return [w for w in out if w]
