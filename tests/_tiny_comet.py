"""A tiny but real COMET checkpoint, built locally for the tests.

``build_tiny_comet(directory)`` writes, under ``directory``:

* ``encoder/``  a 2-layer XLM-R-style encoder (``XLMRobertaModel`` with a
  handful of dimensions) and a sentencepiece vocabulary trained on the seed
  articles, both written with ``save_pretrained``;
* ``da/``       a reference-based COMET ``RegressionMetric`` over that encoder
  (``hparams.yaml`` + ``checkpoints/model.ckpt``), the layout of a hub model;
* ``qe/``       a reference-free ``ReferencelessRegression`` over the same encoder;
* ``unified/``  a ``UnifiedMetric`` (the class of cometkiwi and xCOMET: source,
  hypothesis and reference encoded jointly) over the same encoder.

The weights are random (seeded), so the scores mean nothing, but every code
path that scores, caches or reorders segments runs through the real
``unbabel-comet`` model classes and ``comet.load_from_checkpoint``.

The session fixture ``tiny_comet`` keeps the build under ``tests/artifacts/``
(git-ignored) so later sessions reuse it; a build stamp guards against a
stale or half-written copy.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from _build_lock import build_lock

TESTS_DIR = Path(__file__).resolve().parent
REPO = TESTS_DIR.parent
SEED_DIRS = (REPO.parent / "shared" / "seeds", REPO / "examples" / "antara-kominfo-2024")
BUILD_VERSION = "tiny-comet-4"
STAMP = "BUILD.json"


@dataclass(frozen=True)
class TinyComet:
    root: Path
    da: Path  # reference-based model directory (hparams.yaml + checkpoints/model.ckpt)
    qe: Path  # reference-free model directory
    unified: Path  # jointly encoding model directory (UnifiedMetric)

    @property
    def da_ckpt(self) -> Path:
        return self.da / "checkpoints" / "model.ckpt"

    @property
    def qe_ckpt(self) -> Path:
        return self.qe / "checkpoints" / "model.ckpt"

    @property
    def unified_ckpt(self) -> Path:
        return self.unified / "checkpoints" / "model.ckpt"


def seed_lines() -> list[str]:
    """Non-empty lines of the seed articles (Indonesian and English)."""
    for folder in SEED_DIRS:
        files = sorted(folder.glob("*.txt"))
        if files:
            lines: list[str] = []
            for path in files:
                lines.extend(
                    line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
                )
            return lines
    raise FileNotFoundError(f"no seed text under {', '.join(str(d) for d in SEED_DIRS)}")


def _train_vocab(lines: list[str]) -> bytes:
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        vocab_size=400,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        # XLM-R's sentencepiece layout: unk=0, bos=1, eos=2, no pad piece;
        # the tokenizer adds <pad> and the fairseq offset itself.
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    return buffer.getvalue()


def _build_encoder(encoder_dir: Path) -> None:
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizer, XLMRobertaTokenizerFast

    encoder_dir.mkdir(parents=True)
    spm_file = encoder_dir / "sentencepiece.bpe.model"
    spm_file.write_bytes(_train_vocab(seed_lines()))
    slow = XLMRobertaTokenizer(vocab_file=str(spm_file))
    fast = XLMRobertaTokenizerFast(vocab_file=str(spm_file))
    assert len(fast) == len(slow)
    config = XLMRobertaConfig(
        vocab_size=len(slow),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=514,
        type_vocab_size=1,
        pad_token_id=slow.pad_token_id,
        bos_token_id=slow.bos_token_id,
        eos_token_id=slow.eos_token_id,
    )
    torch.manual_seed(20240101)
    model = XLMRobertaModel(config, add_pooling_layer=False)
    model.save_pretrained(encoder_dir)
    fast.save_pretrained(encoder_dir)


def _save_comet(model, model_dir: Path) -> None:
    """Write a COMET model in the hub layout: hparams.yaml + checkpoints/model.ckpt."""
    import pytorch_lightning
    import torch
    import yaml

    hparams = dict(model.hparams)
    (model_dir / "checkpoints").mkdir(parents=True)
    (model_dir / "hparams.yaml").write_text(yaml.safe_dump(hparams, sort_keys=True), encoding="utf-8")
    checkpoint = {
        "state_dict": model.state_dict(),
        "hyper_parameters": hparams,
        "pytorch-lightning_version": pytorch_lightning.__version__,
    }
    torch.save(checkpoint, model_dir / "checkpoints" / "model.ckpt")


def _build_metrics(encoder_dir: Path, da_dir: Path, qe_dir: Path, unified_dir: Path) -> None:
    import torch
    from comet.models import ReferencelessRegression, RegressionMetric, UnifiedMetric

    common = dict(
        encoder_model="XLM-RoBERTa",
        pretrained_model=str(encoder_dir),
        layer="mix",
        layer_transformation="softmax",
        layer_norm=True,
        pool="avg",
        hidden_sizes=[16],
        activations="Tanh",
        dropout=0.1,
        load_pretrained_weights=True,
        local_files_only=True,
    )
    torch.manual_seed(7)
    _save_comet(RegressionMetric(**common), da_dir)
    torch.manual_seed(11)
    _save_comet(ReferencelessRegression(**common), qe_dir)
    joint = {k: v for k, v in common.items() if k not in ("layer", "pool")}
    torch.manual_seed(13)
    _save_comet(UnifiedMetric(sent_layer="mix", word_layer=1, input_segments=["mt", "src", "ref"], **joint), unified_dir)


def build_tiny_comet(directory: Path) -> Path:
    """Build the tiny encoder and the three COMET checkpoints under ``directory``; return it.

    ``directory`` must not exist yet or be empty.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty")
    encoder_dir = directory / "encoder"
    _build_encoder(encoder_dir)
    _build_metrics(encoder_dir, directory / "da", directory / "qe", directory / "unified")
    (directory / STAMP).write_text(
        json.dumps({"version": BUILD_VERSION, "root": str(directory.resolve())}), encoding="utf-8"
    )
    return directory


def _is_complete(root: Path) -> bool:
    stamp = root / STAMP
    if not stamp.is_file():
        return False
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return data.get("version") == BUILD_VERSION and data.get("root") == str(root.resolve())


def cached_tiny_comet(cache_root: Path) -> TinyComet:
    """Return the tiny model under ``cache_root``, building it first if needed.

    The build happens in a sibling temporary directory that is renamed into
    place, so an interrupted build never leaves a half-written model behind.
    Because ``hparams.yaml`` names the encoder by absolute path, the model is
    built for its final location and the rename happens only within
    ``cache_root.parent`` (a different absolute path would fail the stamp).
    """
    root = cache_root / BUILD_VERSION
    with build_lock(cache_root):
        if not _is_complete(root):
            if root.exists():
                shutil.rmtree(root)
            # Build in place under a unique name, then fix up the absolute paths.
            staging = Path(tempfile.mkdtemp(prefix=".build-", dir=cache_root))
            try:
                build_tiny_comet(staging / "m")
                _relocate(staging / "m", root)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    return TinyComet(root=root, da=root / "da", qe=root / "qe", unified=root / "unified")


def _relocate(built: Path, target: Path) -> None:
    """Move a finished build to ``target`` and point its hparams at the moved encoder."""
    import torch
    import yaml

    os.replace(built, target)
    encoder = str((target / "encoder").resolve())
    for name in ("da", "qe", "unified"):
        hparams_file = target / name / "hparams.yaml"
        hparams = yaml.safe_load(hparams_file.read_text(encoding="utf-8"))
        hparams["pretrained_model"] = encoder
        hparams_file.write_text(yaml.safe_dump(hparams, sort_keys=True), encoding="utf-8")
        ckpt_file = target / name / "checkpoints" / "model.ckpt"
        checkpoint = torch.load(ckpt_file, map_location="cpu", weights_only=True)
        checkpoint["hyper_parameters"]["pretrained_model"] = encoder
        torch.save(checkpoint, ckpt_file)
    (target / STAMP).write_text(
        json.dumps({"version": BUILD_VERSION, "root": str(target.resolve())}), encoding="utf-8"
    )


@pytest.fixture(scope="session")
def tiny_comet() -> TinyComet:
    return cached_tiny_comet(TESTS_DIR / "artifacts" / "tiny-comet")
