"""Errors that reach the user as one sentence.

Library code raises these; only the CLI turns them into an exit status.
"""
from __future__ import annotations


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
