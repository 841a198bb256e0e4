"""A tiny but real Marian model, built from the seed article.

Sentencepiece vocabularies are trained on the example's Indonesian and
English text; the network has random weights, so its output is nonsense, but
every code path (tokenizer, generate, save/load, conversion) is the real one.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from _build_lock import build_lock

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "antara-kominfo-2024"
BUILD_VERSION = "2"
TRAIN_STEPS = 150


def _train_spm(text_file: Path, prefix: Path, vocab_size: int) -> None:
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        input=str(text_file),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        minloglevel=2,
    )


def build_tiny_marian(directory: Path, *, seed: int = 0, train_steps: int = TRAIN_STEPS) -> Path:
    """Write a loadable Marian model (config, weights, tokenizer) to ``directory``."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    directory.mkdir(parents=True, exist_ok=True)
    work = directory / "_spm"
    work.mkdir(exist_ok=True)
    for lang, name in (("id", "source"), ("en", "target")):
        _train_spm(EXAMPLE / f"antara-kominfo-2024.{lang}.txt", work / name, vocab_size=300)
        (work / f"{name}.model").replace(directory / f"{name}.spm")
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1, "<pad>": 2}
    for name in ("source", "target"):
        processor = spm.SentencePieceProcessor(model_file=str(directory / f"{name}.spm"))
        for index in range(processor.get_piece_size()):
            vocab.setdefault(processor.id_to_piece(index), len(vocab))
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    for leftover in work.iterdir():
        leftover.unlink()
    work.rmdir()

    tokenizer = MarianTokenizer(
        source_spm=str(directory / "source.spm"),
        target_spm=str(directory / "target.spm"),
        vocab=str(directory / "vocab.json"),
        source_lang="id",
        target_lang="en",
    )
    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=256,
        pad_token_id=vocab["<pad>"],
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=vocab["</s>"],
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    _memorise(model, tokenizer, steps=train_steps)
    model.eval()
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    (directory / "BUILD").write_text(BUILD_VERSION)
    return directory


def _memorise(model, tokenizer, *, steps: int) -> None:
    """A few optimiser steps on the example's line pairs, so outputs depend on inputs."""
    import torch

    if steps <= 0:
        return
    sources = [l for l in (EXAMPLE / "antara-kominfo-2024.id.txt").read_text("utf-8").split("\n") if l.strip()]
    targets = [l for l in (EXAMPLE / "antara-kominfo-2024.en.txt").read_text("utf-8").split("\n") if l.strip()]
    pairs = list(zip(sources, targets))
    batch = tokenizer(
        [s for s, _ in pairs], text_target=[t for _, t in pairs], return_tensors="pt",
        padding=True, truncation=True, max_length=24,
    )
    batch["labels"][batch["labels"] == tokenizer.pad_token_id] = -100
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(steps):
        optimiser.zero_grad()
        model(**batch).loss.backward()
        optimiser.step()


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def cached_tiny_marian(cache_root: Path = ARTIFACTS, *, train_steps: int = TRAIN_STEPS) -> Path:
    """The model built once and kept under ``cache_root`` (git-ignored) across test sessions."""
    directory = cache_root / f"tiny-marian-v{BUILD_VERSION}-steps{train_steps}"
    with build_lock(cache_root):
        if not (directory / "BUILD").exists():
            staging = Path(tempfile.mkdtemp(prefix=".building-", dir=cache_root))
            build_tiny_marian(staging / "model", train_steps=train_steps)
            (staging / "model").rename(directory)  # atomic: an interrupted build is never visible
            shutil.rmtree(staging, ignore_errors=True)
    return directory


@pytest.fixture(scope="session")
def tiny_marian() -> Path:
    """Path to the tiny Marian model (built on first use, then reused)."""
    return cached_tiny_marian()


@pytest.fixture(scope="session")
def untrained_marian() -> Path:
    """The same architecture with random weights: a clearly worse candidate model."""
    return cached_tiny_marian(train_steps=0)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Build the tiny Marian test model.")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--steps", type=int, default=TRAIN_STEPS, help="training steps (0: random weights)")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    print(build_tiny_marian(options.directory, seed=options.seed, train_steps=options.steps))
