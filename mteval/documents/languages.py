"""Language codes: any ISO 639-1, ISO 639-3 or BCP-47 tag, checked and put in one standard form.

``de``, ``deu``, ``ger`` and ``de-CH`` all name German; ``zsm`` (Standard
Malay) and ``cmn`` (Mandarin) fold into their macrolanguages ``ms`` and
``zh``. The standard form is what documents, results and provenance carry;
:func:`base_language` is the part the segmenters, tokenizers and language
identifier are chosen by.
"""
from __future__ import annotations

from functools import lru_cache

from mteval.errors import InputError


@lru_cache(maxsize=None)
def standard_language(code: str) -> str:
    """The standard BCP-47 form of ``code`` (``deu`` -> ``de``, ``zh_CN`` -> ``zh-CN``), or an InputError."""
    import langcodes

    raw = str(code).strip()
    try:
        tag = langcodes.standardize_tag(raw, macro=True)
        valid = langcodes.Language.get(tag).is_valid()
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        valid = False
    if not raw or not valid or tag == "und":
        raise InputError(
            f"Unknown language code '{code}': give an ISO 639-1, ISO 639-3 or BCP-47 code such as de, deu, zh-Hans or pt-BR."
        )
    return tag


def base_language(code: str) -> str:
    """The language subtag of ``code`` in standard form (``pt-BR`` -> ``pt``, ``zsm`` -> ``ms``)."""
    return standard_language(code).split("-")[0].lower()


@lru_cache(maxsize=None)
def language_name(code: str) -> str:
    """English name of the language of ``code`` (``de`` -> German), the code itself when unnamed."""
    import langcodes

    try:
        name = langcodes.Language.get(base_language(code)).display_name("en")
    except (ImportError, LookupError, InputError):
        return code
    return code if name.startswith("Unknown language") else name
