"""Text normalisation applied once, when a document is read."""
from __future__ import annotations

import re
import unicodedata

# No-break and other fixed-width spaces become plain spaces; zero-width
# characters disappear. Both are invisible in the article yet split or glue
# tokens differently in every tokenizer downstream.
_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000"), " ")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_TRAILING_SPACE = re.compile(r"[ \t]+(?=\n|$)")


def normalise(text: str) -> str:
    """NFC, one kind of space, Unix newlines, no BOM, no trailing blanks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_SPACE_LIKE).translate(_ZERO_WIDTH)
    return _TRAILING_SPACE.sub("", text).strip("\n")


def has_visible_text(text: str) -> bool:
    """Whether ``text`` holds a character that is neither whitespace nor a format character (Unicode's
    ``Cf``: zero-width spaces and joiners, the byte-order mark, direction marks such as U+200E, the
    soft hyphen), without normalising it: a line of direction marks shows nothing, and normalising
    keeps them (only zero-width characters go), so it would be read as a sentence."""
    return any(not (c.isspace() or unicodedata.category(c) == "Cf") for c in text)


def is_text(value: str) -> bool:
    """Whether ``value`` can be written as UTF-8: a lone surrogate (JSON's ``\\ud800``, Python's ``"\\ud800"``) cannot."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
