"""Finding model files: a local directory, or a hub name fetched through huggingface_hub."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from mteval.errors import InputError, ModelUnavailableError

# Files a Marian checkpoint needs; other frameworks' weights are not fetched.
MARIAN_FILES = ["*.json", "*.spm", "*.model", "*.txt", "*.safetensors", "pytorch_model.bin"]


def looks_like_path(name: str) -> bool:
    return name.startswith(("/", ".", "~")) or Path(name).exists()


def resolve_model_dir(
    name: str,
    *,
    revision: str | None = None,
    allow_patterns: list[str] | None = None,
    kind: str = "Marian model",
    option: str = "--model",
) -> Path:
    """A local directory holding ``name``: the path itself, or a hub snapshot.

    A hub name is fetched (or found in the local hub cache) with
    ``huggingface_hub.snapshot_download``; when that fails the user is told in
    one sentence to pass a local copy with ``option``.
    """
    if looks_like_path(name):
        path = Path(name).expanduser()
        if not path.is_dir():
            raise InputError(f"{path}: no such model directory.")
        if not (path / "config.json").exists():
            raise InputError(f"{path}: not a model directory (it has no config.json).")
        return path
    from huggingface_hub import snapshot_download  # lazy: network client

    try:
        return Path(snapshot_download(repo_id=name, revision=revision, allow_patterns=allow_patterns or MARIAN_FILES))
    except (OSError, ValueError) as err:  # network, missing repo, offline cache miss
        raise ModelUnavailableError(name, kind=kind, option=option, detail=type(err).__name__) from None


@lru_cache(maxsize=32)
def _hash_file(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint_directory(directory: Path) -> str:
    """A content hash of every file in a model directory (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(directory).rglob("*") if p.is_file() and ".cache" not in p.parts):
        stat = path.stat()
        digest.update(str(path.relative_to(directory)).encode("utf-8"))
        digest.update(_hash_file(path, stat.st_size, stat.st_mtime_ns).encode("ascii"))
    return digest.hexdigest()
