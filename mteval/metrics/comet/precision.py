"""Devices and numeric paths for COMET: which device and precision a request means, and how a model is put there.

``fp32`` gives the numbers of COMET's Python ``predict``; ``bf16`` stores the
encoder's linear layers in bf16 and runs under autocast (AMX where the CPU has
it); ``fp16`` halves the whole model, as the ``comet-score`` CLI of
unbabel-comet 2.2 does; ``int8`` quantizes the encoder's linear layers
dynamically (CPU only); ``auto`` is bf16 where the device computes it natively,
else fp32.
"""
from __future__ import annotations

import contextlib

from mteval.errors import InputError

PRECISIONS = ("fp32", "bf16", "fp16", "int8", "auto")

def check_precision_name(precision: object) -> str:
    if precision not in PRECISIONS:
        raise InputError(f"COMET precision must be one of {', '.join(PRECISIONS)}, not {precision!r}.")
    return precision  # type: ignore[return-value]


def resolve_device(requested: str) -> str:
    """The device COMET runs on (a name :func:`mteval.devices.check_device_name` accepted): ``auto`` picks CUDA
    when torch sees it; CUDA asked for must be there."""
    import torch

    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device_class(requested) == "cuda" and not torch.cuda.is_available():
        raise InputError(f"COMET device {requested!r} was asked for, but torch sees no CUDA device here; "
                         "use --comet-device cpu (or auto).")
    return requested


def device_class(device: str) -> str:
    """``cpu`` or ``cuda``: what a cached number depends on (not which GPU of a kind computed it)."""
    return "cuda" if device.startswith("cuda") else "cpu"


def resolve_precision(requested: str, device: str) -> str:
    precision = requested
    if precision == "auto":
        precision = "bf16" if native_bf16(device) else "fp32"
    if precision == "int8" and device != "cpu":
        raise InputError("COMET int8 precision runs on the CPU only; use --comet-device cpu or another precision.")
    return precision


def native_bf16(device: str) -> bool:
    import torch

    if device.startswith("cuda"):
        return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def apply_precision(model, precision: str, device: str):
    """Put a loaded COMET model into ``precision`` on ``device`` (in place; returns it)."""
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


def autocast(precision: str, device: str):
    """The context a forward pass runs in: bf16 autocast for ``bf16``, nothing otherwise."""
    import torch

    if precision == "bf16":
        return torch.autocast(device_type=device_class(device), dtype=torch.bfloat16)
    return contextlib.nullcontext()


def to_device(batch, device: str):
    """Tensors (also inside lists, tuples, dicts and transformers' BatchEncoding) moved to ``device``."""
    if device == "cpu":
        return batch
    if isinstance(batch, (list, tuple)):
        return type(batch)(to_device(v, device) for v in batch)
    if isinstance(batch, dict):
        return {k: to_device(v, device) for k, v in batch.items()}
    if hasattr(batch, "to"):
        return batch.to(device)
    return batch
