"""``CometScorer``: COMET segment scores that cost only what changed, through the model's own code.

Two caches, both in one COMET cache file and keyed by the model fingerprint
(checkpoint hash, hparams, comet version, precision, device class):

* whole segment scores, keyed by the (source, hypothesis, reference) triple: an
  unchanged segment is never scored twice, and a fully cached call loads no model;
* for models that encode each input on its own (``RegressionMetric``,
  ``ReferencelessRegression``), the sentence embeddings of sources and
  references, keyed by their text: a new candidate on a known test set encodes
  only its own outputs, and the model's head combines them with the stored
  source and reference embeddings (see
  :mod:`mteval.metrics.comet.sentence_embeddings` for why this is exact).
  Within one scorer, every distinct sentence is encoded at most once, so N
  systems cost N + 2 encoder passes per segment instead of 3N, whether they come
  in one :meth:`CometScorer.score_systems` call or in one ``score`` call each.

Models that encode jointly (``UnifiedMetric``: cometkiwi, xCOMET) cannot reuse
embeddings; they run the model's ``prepare_sample``/``predict_step`` on
length-bucketed batches and use the segment-score cache only, and their
provenance says so.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from mteval.caches.comet_embeddings import CometEmbeddingCache
from mteval.caches.comet_scores import CometCacheFile, CometScoreCache, default_cache_path, segment_key
from mteval.devices import check_device_name
from mteval.errors import InputError
from mteval.metrics.comet.loading import load_model
from mteval.metrics.comet.precision import (
    check_precision_name,
    device_class,
    resolve_device,
    resolve_precision,
)
from mteval.metrics.comet import sentence_embeddings
from mteval.metrics.comet.predict import predict_segments
from mteval.metrics.comet.resolve import DEFAULT_MODEL, ResolvedModel, comet_version, file_sha256, resolve_model
from mteval.metrics.comet.work import ROLES, CometWork, SentenceCounts


class CometResult(dict):
    """COMET scores: a dict that also allows attribute access, like COMET's ``Prediction``.

    Keys: ``system_score`` (mean of the segment scores), ``scores`` (one per
    input segment, in input order), ``provenance`` (model, revision or
    checkpoint hash, comet version, precision, device, reference_free, how many
    segments came from the cache, and under ``work`` what this call computed and
    what it took from caches).
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
            directory; ``False`` for no cache (sentence embeddings are then still
            shared within this scorer's life).
        progress: show a progress bar over batches.
        reuse_embeddings: compute regression models' scores from per-sentence
            embeddings (the default); ``False`` runs whole segments through the
            model, as for jointly encoding models.
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
        reuse_embeddings: bool = True,
    ):
        if not isinstance(model, (str, os.PathLike)) or not str(model).strip():
            raise InputError("COMET model must be a hub name or a local path.")
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise InputError(f"COMET batch size must be a positive whole number, not {batch_size!r}.")
        self.model_name = str(model)
        self.batch_size = batch_size
        self.requested_device = check_device_name(device, what="COMET device")
        self.requested_precision = check_precision_name(precision)
        self.progress = progress
        if cache is True:
            cache = None
        self._cache_file: CometCacheFile | None = None
        if cache is not False:
            self._cache_file = CometCacheFile(Path(cache).expanduser() if cache is not None else default_cache_path())
        self._scores = CometScoreCache(self._cache_file) if self._cache_file else None
        self._embeddings = CometEmbeddingCache(self._cache_file) if self._cache_file else None
        self.reuse_embeddings = bool(reuse_embeddings)
        # source and reference embeddings computed or read by this scorer, by text
        self._run_embeddings: dict[str, np.ndarray] = {}
        self._work = CometWork()
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

    @property
    def reuses_embeddings(self) -> bool:
        """True when scores are computed from per-sentence embeddings that are kept and reused."""
        return self.reuse_embeddings and self._resolve().encodes_independently

    def fingerprint(self) -> str:
        """What a cached score or embedding depends on besides its text: checkpoint bytes, hparams,
        comet version, precision and device class."""
        resolved = self._resolve()
        payload = {
            "checkpoint_sha256": self._checkpoint_hash(),
            "hparams": json.dumps(resolved.hparams, sort_keys=True, default=str),
            "comet": comet_version(),
            "precision": self._resolve_precision(),
            "device_class": device_class(self._resolve_device()),
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
            "cache": str(self.cache_path) if self.cache_path else None,
            "reuse": self._reuse_note(),
            "work": self._work.to_dict(),
        }
        info.update(extra)
        return info

    def _reuse_note(self) -> str:
        resolved = self._resolve()
        if self.reuses_embeddings:
            return ("sentence embeddings: each distinct source and reference is encoded once and its embedding "
                    "kept (in the COMET cache when there is one); hypotheses are encoded; the head combines them")
        if not resolved.encodes_independently:
            return (f"segment scores only: a {resolved.model_class} model encodes source, hypothesis and reference "
                    "jointly, so no sentence embedding can be reused")
        return "segment scores only: sentence-embedding reuse was turned off"

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
        return self.score_systems({"": hyps}, sources=sources, references=references)[""]

    def score_systems(
        self,
        hypotheses: Mapping[str, Sequence[str]],
        *,
        sources: Sequence[str],
        references: Sequence[str | None] | None = None,
    ) -> dict[str, CometResult]:
        """Score several systems' outputs of the same segments; one result per system, in ``hypotheses`` order.

        Every distinct source, reference and hypothesis is encoded at most once
        over all systems (for models that encode independently).
        """
        if not isinstance(hypotheses, Mapping) or not hypotheses:
            raise InputError("COMET needs the hypotheses of at least one system, by system name.")
        systems = {name: _as_strings("hypotheses", hyps, None) for name, hyps in hypotheses.items()}
        n = len(next(iter(systems.values())))
        for name, hyps in systems.items():
            if len(hyps) != n:
                raise InputError(f"COMET got {len(hyps)} hypotheses of system '{name}' but {n} of another; give one per segment.")
        srcs = _as_strings("sources", sources, n)
        refs = self._checked_references(_as_strings("references", references, n, allow_none=True))
        if not n:
            raise InputError("COMET got no segments to score.")

        samples = {name: [_sample(s, t, refs[i] if refs else None) for i, (s, t) in enumerate(zip(srcs, hyps))]
                   for name, hyps in systems.items()}
        keys = {name: [segment_key(s["src"], s["mt"], s.get("ref")) for s in rows] for name, rows in samples.items()}
        work = CometWork(
            segments=n * len(systems),
            sentences={role: SentenceCounts() for role in ROLES} if self.reuses_embeddings else None,
        )
        fingerprint = self.fingerprint() if self._scores is not None else None
        known = self._scores.get_many(fingerprint, [k for ks in keys.values() for k in ks]) if self._scores else {}
        todo: dict[str, dict] = {}
        for name in systems:
            for key, sample in zip(keys[name], samples[name]):
                if key in known:
                    work.segments_from_cache += 1
                elif key not in todo:
                    todo[key] = sample
        fresh = self._compute(list(todo.values()), work) if todo else []
        computed = dict(zip(todo, fresh))
        if self._scores is not None:
            self._scores.put_many(fingerprint, computed)
        self._work.add(work)

        results = {}
        for name in systems:
            final = [float(known[k]) if k in known else float(computed[k]) for k in keys[name]]
            results[name] = CometResult(
                system_score=math.fsum(final) / len(final),
                scores=final,
                provenance=self.provenance(
                    segments=len(final), cached_segments=sum(1 for k in keys[name] if k in known), work=work.to_dict()
                ),
            )
        return results

    def _checked_references(self, refs: list | None) -> list | None:
        resolved = self._resolve()
        if not resolved.uses_reference:
            return None
        if refs is not None and any(r is None for r in refs):
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
        return refs

    def _compute(self, samples: list[dict], work: CometWork) -> list[float]:
        """Scores of distinct segments that no cache held."""
        model = self._load()
        work.segments_computed += len(samples)
        if not self.reuses_embeddings:
            scores, sequences = predict_segments(
                model, samples, batch_size=self.batch_size, device=self._resolve_device(),
                precision=self._resolve_precision(), progress=self.progress,
            )
            work.encoder_sequences += sequences
            return scores
        embeddings = self._sentence_embeddings(model, samples, work)
        # References are present for every segment of a reference-based model (checked on input)
        # and for none of a referenceless one.
        with_ref = all("ref" in s for s in samples)
        return sentence_embeddings.head_scores(
            model, self._resolve().model_class,
            source=np.stack([embeddings[s["src"]] for s in samples]),
            hypothesis=np.stack([embeddings[s["mt"]] for s in samples]),
            reference=np.stack([embeddings[s["ref"]] for s in samples]) if with_ref else None,
            device=self._resolve_device(), precision=self._resolve_precision(),
        )

    def _sentence_embeddings(self, model, samples: list[dict], work: CometWork) -> dict[str, np.ndarray]:
        """The embedding of every text the samples need, each distinct text encoded at most once."""
        by_role = {
            "source": {s["src"] for s in samples},
            "reference": {s["ref"] for s in samples if "ref" in s},
            "hypothesis": {s["mt"] for s in samples},
        }
        context = by_role["source"] | by_role["reference"]
        wanted = list(dict.fromkeys([s["src"] for s in samples] + [s["ref"] for s in samples if "ref" in s]
                                    + [s["mt"] for s in samples]))
        origin: dict[str, str] = {}
        found: dict[str, np.ndarray] = {}
        for text in wanted:
            if text in self._run_embeddings:
                found[text] = self._run_embeddings[text]
                origin[text] = "from_run"
        if self._embeddings is not None:
            stored = self._embeddings.get_many(self.fingerprint(), [t for t in wanted if t not in found])
            found.update(stored)
            origin.update(dict.fromkeys(stored, "from_cache"))
        missing = [t for t in wanted if t not in found]
        if missing:
            vectors = sentence_embeddings.encode_sentences(
                model, missing, batch_size=self.batch_size, device=self._resolve_device(),
                precision=self._resolve_precision(), progress=self.progress,
            )
            computed = dict(zip(missing, vectors))
            found.update(computed)
            origin.update(dict.fromkeys(missing, "encoded"))
            work.encoder_sequences += len(missing)
            if self._embeddings is not None:
                self._embeddings.put_many(self.fingerprint(), {t: v for t, v in computed.items() if t in context})
        for text in context:
            self._run_embeddings[text] = found[text]
        for role, texts in by_role.items():
            counts = work.sentences[role]
            for text in texts:
                setattr(counts, origin[text], getattr(counts, origin[text]) + 1)
        return found


def _sample(source: str, hypothesis: str, reference: str | None) -> dict:
    sample = {"src": source, "mt": hypothesis}
    if reference is not None:
        sample["ref"] = reference
    return sample
