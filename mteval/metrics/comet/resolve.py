"""Which COMET model a name means: a local model directory or ``.ckpt`` file, or a hub name.

Resolution reads ``hparams.yaml`` with ``yaml.safe_load`` and never loads the
checkpoint, so it is cheap and runs no pickled code. A hub name that cannot be
fetched raises :class:`~mteval.errors.ModelUnavailableError` (one sentence that
points at ``--comet-model PATH``).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from mteval.errors import InputError, ModelUnavailableError

DEFAULT_MODEL = "Unbabel/wmt22-comet-da"
_HUB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")
# COMET model classes mteval can score with, by hparams ``class_identifier``.
SCORING_CLASSES = ("regression_metric", "referenceless_regression_metric", "unified_metric", "xcomet_metric")
# Classes that embed source, hypothesis and reference each on its own and combine the
# sentence embeddings in a feed-forward head, so an embedding depends on its text only.
INDEPENDENT_ENCODING_CLASSES = ("regression_metric", "referenceless_regression_metric")
_JOINT_CLASSES = ("unified_metric", "xcomet_metric")


@dataclass(frozen=True)
class ResolvedModel:
    """A COMET model found on disk: its checkpoint file, hparams, and hub revision (None for local models)."""

    name: str
    checkpoint: Path
    hparams: dict
    revision: str | None

    @property
    def model_class(self) -> str:
        return self.hparams["class_identifier"]

    @property
    def uses_reference(self) -> bool:
        if self.model_class == "referenceless_regression_metric":
            return False
        if self.model_class in _JOINT_CLASSES:
            return "ref" in (self.hparams.get("input_segments") or ["mt", "src", "ref"])
        return True

    @property
    def needs_reference(self) -> bool:
        if self.model_class in _JOINT_CLASSES:
            return "src" not in (self.hparams.get("input_segments") or ["mt", "src", "ref"])
        return self.model_class == "regression_metric"

    @property
    def encodes_independently(self) -> bool:
        """True when sentence embeddings can be computed once per text and reused (regression models)."""
        return self.model_class in INDEPENDENT_ENCODING_CLASSES


def comet_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("unbabel-comet")
    except PackageNotFoundError:
        return "not installed"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_model(name: str) -> ResolvedModel:
    """Find the checkpoint and hparams of a COMET model given by local path or hub name."""
    path = Path(name).expanduser()
    revision = None
    if path.exists():
        if path.is_dir():
            checkpoint = path / "checkpoints" / "model.ckpt"
            if not checkpoint.is_file():
                raise InputError(
                    f"COMET model '{name}' is not a COMET checkpoint: there is no checkpoints/model.ckpt in it."
                )
        elif path.suffix == ".ckpt":
            checkpoint = path
        else:
            raise InputError(f"COMET model '{name}' is not a COMET checkpoint: give a model directory or a .ckpt file.")
    elif _HUB_NAME.match(name) and not name.endswith(".ckpt"):
        checkpoint = _download(name)
        parts = checkpoint.parts
        if len(parts) >= 4 and parts[-4] == "snapshots":
            revision = parts[-3]
    else:
        raise InputError(f"COMET model path '{name}' does not exist.")
    hparams = read_hparams(checkpoint, name)
    return ResolvedModel(name=name, checkpoint=checkpoint.resolve(), hparams=hparams, revision=revision)


def read_hparams(checkpoint: Path, model: str) -> dict:
    """The ``hparams.yaml`` beside a checkpoint's folder, read with ``yaml.safe_load`` and checked."""
    import yaml

    hparams_file = checkpoint.parents[1] / "hparams.yaml"
    if not hparams_file.is_file():
        raise InputError(
            f"COMET model '{model}' is not a COMET checkpoint: {hparams_file} is missing "
            "(a COMET model directory holds hparams.yaml and checkpoints/model.ckpt)."
        )
    try:
        hparams = yaml.safe_load(hparams_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise InputError(f"COMET model '{model}' has an unreadable hparams file {hparams_file} ({type(err).__name__}).") from None
    if not isinstance(hparams, dict) or "class_identifier" not in hparams:
        raise InputError(f"COMET model '{model}' is not a COMET checkpoint: {hparams_file} names no class_identifier.")
    if hparams["class_identifier"] not in SCORING_CLASSES:
        raise InputError(
            f"COMET model '{model}' is a '{hparams['class_identifier']}' model, which gives no segment scores; "
            f"use one of {', '.join(SCORING_CLASSES)}."
        )
    return hparams


def _download(name: str) -> Path:
    from mteval.metrics.quiet import quiet_third_party

    try:
        with quiet_third_party():
            from comet import download_model
    except ImportError as err:
        raise ModelUnavailableError(name, kind="COMET model", option="--comet-model", detail=f"comet not importable: {err}") from None
    try:
        checkpoint = download_model(name)
    except (KeyError, OSError, ConnectionError, ValueError, RuntimeError):
        raise ModelUnavailableError(name, kind="COMET model", option="--comet-model") from None
    checkpoint = Path(checkpoint)
    if not checkpoint.is_file():
        raise ModelUnavailableError(name, kind="COMET model", option="--comet-model")
    return checkpoint
