"""A standard output whose reader may go away: ``mteval run --json | head`` ends quietly.

Once the reader closes the pipe, further output is dropped (the descriptor
is pointed at the null device so the final flush cannot fail either); the
command still runs to its end and returns its own exit status, so a gate's
verdict is not lost because its table was cut short.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator


class ClosedPipeTolerantStream:
    """Wraps a text stream; a BrokenPipeError on write or flush silences it instead of raising."""

    def __init__(self, stream):
        self._stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._drop_output()
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop_output()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)

    def _drop_output(self) -> None:
        self.reader_gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):  # a stream without a descriptor (captured output)
            pass


@contextmanager
def tolerant_stdout() -> Iterator[ClosedPipeTolerantStream]:
    """``sys.stdout`` wrapped for the duration of one command."""
    original = sys.stdout
    wrapped = ClosedPipeTolerantStream(original)
    sys.stdout = wrapped
    try:
        yield wrapped
    finally:
        sys.stdout = original
