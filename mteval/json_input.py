"""JSON that users hand to mteval (review files, results, JSONL records): each way it cannot be read is one sentence."""
from __future__ import annotations

import json
from typing import Any

from mteval.documents.text import is_text
from mteval.errors import InputError


def parse_json(text: str | bytes, where: str) -> Any:
    """The value of ``text``; invalid JSON, JSON nested deeper than Python's parser goes, or a string that is not
    text (a lone surrogate escape such as ``\\ud800``, which no UTF-8 file can hold) is an InputError."""
    try:
        value = json.loads(text)
        # only a \\uD800-\\uDFFF escape can make a lone surrogate, so the walk runs only where one is written
        escape = b"\\ud" if isinstance(text, bytes) else "\\ud"
        lone_surrogate = escape in text.lower() and not _all_text(value)
    except json.JSONDecodeError as err:
        line = f" at line {err.lineno}" if err.lineno > 1 or err.doc.count("\n") > 1 else ""
        raise InputError(f"{where}: not valid JSON ({err.msg}{line}).") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: not valid JSON ({err}).") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply to read (arrays or objects within each other "
                         "hundreds of levels down).") from None
    if lone_surrogate:
        raise InputError(f"{where}: holds a lone surrogate escape (such as \\ud800), which is not text.")
    return value


def _all_text(value: Any) -> bool:
    if isinstance(value, str):
        return is_text(value)
    if isinstance(value, dict):
        return all(_all_text(k) and _all_text(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_all_text(v) for v in value)
    return True
