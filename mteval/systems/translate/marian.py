"""The ``transformers`` engine for Marian models."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from mteval.errors import InputError
from mteval.systems.translate.models import check_marian_directory, model_load_errors


def pick_device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise InputError(f"Device '{device}' was asked for but no CUDA device is available; use --device cpu.")
    return device


class TransformersEngine:
    """Beam search with ``MarianMTModel.generate`` in float32."""

    name = "transformers"

    def __init__(self, model_dir: Path, *, settings, fingerprint: str = ""):
        import torch
        import transformers
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        check_marian_directory(model_dir)
        self.settings = settings
        self.precision = "float32"
        self.device = pick_device(settings.device)
        torch.manual_seed(settings.seed)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
            self.model = AutoModelForSeq2SeqLM.from_pretrained(str(model_dir)).to(self.device).eval()
        except model_load_errors() as err:
            raise InputError(f"{model_dir}: cannot load a Marian model from it ({type(err).__name__}: {err}).") from None
        self._versions = {"transformers": transformers.__version__, "torch": torch.__version__}
        self._revision = getattr(self.model.config, "_commit_hash", None)

    def translate_batches(self, batches: Iterable[list[str]]) -> Iterator[list[str]]:
        for batch in batches:
            yield self.translate_batch(batch)

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        import torch

        batch = self.tokenizer(
            list(sentences), return_tensors="pt", padding=True, truncation=True, max_length=self.settings.max_length
        ).to(self.device)
        with torch.inference_mode():
            generated = self.model.generate(
                **batch,
                num_beams=self.settings.beam_size,
                max_length=self.settings.max_length,
                do_sample=False,
            )
        return self.tokenizer.batch_decode(generated, skip_special_tokens=True)

    def provenance(self) -> dict[str, Any]:
        return {"engine_versions": self._versions, "revision": self._revision, "device": self.device}
