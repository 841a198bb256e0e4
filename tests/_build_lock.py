"""A lock around building a cached test model: `make test` runs test files in parallel processes
(pytest-xdist), and two of them may ask for the same model on a cold cache."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock


@contextmanager
def build_lock(cache_root: Path):
    """Held while one process checks for and builds a model under ``cache_root``; the others wait,
    then find it complete."""
    cache_root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache_root / ".build.lock")):
        yield
