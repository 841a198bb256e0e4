"""JSON that users hand to mteval (review files, results, JSONL records): each way it cannot be read is one sentence."""
from __future__ import annotations

import json
from typing import Any

from mteval.errors import InputError


def parse_json(text: str | bytes, where: str) -> Any:
    """The value of ``text``; invalid JSON, or JSON nested deeper than Python's parser goes, is an InputError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        line = f" at line {err.lineno}" if err.lineno > 1 or err.doc.count("\n") > 1 else ""
        raise InputError(f"{where}: not valid JSON ({err.msg}{line}).") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: not valid JSON ({err}).") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply to read (arrays or objects within each other "
                         "hundreds of levels down).") from None
