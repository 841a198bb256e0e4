"""Sentence embeddings of a COMET regression model, computed per text, and the model's head applied to them.

Why reuse is exact: in unbabel-comet 2.2, ``RegressionMetric.forward`` (and
``ReferencelessRegression.forward``) call ``get_sentence_embedding`` once for
the source, once for the hypothesis and once for the reference, each on its own
tokenized batch; the embedding of a sentence comes from the encoder, the layer
mix (whose layer norm is taken per sentence, over its unmasked tokens) and the
pooling (over its unmasked tokens) of that sentence alone. Only then does the
feed-forward head see the three vectors together. So an embedding is a function
of the text (and the checkpoint, precision and device): computing it in another
batch changes it only by floating-point rounding, and storing it as float32
loses nothing (fp32, bf16-autocast and fp16 outputs all fit in float32 exactly).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from mteval.metrics.comet.precision import autocast, to_device
from mteval.metrics.comet.predict import length_sorted_batches, token_lengths, with_progress

_HEAD_BATCH = 1024


def encode_sentences(
    model, texts: Sequence[str], *, batch_size: int, device: str, precision: str, progress: bool = False
) -> np.ndarray:
    """One float32 sentence embedding per text (rows in input order), one encoder pass each."""
    import torch

    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    lengths = token_lengths(model, texts)
    rows: list[np.ndarray | None] = [None] * len(texts)
    model.eval()
    with torch.inference_mode(), autocast(precision, device):
        for indices in with_progress(list(length_sorted_batches(lengths, batch_size)), progress, "COMET encode"):
            inputs = to_device(model.encoder.prepare_sample([texts[i] for i in indices]), device)
            embedded = model.get_sentence_embedding(inputs["input_ids"], inputs["attention_mask"])
            for i, row in zip(indices, embedded.float().cpu().numpy()):
                rows[i] = row
    return np.stack(rows)  # type: ignore[arg-type]


def head_scores(
    model, model_class: str, *, source: np.ndarray, hypothesis: np.ndarray, reference: np.ndarray | None,
    device: str, precision: str,
) -> list[float]:
    """The model's feed-forward head over sentence embeddings (one row per segment), as its ``forward`` combines them."""
    import torch

    dtype = next(model.estimator.parameters()).dtype
    scores: list[float] = []
    with torch.inference_mode(), autocast(precision, device):
        for start in range(0, len(hypothesis), _HEAD_BATCH):
            part = slice(start, start + _HEAD_BATCH)
            src = torch.from_numpy(np.ascontiguousarray(source[part])).to(device=device, dtype=dtype)
            mt = torch.from_numpy(np.ascontiguousarray(hypothesis[part])).to(device=device, dtype=dtype)
            if model_class == "regression_metric":
                ref = torch.from_numpy(np.ascontiguousarray(reference[part])).to(device=device, dtype=dtype)
                values = model.estimate(src, mt, ref).score
            elif model_class == "referenceless_regression_metric":
                # ReferencelessRegression.forward inlines its head; this is that combination.
                combined = torch.cat((mt, src, mt * src, torch.abs(mt - src)), dim=1)
                values = model.estimator(combined).view(-1)
            else:
                raise ValueError(f"{model_class} does not score from independent sentence embeddings")
            scores.extend(values.float().view(-1).tolist())
    return scores
