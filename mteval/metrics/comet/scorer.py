"""``CometScorer``: COMET segment scores with a persistent cache, through the model's own code.

The scores are COMET's: the model's ``prepare_sample``/``predict_step`` run on
length-bucketed batches in ``torch.inference_mode`` (no Lightning ``Trainer``).
Segment scores are cached by a fingerprint of the checkpoint (file hash, hparams,
comet version, precision) and the (source, hypothesis, reference) triple, so
unchanged segments are never scored twice and a fully cached call loads no model.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any, Sequence

from mteval.caches.comet_scores import CometCacheFile, CometScoreCache, default_cache_path, segment_key
from mteval.errors import InputError
from mteval.metrics.comet.loading import load_model
from mteval.metrics.comet.precision import (
    check_device_name,
    check_precision_name,
    resolve_device,
    resolve_precision,
)
from mteval.metrics.comet.predict import predict_fast
from mteval.metrics.comet.resolve import DEFAULT_MODEL, ResolvedModel, comet_version, file_sha256, resolve_model


class CometResult(dict):
    """COMET scores: a dict that also allows attribute access, like COMET's ``Prediction``.

    Keys: ``system_score`` (mean of the segment scores), ``scores`` (one per
    input segment, in input order), ``provenance`` (model, revision or
    checkpoint hash, comet version, precision, device, reference_free, how many
    segments came from the cache).
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


def _as_strings(name: str, values: Sequence[Any] | None, n: int | None, *, allow_none: bool = False) -> list | None:
    if values is None:
        return None
    if isinstance(values, (str, bytes)):
        raise InputError(f"COMET {name} must be a list of strings, not a single string.")
    items = list(values)
    if n is not None and len(items) != n:
        raise InputError(f"COMET got {n} hypotheses but {len(items)} {name}; give one per segment.")
    for index, item in enumerate(items):
        if item is None and allow_none:
            continue
        if not isinstance(item, str):
            raise InputError(f"COMET {name} item {index} is a {type(item).__name__}, not a string.")
    return items


class CometScorer:
    """Score translations with a COMET model (reference-based or reference-free QE).

    Args:
        model: hub name (``Unbabel/wmt22-comet-da``, ``Unbabel/wmt22-cometkiwi-da``)
            or a local model directory / ``.ckpt`` file.
        batch_size: segments per forward pass.
        device: ``"auto"`` (GPU when present, else CPU), ``"cpu"``, ``"cuda"``, ``"cuda:N"``.
        precision: ``"fp32"`` (the numbers of COMET's Python ``predict``), ``"bf16"``
            (autocast), ``"fp16"`` (half-precision weights: what the ``comet-score`` CLI
            of unbabel-comet 2.2 does, even on CPU), ``"int8"`` (dynamic quantization,
            CPU only) or ``"auto"`` (bf16 where the device has
            native bf16 matrix units, else fp32).
        cache: COMET cache path; ``None`` for the default under the user cache
            directory; ``False`` for no cache.
        progress: show a progress bar over batches.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        batch_size: int = 16,
        device: str = "auto",
        precision: str = "fp32",
        cache: str | os.PathLike | None | bool = None,
        progress: bool = False,
    ):
        if not isinstance(model, (str, os.PathLike)) or not str(model).strip():
            raise InputError("COMET model must be a hub name or a local path.")
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise InputError(f"COMET batch size must be a positive whole number, not {batch_size!r}.")
        self.model_name = str(model)
        self.batch_size = batch_size
        self.requested_device = check_device_name(device)
        self.requested_precision = check_precision_name(precision)
        self.progress = progress
        if cache is True:
            cache = None
        self._cache_file: CometCacheFile | None = None
        if cache is not False:
            self._cache_file = CometCacheFile(Path(cache).expanduser() if cache is not None else default_cache_path())
        self._scores = CometScoreCache(self._cache_file) if self._cache_file else None
        self._resolved: ResolvedModel | None = None
        self._model = None
        self._device: str | None = None
        self._precision: str | None = None
        self._checkpoint_sha: str | None = None

    # -- resolution (no model loading) -------------------------------------------------

    @property
    def cache_path(self) -> Path | None:
        return self._cache_file.path if self._cache_file else None

    def _resolve(self) -> ResolvedModel:
        if self._resolved is None:
            self._resolved = resolve_model(self.model_name)
        return self._resolved

    @property
    def reference_free(self) -> bool:
        """True when the model scores without references (e.g. cometkiwi, referenceless regression)."""
        return not self._resolve().uses_reference

    @property
    def needs_reference(self) -> bool:
        return self._resolve().needs_reference

    def _resolve_device(self) -> str:
        if self._device is None:
            self._device = resolve_device(self.requested_device)
        return self._device

    def _resolve_precision(self) -> str:
        if self._precision is None:
            self._precision = resolve_precision(self.requested_precision, self._resolve_device())
        return self._precision

    def _checkpoint_hash(self) -> str:
        if self._checkpoint_sha is None:
            checkpoint = self._resolve().checkpoint
            self._checkpoint_sha = (
                self._scores.checkpoint_sha256(checkpoint, file_sha256) if self._scores else file_sha256(checkpoint)
            )
        return self._checkpoint_sha

    def fingerprint(self) -> str:
        """What a cached score depends on besides its segment: checkpoint bytes, hparams, comet version, precision."""
        resolved = self._resolve()
        payload = {
            "checkpoint_sha256": self._checkpoint_hash(),
            "hparams": json.dumps(resolved.hparams, sort_keys=True, default=str),
            "comet": comet_version(),
            "precision": self._resolve_precision(),
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()

    def provenance(self, **extra: Any) -> dict:
        resolved = self._resolve()
        info = {
            "metric": "comet",
            "model": self.model_name,
            "model_class": resolved.model_class,
            "revision": resolved.revision,
            "checkpoint": str(resolved.checkpoint),
            "checkpoint_sha256": self._checkpoint_hash(),
            "comet_version": comet_version(),
            "precision": self._resolve_precision(),
            "device": self._resolve_device(),
            "reference_free": self.reference_free,
            "batch_size": self.batch_size,
        }
        info.update(extra)
        return info

    def _load(self):
        if self._model is None:
            self._model = load_model(self._resolve(), precision=self._resolve_precision(), device=self._resolve_device())
        return self._model

    # -- scoring --------------------------------------------------------------------------

    def score(
        self,
        *,
        sources: Sequence[str],
        hypotheses: Sequence[str],
        references: Sequence[str | None] | None = None,
    ) -> CometResult:
        """Score each (source, hypothesis[, reference]) segment; returns scores in input order."""
        hyps = _as_strings("hypotheses", hypotheses, None)
        srcs = _as_strings("sources", sources, len(hyps))
        refs = _as_strings("references", references, len(hyps), allow_none=True)
        if not hyps:
            raise InputError("COMET got no segments to score.")
        resolved = self._resolve()
        if not resolved.uses_reference:
            refs = None
        elif refs is not None and any(r is None for r in refs):
            missing = [i for i, r in enumerate(refs) if r is None]
            if resolved.needs_reference:
                raise InputError(
                    f"COMET model '{self.model_name}' needs a reference for every segment, but segment {missing[0]} "
                    "has none; score those with a reference-free model such as Unbabel/wmt22-cometkiwi-da."
                )
        if refs is None and resolved.needs_reference:
            raise InputError(
                f"COMET model '{self.model_name}' needs references; pass them or use a reference-free model."
            )

        samples = []
        for i, (src, mt) in enumerate(zip(srcs, hyps)):
            sample = {"src": src, "mt": mt}
            if refs is not None and refs[i] is not None:
                sample["ref"] = refs[i]
            samples.append(sample)
        keys = [segment_key(s["src"], s["mt"], s.get("ref")) for s in samples]

        scores: list[float | None] = [None] * len(samples)
        fingerprint = None
        cached = 0
        if self._scores is not None:
            fingerprint = self.fingerprint()
            found = self._scores.get_many(fingerprint, keys)
            for i, key in enumerate(keys):
                if key in found:
                    scores[i] = found[key]
                    cached += 1

        todo: dict[str, int] = {}
        for i, key in enumerate(keys):
            if scores[i] is None and key not in todo:
                todo[key] = i
        if todo:
            model = self._load()
            todo_indices = list(todo.values())
            new_scores = predict_fast(
                model,
                [samples[i] for i in todo_indices],
                batch_size=self.batch_size,
                device=self._resolve_device(),
                precision=self._resolve_precision(),
                progress=self.progress,
            )
            fresh = {keys[i]: s for i, s in zip(todo_indices, new_scores)}
            for i, key in enumerate(keys):
                if scores[i] is None:
                    scores[i] = fresh[key]
            if self._scores is not None:
                self._scores.put_many(fingerprint, fresh)

        final = [float(s) for s in scores]
        system = math.fsum(final) / len(final)
        return CometResult(
            system_score=system,
            scores=final,
            provenance=self.provenance(segments=len(final), cached_segments=cached),
        )
