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


def check_marian_directory(model_dir: Path) -> None:
    """Refuse, in one sentence, a directory that is not a plain Marian model, before any engine reads it.

    Both engines apply the same rules: ``config.json`` must say ``model_type: marian``; a configuration
    that asks for remote code (``auto_map``) is refused, since loading it would run code from the
    directory; the sentencepiece files must be sentencepiece models.
    """
    import json

    for name in ("config.json", "tokenizer_config.json"):
        path = Path(model_dir) / name
        if not path.exists():
            continue
        try:
            config = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise InputError(f"{path}: cannot be read as a model configuration ({type(err).__name__}).") from None
        if not isinstance(config, dict):
            raise InputError(f"{path}: a model configuration must be a JSON object.")
        if "auto_map" in config:
            raise InputError(
                f"{path}: asks for code shipped with the model (auto_map); mteval runs Marian models with the "
                "code in transformers only, so this model is refused."
            )
        if name == "config.json" and config.get("model_type") != "marian":
            raise InputError(
                f"{path}: model_type is {config.get('model_type')!r}, not 'marian'; only Marian models can be run."
            )
    _check_sentencepiece(Path(model_dir))


def _check_sentencepiece(model_dir: Path) -> None:
    import sentencepiece as spm

    for name in ("source.spm", "target.spm"):
        path = model_dir / name
        if not path.exists():
            continue
        try:
            spm.SentencePieceProcessor(model_file=str(path))
        except (OSError, RuntimeError, ValueError) as err:
            reason = " ".join(str(err).split())[:120]
            raise InputError(f"{path}: not a sentencepiece model ({reason}); the Marian directory is broken.") from None


def model_load_errors() -> tuple[type[BaseException], ...]:
    """What loading or converting a broken model directory raises (damaged weights, missing or odd files)."""
    from safetensors import SafetensorError

    return (OSError, ValueError, RuntimeError, KeyError, SafetensorError)
