"""Loading a resolved COMET checkpoint, with its failures turned into one sentence each.

A COMET checkpoint is code as much as data: it is unpickled when loaded. It is
loaded through Lightning with ``torch.load(weights_only=True)`` (the torch
default since 2.6), which refuses pickled objects other than tensors and plain
containers; ``hparams.yaml`` was already read with ``yaml.safe_load`` by
:mod:`mteval.metrics.comet.resolve`. Still, only load checkpoints from sources
you trust.
"""
from __future__ import annotations

from pathlib import Path

from mteval.errors import InputError, ModelUnavailableError
from mteval.metrics.comet.precision import apply_precision
from mteval.metrics.comet.resolve import ResolvedModel


def load_model(resolved: ResolvedModel, *, precision: str, device: str):
    """The COMET model in eval mode, without MC dropout, in ``precision`` on ``device``."""
    from mteval.metrics.quiet import quiet_third_party

    try:
        with quiet_third_party():
            from comet import load_from_checkpoint
    except ImportError as err:
        raise ModelUnavailableError(
            resolved.name, kind="COMET model", option="--comet-model", detail=f"comet not importable: {err}"
        ) from None
    import pickle

    try:
        with quiet_third_party():
            model = _load_without_random_init(load_from_checkpoint, resolved.checkpoint)
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
            str(resolved.hparams.get("pretrained_model", resolved.name)),
            kind="COMET encoder",
            option="--comet-model",
            detail=f"needed by {resolved.name}",
        ) from None
    model.eval()
    if model.mc_dropout:  # UnifiedMetric.set_mc_dropout raises even for 0, so only turn off what is on
        model.set_mc_dropout(0)
    return apply_precision(model, precision, device)


def _load_without_random_init(load_from_checkpoint, checkpoint: Path):
    """``comet.load_from_checkpoint`` without first drawing random weights that the checkpoint then replaces.

    Building the encoder draws random values for every parameter (about 11 s for
    xlm-roberta-large on a 2-core CPU) before the checkpoint overwrites them.
    Under transformers' ``no_init_weights`` the parameters are left unset, so the
    model is kept only when the checkpoint holds every one of its entries; otherwise
    it is loaded again the stock way.
    """
    import torch

    try:
        from transformers.modeling_utils import no_init_weights
    except ImportError:
        return load_from_checkpoint(str(checkpoint))
    with no_init_weights():
        model = load_from_checkpoint(str(checkpoint))
    stored = torch.load(checkpoint, map_location="cpu", weights_only=True, mmap=True)
    state = stored.get("state_dict") if isinstance(stored, dict) else None
    if isinstance(state, dict) and set(model.state_dict()) <= set(state):
        return model
    return load_from_checkpoint(str(checkpoint))
