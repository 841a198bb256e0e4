"""Loading a resolved COMET checkpoint, with its failures turned into one sentence each.

A COMET checkpoint is code as much as data: it is unpickled when loaded. It is
loaded with ``torch.load(weights_only=True)`` (the torch default since 2.6),
memory-mapped, or through Lightning where the mapped shortcut does not apply;
either way pickled objects other than tensors and plain containers are
refused; ``hparams.yaml`` was already read with ``yaml.safe_load`` by
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
    import zipfile

    try:
        with quiet_third_party():
            model = _load_mapped(resolved) or _load_without_random_init(load_from_checkpoint, resolved.checkpoint)
    except (pickle.UnpicklingError, EOFError, RuntimeError, ValueError, KeyError, TypeError, AttributeError) as err:
        if not zipfile.is_zipfile(resolved.checkpoint):
            # torch.save has written zip archives since torch 1.6, Lightning's COMET checkpoints included;
            # what torch reports of other bytes ("KeyError: 174812789", an unpickling error) tells nothing
            raise InputError(
                f"COMET checkpoint {resolved.checkpoint} is not a PyTorch checkpoint (not the zip archive that "
                f"torch.save writes): the file is damaged or its download did not finish."
            ) from None
        if isinstance(err, pickle.UnpicklingError):
            raise InputError(
                f"COMET checkpoint {resolved.checkpoint} holds pickled code that the safe loader refuses "
                f"({str(err).splitlines()[0][:160]}); only tensors and plain values are loaded."
            ) from None
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


def _load_mapped(resolved: ResolvedModel):
    """The model with the checkpoint's tensors memory-mapped and assigned, not read and copied; None when
    the checkpoint is not one this shortcut reproduces exactly (then the stock loader runs).

    ``comet.load_from_checkpoint`` reads every tensor through Lightning into new memory and copies it
    into freshly allocated parameters: about 10 s of every run for an xlm-roberta-large checkpoint on a
    2-core CPU, against 0.1 s mapped (``benchmarks/ci_bench.py``, profiled). This builds the model the
    way Lightning does for a COMET checkpoint (the class named by ``class_identifier``, the
    checkpoint's own ``hyper_parameters`` with ``load_pretrained_weights=False``) without drawing
    random weights, and takes the checkpoint's tensors as the parameters (copy-on-write mappings: the
    file is never written). It is used only when the checkpoint is a zip archive holding every
    parameter of the model and nothing else, and not for the "sparsemax_patch" layer mix, which
    COMET's loader rewrites by its version.
    """
    import inspect
    import pickle
    import zipfile

    import torch

    if resolved.hparams.get("layer_transformation") == "sparsemax_patch" or not zipfile.is_zipfile(resolved.checkpoint):
        return None
    try:
        from comet.models import str2model
        from transformers.modeling_utils import no_init_weights
    except ImportError:
        return None
    model_class = str2model.get(resolved.hparams.get("class_identifier"))
    if model_class is None:
        return None
    try:
        stored = torch.load(resolved.checkpoint, map_location="cpu", weights_only=True, mmap=True)
    except (RuntimeError, OSError, ValueError, EOFError, pickle.UnpicklingError):
        return None  # the stock loader reads it again and reports what is wrong with it in its own terms
    if not isinstance(stored, dict) or not isinstance(stored.get("hyper_parameters"), dict) \
            or not isinstance(stored.get("state_dict"), dict):
        return None
    # what comet.load_from_checkpoint passes over the checkpoint's own hyper-parameters
    kwargs = {**stored["hyper_parameters"], "load_pretrained_weights": False, "local_files_only": False}
    accepted = inspect.signature(model_class.__init__).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values()):
        kwargs = {k: v for k, v in kwargs.items() if k in accepted}  # as Lightning filters them
    with no_init_weights():
        model = model_class(**kwargs)
    if set(model.state_dict()) != set(stored["state_dict"]):
        return None
    model.load_state_dict(stored["state_dict"], strict=True, assign=True)
    return model


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
