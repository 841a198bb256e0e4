"""COMET scores through ``unbabel-comet``, with a persistent score cache and a fast CPU path.

``CometScorer`` resolves a COMET model by local path (a model directory holding
``checkpoints/model.ckpt`` and ``hparams.yaml``, or the ``.ckpt`` file itself)
or by hub name (through ``comet.download_model``), and scores segments with the
model's own ``prepare_sample``/``predict_step`` code, so the scores are COMET's.
What mteval adds:

* batches of segments with similar token lengths (less padding), run straight
  through the model in ``torch.inference_mode`` rather than through a
  Lightning ``Trainer``;
* an optional faster numeric path on CPU: ``bf16`` (autocast; uses AMX where the
  CPU has it) or ``int8`` (dynamic quantization of the encoder's linear layers);
* a SQLite score cache keyed by a fingerprint of the checkpoint (file hash, the
  comet version and the precision) and the (source, hypothesis, reference)
  triple, so unchanged segments are never scored twice and a fully cached call
  loads no model at all.

A COMET checkpoint is code as much as data: it is unpickled when loaded. mteval
loads it through Lightning with ``torch.load(weights_only=True)`` (the torch
default since 2.6), which refuses pickled objects other than tensors and plain
containers, and reads ``hparams.yaml`` with ``yaml.safe_load`` before COMET does.
Still, only load checkpoints from sources you trust.

Nothing here imports torch or comet at import time.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from mteval.errors import CacheError, InputError, ModelUnavailableError
from mteval.caches.paths import default_cache_dir

DEFAULT_MODEL = "Unbabel/wmt22-comet-da"
PRECISIONS = ("fp32", "bf16", "fp16", "int8", "auto")
CACHE_FILENAME = "comet-scores.sqlite"
_CACHE_SCHEMA = 1
_HUB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")
# COMET model classes mteval can score with, by hparams ``class_identifier``.
_SCORING_CLASSES = ("regression_metric", "referenceless_regression_metric", "unified_metric", "xcomet_metric")


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


@dataclass(frozen=True)
class _Resolved:
    checkpoint: Path
    hparams: dict
    revision: str | None  # hub commit for hub models


def default_cache_path() -> Path:
    """Where the COMET score cache lives unless told otherwise (beside mteval's other caches)."""
    return default_cache_dir() / CACHE_FILENAME


def comet_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("unbabel-comet")
    except PackageNotFoundError:
        return "not installed"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_hparams(checkpoint: Path, model: str) -> dict:
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
    if hparams["class_identifier"] not in _SCORING_CLASSES:
        raise InputError(
            f"COMET model '{model}' is a '{hparams['class_identifier']}' model, which gives no segment scores; "
            f"use one of {', '.join(_SCORING_CLASSES)}."
        )
    return hparams


def _uses_reference(hparams: dict) -> bool:
    cls = hparams["class_identifier"]
    if cls == "referenceless_regression_metric":
        return False
    if cls in ("unified_metric", "xcomet_metric"):
        return "ref" in (hparams.get("input_segments") or ["mt", "src", "ref"])
    return True


def _needs_reference(hparams: dict) -> bool:
    cls = hparams["class_identifier"]
    if cls in ("unified_metric", "xcomet_metric"):
        return "src" not in (hparams.get("input_segments") or ["mt", "src", "ref"])
    return cls == "regression_metric"


class _ScoreCache:
    """SQLite store of segment scores keyed by (model fingerprint, segment key)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def _connect(self, *, create: bool) -> sqlite3.Connection | None:
        if not self.path.exists():
            if not create:
                return None
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.is_file():
            raise CacheError(f"The COMET score cache {self.path} is not a file; pass another cache path.")
        try:
            conn = sqlite3.connect(str(self.path), timeout=60)
        except sqlite3.Error as err:
            raise CacheError(f"The COMET score cache {self.path} cannot be opened ({err}); it was left untouched.") from None
        try:
            self._check_or_create(conn)
        except sqlite3.DatabaseError as err:
            conn.close()
            raise CacheError(
                f"The COMET score cache {self.path} is corrupt or not an mteval cache ({err}); "
                "it was left untouched, so move it away or pass another cache path."
            ) from None
        return conn

    def _check_or_create(self, conn: sqlite3.Connection) -> None:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            with conn:
                conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                conn.execute(
                    "CREATE TABLE scores (fingerprint TEXT NOT NULL, segment TEXT NOT NULL, score REAL NOT NULL, "
                    "PRIMARY KEY (fingerprint, segment)) WITHOUT ROWID"
                )
                conn.execute(
                    "CREATE TABLE checkpoints (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
                    "mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL)"
                )
                conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(_CACHE_SCHEMA),))
            return
        if not {"meta", "scores", "checkpoints"} <= tables:
            raise sqlite3.DatabaseError("unexpected tables " + ", ".join(sorted(tables)))
        row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row is None or row[0] != str(_CACHE_SCHEMA):
            raise sqlite3.DatabaseError(f"schema {row[0] if row else 'missing'}, expected {_CACHE_SCHEMA}")

    def _guard(self, action):
        try:
            return action()
        except sqlite3.DatabaseError as err:
            raise CacheError(
                f"The COMET score cache {self.path} is corrupt or not an mteval cache ({err}); "
                "it was left untouched, so move it away or pass another cache path."
            ) from None

    def lookup(self, fingerprint: str, keys: Sequence[str]) -> dict[str, float]:
        conn = self._connect(create=False)
        if conn is None:
            return {}
        found: dict[str, float] = {}

        def run() -> None:
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for segment, score in conn.execute(
                    f"SELECT segment, score FROM scores WHERE fingerprint=? AND segment IN ({marks})",
                    [fingerprint, *chunk],
                ):
                    found[segment] = score

        try:
            self._guard(run)
        finally:
            conn.close()
        return found

    def store(self, fingerprint: str, items: dict[str, float]) -> None:
        if not items:
            return
        conn = self._connect(create=True)
        try:
            def run() -> None:
                with conn:
                    conn.executemany(
                        "INSERT OR REPLACE INTO scores VALUES (?, ?, ?)",
                        [(fingerprint, key, float(score)) for key, score in items.items()],
                    )

            self._guard(run)
        finally:
            conn.close()

    def checkpoint_hash(self, checkpoint: Path) -> str:
        """sha256 of a checkpoint file, memoised by (path, size, mtime) so large files are hashed once."""
        stat = checkpoint.stat()
        key = str(checkpoint.resolve())
        conn = self._connect(create=True)
        try:
            row = self._guard(
                lambda: conn.execute(
                    "SELECT sha256 FROM checkpoints WHERE path=? AND size=? AND mtime_ns=?",
                    (key, stat.st_size, stat.st_mtime_ns),
                ).fetchone()
            )
            if row:
                return row[0]
            digest = _file_sha256(checkpoint)

            def run() -> None:
                with conn:
                    conn.execute(
                        "INSERT OR REPLACE INTO checkpoints VALUES (?, ?, ?, ?)",
                        (key, stat.st_size, stat.st_mtime_ns, digest),
                    )

            self._guard(run)
            return digest
        finally:
            conn.close()


def _segment_key(source: str, hypothesis: str, reference: str | None) -> str:
    payload = json.dumps([source, hypothesis, reference], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
        cache: SQLite score cache path; ``None`` for the default under the user cache
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
        if precision not in PRECISIONS:
            raise InputError(f"COMET precision must be one of {', '.join(PRECISIONS)}, not {precision!r}.")
        if not isinstance(device, str) or not re.fullmatch(r"auto|cpu|cuda(:\d+)?", device):
            raise InputError(f"COMET device must be auto, cpu, cuda or cuda:N, not {device!r}.")
        self.model_name = str(model)
        self.batch_size = batch_size
        self.requested_device = device
        self.requested_precision = precision
        self.progress = progress
        if cache is True:
            cache = None
        if cache is False:
            self._cache: _ScoreCache | None = None
        else:
            self._cache = _ScoreCache(Path(cache).expanduser() if cache is not None else default_cache_path())
        self._resolved: _Resolved | None = None
        self._model = None
        self._device: str | None = None
        self._precision: str | None = None
        self._checkpoint_sha: str | None = None

    # -- resolution (no model loading) -------------------------------------------------

    @property
    def cache_path(self) -> Path | None:
        return self._cache.path if self._cache else None

    def _resolve(self) -> _Resolved:
        if self._resolved is not None:
            return self._resolved
        name = self.model_name
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
            checkpoint = self._download(name)
            parts = checkpoint.parts
            if len(parts) >= 4 and parts[-4] == "snapshots":
                revision = parts[-3]
        else:
            raise InputError(f"COMET model path '{name}' does not exist.")
        hparams = _read_hparams(checkpoint, name)
        self._resolved = _Resolved(checkpoint=checkpoint.resolve(), hparams=hparams, revision=revision)
        return self._resolved

    def _download(self, name: str) -> Path:
        try:
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

    @property
    def reference_free(self) -> bool:
        """True when the model scores without references (e.g. cometkiwi, referenceless regression)."""
        return not _uses_reference(self._resolve().hparams)

    @property
    def needs_reference(self) -> bool:
        return _needs_reference(self._resolve().hparams)

    def _resolve_device(self) -> str:
        if self._device is None:
            if self.requested_device == "auto":
                import torch

                self._device = "cuda" if torch.cuda.is_available() else "cpu"
            else:
                self._device = self.requested_device
        return self._device

    def _resolve_precision(self) -> str:
        if self._precision is None:
            precision = self.requested_precision
            device = self._resolve_device()
            if precision == "auto":
                precision = "bf16" if _native_bf16(device) else "fp32"
            if precision == "int8" and device != "cpu":
                raise InputError("COMET int8 precision runs on the CPU only; use --comet-device cpu or another precision.")
            self._precision = precision
        return self._precision

    def _checkpoint_hash(self) -> str:
        if self._checkpoint_sha is None:
            checkpoint = self._resolve().checkpoint
            self._checkpoint_sha = self._cache.checkpoint_hash(checkpoint) if self._cache else _file_sha256(checkpoint)
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
            "model_class": resolved.hparams["class_identifier"],
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

    # -- model loading ------------------------------------------------------------------

    def _load(self):
        if self._model is not None:
            return self._model
        resolved = self._resolve()
        try:
            from comet import load_from_checkpoint
        except ImportError as err:
            raise ModelUnavailableError(
                self.model_name, kind="COMET model", option="--comet-model", detail=f"comet not importable: {err}"
            ) from None
        import pickle

        try:
            model = load_from_checkpoint(str(resolved.checkpoint))
        except pickle.UnpicklingError as err:
            raise InputError(
                f"COMET checkpoint {resolved.checkpoint} holds pickled code that the safe loader refuses "
                f"({str(err).splitlines()[0][:160]}); only tensors and plain values are loaded."
            ) from None
        except (EOFError, RuntimeError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise InputError(
                f"COMET checkpoint {resolved.checkpoint} cannot be loaded ({type(err).__name__}: "
                f"{str(err).splitlines()[0][:160] if str(err) else 'no detail'})."
            ) from None
        except OSError:
            # The encoder's tokenizer/config (hparams 'pretrained_model') could not be fetched.
            raise ModelUnavailableError(
                str(resolved.hparams.get("pretrained_model", self.model_name)),
                kind="COMET encoder",
                option="--comet-model",
                detail=f"needed by {self.model_name}",
            ) from None
        model.eval()
        model.set_mc_dropout(0)
        model = _apply_precision(model, self._resolve_precision(), self._resolve_device())
        self._model = model
        return model

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
        uses_ref = _uses_reference(self._resolve().hparams)
        if not uses_ref:
            refs = None
        elif refs is not None and any(r is None for r in refs):
            missing = [i for i, r in enumerate(refs) if r is None]
            if _needs_reference(self._resolve().hparams):
                raise InputError(
                    f"COMET model '{self.model_name}' needs a reference for every segment, but segment {missing[0]} "
                    "has none; score those with a reference-free model such as Unbabel/wmt22-cometkiwi-da."
                )
        if refs is None and _needs_reference(self._resolve().hparams):
            raise InputError(
                f"COMET model '{self.model_name}' needs references; pass them or use a reference-free model."
            )

        samples = []
        for i, (src, mt) in enumerate(zip(srcs, hyps)):
            sample = {"src": src, "mt": mt}
            if refs is not None and refs[i] is not None:
                sample["ref"] = refs[i]
            samples.append(sample)
        keys = [_segment_key(s["src"], s["mt"], s.get("ref")) for s in samples]

        scores: list[float | None] = [None] * len(samples)
        fingerprint = None
        cached = 0
        if self._cache is not None:
            fingerprint = self.fingerprint()
            found = self._cache.lookup(fingerprint, keys)
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
            if self._cache is not None:
                self._cache.store(fingerprint, fresh)

        final = [float(s) for s in scores]
        system = math.fsum(final) / len(final)
        return CometResult(
            system_score=system,
            scores=final,
            provenance=self.provenance(segments=len(final), cached_segments=cached),
        )


# -- numeric paths ------------------------------------------------------------------------


def _native_bf16(device: str) -> bool:
    import torch

    if device.startswith("cuda"):
        return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def _apply_precision(model, precision: str, device: str):
    import torch

    if precision == "fp16":
        # What the comet-score CLI does (it calls model.half() unconditionally).
        model.half()
    elif precision == "int8":
        encoder = model.encoder.model
        model.encoder.model = torch.ao.quantization.quantize_dynamic(encoder, {torch.nn.Linear}, dtype=torch.qint8)
    elif precision == "bf16":
        # Store the encoder's linear layers in bf16 once, so autocast does not re-cast
        # ~300M weights on every forward pass (COMET freezes the encoder, and autocast
        # caches casts only for weights that require grad). Embeddings, layer norms,
        # the layer mix and the estimator stay fp32; autocast runs the matrix products
        # in bf16 (AMX where the CPU has it).
        for module in model.encoder.model.modules():
            if isinstance(module, torch.nn.Linear):
                module.to(torch.bfloat16)
    model.to(device)
    return model


def _to_device(batch, device: str):
    if device == "cpu":
        return batch
    if isinstance(batch, (list, tuple)):
        return type(batch)(_to_device(v, device) for v in batch)
    if isinstance(batch, dict):
        return {k: _to_device(v, device) for k, v in batch.items()}
    if hasattr(batch, "to"):  # tensors and transformers' BatchEncoding
        return batch.to(device)
    return batch


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices grouped into batches of similar length (longest first), so padding stays small."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def _token_lengths(model, samples: list[dict]) -> list[int]:
    tokenizer = model.encoder.tokenizer
    limit = model.encoder.max_positions - 2
    totals = [0] * len(samples)
    for field in ("src", "mt", "ref"):
        texts = [s.get(field) for s in samples]
        present = [i for i, t in enumerate(texts) if t is not None]
        if not present:
            continue
        encoded = tokenizer([texts[i] for i in present], add_special_tokens=True, truncation=True, max_length=limit)["input_ids"]
        for i, ids in zip(present, encoded):
            totals[i] += len(ids)
    return totals


def predict_fast(model, samples: list[dict], *, batch_size: int = 16, device: str = "cpu", precision: str = "fp32", progress: bool = False) -> list[float]:
    """Segment scores for ``samples`` (COMET sample dicts), in input order.

    Runs the model's own ``prepare_for_inference`` and ``predict_step`` on
    length-bucketed batches, without a Lightning Trainer. ``precision`` ``bf16``
    wraps the forward pass in autocast; ``int8`` expects a model whose encoder was
    quantized by ``_apply_precision``.
    """
    import contextlib

    import torch

    if not samples:
        return []
    lengths = _token_lengths(model, samples)
    # COMET's prepare_sample takes the fields of a batch from its first sample,
    # so samples with and without a reference go to different batches.
    groups: dict[tuple, list[int]] = {}
    for i, sample in enumerate(samples):
        groups.setdefault(tuple(sorted(sample)), []).append(i)
    batches = []
    for members in groups.values():
        for local in length_sorted_batches([lengths[i] for i in members], batch_size):
            batches.append([members[j] for j in local])
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(samples), desc="comet", unit=" segments", leave=False)
    device_type = "cuda" if device.startswith("cuda") else "cpu"
    autocast = (
        torch.autocast(device_type=device_type, dtype=torch.bfloat16)
        if precision == "bf16"
        else contextlib.nullcontext()
    )
    out: list[float | None] = [None] * len(samples)
    model.eval()
    with torch.inference_mode(), autocast:
        for indices in batches:
            inputs = model.prepare_for_inference([samples[i] for i in indices])
            inputs = _to_device(inputs, device)
            prediction = model.predict_step(inputs)
            values = prediction["scores"].float().view(-1).tolist()
            for i, value in zip(indices, values):
                out[i] = value
            if bar is not None:
                bar.update(len(indices))
    if bar is not None:
        bar.close()
    return out  # type: ignore[return-value]
