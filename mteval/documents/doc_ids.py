"""Document ids are names, never paths.

An id comes from the input (a JSONL field, a file name) and is shown in
tables, reports and messages, so it may hold no control characters and has a
bounded length. Where a file is looked up by id (``--hyp NAME=DIR`` reads
``DIR/<id>.txt``), :func:`file_name_for` accepts only ids that name one file
inside that directory: no path separators, not ``.`` or ``..``, short enough
for a file name.
"""
from __future__ import annotations

import re

from mteval.errors import InputError

# An id longer than this is not a name (news article ids and URLs are far shorter).
MAX_ID_CHARS = 1000
# File systems allow 255 bytes per name; ".txt" takes four of them.
MAX_FILE_NAME_BYTES = 255 - len(".txt")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SEPARATORS = ("/", "\\")


def check_doc_id(doc_id: str, where: str) -> str:
    """``doc_id`` when it can be used as a document's name; else one sentence naming ``where``."""
    if not doc_id.strip():
        raise InputError(f"{where}: the document id is empty.")
    if len(doc_id) > MAX_ID_CHARS:
        raise InputError(f"{where}: the document id is {len(doc_id):,} characters long (at most {MAX_ID_CHARS:,}).")
    control = _CONTROL.search(doc_id)
    if control:
        raise InputError(
            f"{where}: the document id {_shown(doc_id)} contains the control character "
            f"U+{ord(control.group()):04X}; ids are names and may not hold control characters."
        )
    return doc_id


def file_name_for(doc_id: str, directory: object, system: str) -> str:
    """``<doc_id>.txt`` when that names one file directly inside ``directory``; else one sentence why not."""
    check_doc_id(doc_id, f"{directory} (system '{system}')")
    problem = None
    if any(sep in doc_id for sep in _SEPARATORS):
        problem = "contains a path separator"
    elif doc_id in (".", ".."):
        problem = "is a relative directory name"
    elif len(doc_id.encode("utf-8")) > MAX_FILE_NAME_BYTES:
        problem = f"is longer than a file name may be ({MAX_FILE_NAME_BYTES} bytes)"
    if problem:
        raise InputError(
            f"{directory}: system '{system}' cannot be read from a directory for document {_shown(doc_id)}: "
            f"the id {problem}, and outputs are looked up as <id>.txt inside the directory only; "
            "give the outputs in the corpus' 'systems' field instead."
        )
    return f"{doc_id}.txt"


def _shown(doc_id: str) -> str:
    """The id quoted for a message, cut when long (control characters are escaped when printed)."""
    return repr(doc_id if len(doc_id) <= 80 else doc_id[:79] + "…")
