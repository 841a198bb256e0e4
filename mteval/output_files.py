"""Writing output files safely: never over an input, never half-written.

:func:`write_text` writes to a temporary file in the target's own directory
and renames it over the target, so a reader sees the old file or the new one
and never a part of either; a failed write (disk full, permission, a
directory in the way) removes the temporary file, leaves the old file as it
was and raises :class:`~mteval.errors.OutputError` with one sentence.
:func:`refuse_inputs` stops a run before it starts when an output path is one
of its inputs (the same file after following links).
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Iterable

from mteval.errors import OutputError, os_error_sentence

# The temporary name keeps a short prefix of the target's name, so it stays under the 255-byte limit.
_TMP_NAME_PREFIX = 40


def ensure_directory(path: str | Path, *, what: str = "the output directory") -> Path:
    """``path`` as an existing directory (created with its parents when missing)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: cannot use it as {what}: it is a file, not a directory.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(os_error_sentence(err, path, f"create {what}")) from None
    return path


def write_text(path: str | Path, text: str, *, what: str = "the file") -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; on failure nothing at ``path`` changes."""
    return write_bytes(path, text.encode("utf-8"), what=what)


def write_bytes(path: str | Path, data: bytes, *, what: str = "the file") -> Path:
    return write_chunks(path, [data], what=what)


def write_chunks(path: str | Path, chunks: Iterable[bytes], *, what: str = "the file") -> Path:
    """Write the byte strings of ``chunks`` one after another to ``path``, atomically (see :func:`write_text`)."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: cannot write {what}: it is a directory.")
    directory = ensure_directory(path.parent, what=f"the directory for {what}")
    tmp = directory / f".{path.name[:_TMP_NAME_PREFIX]}.{secrets.token_hex(6)}.tmp"
    fd = -1
    try:
        # 0o666 less the umask, as a plain open() would create it.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        _keep_mode(path, fd)
        for data in chunks:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException as err:
        if fd >= 0:
            os.close(fd)
        _remove(tmp)
        if isinstance(err, OSError):
            raise OutputError(os_error_sentence(err, path, f"write {what}") + " Nothing was changed.") from None
        raise
    _sync_directory(directory)
    return path


def refuse_inputs(outputs: Iterable[tuple[str, str | Path | None]], inputs: Iterable[str | Path | None]) -> None:
    """Raise when an output path (``(option, path)`` pairs) is one of ``inputs`` (same file after links)."""
    existing = [Path(p) for p in inputs if p is not None and Path(p).is_file()]
    for option, output in outputs:
        if output is None:
            continue
        for source in existing:
            if _same_file(Path(output), source):
                raise OutputError(
                    f"{output}: {option} would overwrite the input {source}; choose another output path."
                )


def cache_files() -> list[Path]:
    """The caches in the user cache directory: no output may be written over one of them either."""
    from mteval.caches.paths import default_cache_dir

    return sorted(default_cache_dir().glob("*.sqlite"))


def refuse_collisions(outputs: Iterable[tuple[str, str | Path | None]]) -> None:
    """Raise when two outputs (``(option, path)`` pairs) would be written to the same path."""
    seen: dict[Path, str] = {}
    for option, output in outputs:
        if output is None:
            continue
        key = Path(output).resolve()
        if key in seen:
            raise OutputError(f"{output}: {option} and {seen[key]} would write the same file; choose another path.")
        seen[key] = option


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # the output does not exist yet (or cannot be looked at): it is no input
        return False


def _keep_mode(path: Path, fd: int) -> None:
    """A file that is replaced keeps its permission bits."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return
    os.fchmod(fd, mode)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (best effort: not every platform or file system allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
