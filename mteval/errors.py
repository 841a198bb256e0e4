"""Errors that reach the user as one sentence.

Library code raises these; only the CLI turns them into an exit status.
"""
from __future__ import annotations

import errno


class MtevalError(Exception):
    """A problem the user can fix: bad input, a missing file, a misuse.

    ``str(err)`` is a complete sentence meant for stderr; the CLI prints it
    and exits with status 2.
    """

    exit_status = 2


class InputError(MtevalError):
    """An input file or record cannot be used as it is."""


class ModelUnavailableError(MtevalError):
    """A model could not be fetched or loaded from where it was asked for."""

    def __init__(self, model: str, *, kind: str = "model", option: str = "--model", detail: str = ""):
        self.model = model
        self.kind = kind
        self.option = option
        self.detail = detail
        message = (
            f"Cannot fetch {kind} '{model}' (no hub access or no such model); "
            f"download it where you have access and pass its local directory with {option} PATH."
        )
        if detail:
            message = f"{message[:-1]} ({detail})."
        super().__init__(message)


class CacheError(MtevalError):
    """A cache file exists but cannot be read; it is left untouched."""


class IncomparableResultsError(MtevalError):
    """Two results were produced in ways that make their scores incomparable."""


class OutputError(MtevalError):
    """An output file or directory cannot be written where it was asked for; nothing there was changed."""


# errno -> what it means for the user, in words (the rest use the system's own wording).
_OS_REASONS = {
    errno.ENOSPC: "the disk is full (no space left on device)",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.EROFS: "the file system is read-only",
    errno.EISDIR: "it is a directory",
    errno.ENOTDIR: "a part of the path is a file, not a directory",
    errno.EEXIST: "a file of that name is in the way",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ENOENT: "no such file or directory",
    errno.ELOOP: "too many levels of symbolic links",
}


def os_error_reason(err: OSError) -> str:
    """What an ``OSError`` means, in a few words, without its path."""
    reason = _OS_REASONS.get(err.errno) if err.errno is not None else None
    return reason or (err.strerror or str(err) or type(err).__name__).rstrip(".").lower()


def os_error_sentence(err: OSError, path: object, action: str) -> str:
    """One sentence for a failed file operation: ``"PATH: cannot ACTION: REASON."``."""
    return f"{path}: cannot {action}: {os_error_reason(err)}."
