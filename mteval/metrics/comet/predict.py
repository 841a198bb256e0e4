"""Whole-segment COMET scores without a Lightning Trainer: the model's own code on length-bucketed batches.

This is the path of models that encode their inputs jointly (``UnifiedMetric``:
cometkiwi, xCOMET), and of any model when sentence embeddings are not reused.
"""
from __future__ import annotations

from typing import Iterator, Sequence

from mteval.metrics.comet.precision import autocast, to_device


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices grouped into batches of similar length (longest first), so padding stays small."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def token_lengths(model, texts: Sequence[str]) -> list[int]:
    """Encoder token count of each text, as the model's tokenizer truncates it."""
    if not texts:
        return []
    limit = model.encoder.max_positions - 2
    encoded = model.encoder.tokenizer(list(texts), add_special_tokens=True, truncation=True, max_length=limit)
    return [len(ids) for ids in encoded["input_ids"]]


def _segment_lengths(model, samples: list[dict]) -> list[int]:
    totals = [0] * len(samples)
    for field in ("src", "mt", "ref"):
        present = [i for i, s in enumerate(samples) if s.get(field) is not None]
        for i, length in zip(present, token_lengths(model, [samples[i][field] for i in present])):
            totals[i] += length
    return totals


def with_progress(batches: list, progress: bool, description: str):
    """The batches, with a bar that counts segments (not batches) when ``progress``."""
    if not progress:
        yield from batches
        return
    from tqdm.auto import tqdm

    with tqdm(total=sum(map(len, batches)), desc=description, unit=" segments", leave=False) as bar:
        for batch in batches:
            yield batch
            bar.update(len(batch))


def predict_fast(model, samples: list[dict], *, batch_size: int = 16, device: str = "cpu", precision: str = "fp32", progress: bool = False) -> list[float]:
    """Segment scores for ``samples`` (COMET sample dicts), in input order."""
    return predict_segments(model, samples, batch_size=batch_size, device=device, precision=precision, progress=progress)[0]


def _sequences(inputs) -> int:
    """How many sequences a prepared batch runs through the encoder."""
    if isinstance(inputs, (list, tuple)):
        return sum(_sequences(part) for part in inputs)
    return sum(len(value) for key, value in inputs.items() if key.endswith("input_ids"))


def predict_segments(
    model, samples: list[dict], *, batch_size: int = 16, device: str = "cpu", precision: str = "fp32", progress: bool = False
) -> tuple[list[float], int]:
    """Segment scores for ``samples`` in input order, and the number of sequences encoded.

    Runs the model's own ``prepare_for_inference`` and ``predict_step`` on
    length-bucketed batches in ``torch.inference_mode``. ``precision`` ``bf16``
    wraps the forward pass in autocast; ``int8`` expects a model whose encoder was
    quantized by :func:`mteval.metrics.comet.precision.apply_precision`.
    """
    import torch

    if not samples:
        return [], 0
    lengths = _segment_lengths(model, samples)
    # COMET's prepare_sample takes the fields of a batch from its first sample,
    # so samples with and without a reference go to different batches.
    groups: dict[tuple, list[int]] = {}
    for i, sample in enumerate(samples):
        groups.setdefault(tuple(sorted(sample)), []).append(i)
    batches = []
    for members in groups.values():
        for local in length_sorted_batches([lengths[i] for i in members], batch_size):
            batches.append([members[j] for j in local])
    out: list[float | None] = [None] * len(samples)
    sequences = 0
    model.eval()
    with torch.inference_mode(), autocast(precision, device):
        for indices in with_progress(batches, progress, "COMET"):
            inputs = to_device(model.prepare_for_inference([samples[i] for i in indices]), device)
            sequences += _sequences(inputs)
            values = model.predict_step(inputs)["scores"].float().view(-1).tolist()
            for i, value in zip(indices, values):
                out[i] = value
    return out, sequences  # type: ignore[return-value]
