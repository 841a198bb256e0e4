"""Machine translation of source sentences, behind a persistent cache.

An *engine* turns a batch of sentences into translations (``transformers``
or ``ctranslate2``); :class:`Translator` sorts sentences by length, batches
them, restores their order and consults the cache first, so a second run of
the same job translates nothing and loads no model.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
from dataclasses import asdict, dataclass, replace
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

from mteval.devices import check_device_name
from mteval.errors import InputError
from mteval.systems.translate.models import fingerprint_directory, resolve_model_dir
from mteval.caches.translations import TranslationCache

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-id-en"

# Engine name -> "module:class", imported only when the engine is used.
ENGINES: dict[str, str] = {
    "transformers": "mteval.systems.translate.marian:TransformersEngine",
    "ctranslate2": "mteval.systems.translate.ct2:CTranslate2Engine",
}


@dataclass(frozen=True)
class DecodeSettings:
    beam_size: int = 4
    max_length: int = 256
    batch_size: int = 16
    device: str = "cpu"
    seed: int = 0
    precision: str = "default"
    shortlist: str | None = None  # ctranslate2 vocabulary map (changes beam-search outputs)
    inter_threads: int | None = None  # ctranslate2 workers (default: one per core)
    intra_threads: int | None = None  # threads per ctranslate2 worker (default: 1)

    def __post_init__(self) -> None:
        # a name no engine knows ("gpu") must not quietly run on the CPU
        check_device_name(self.device, what="Translation device (--device)")

    def cache_key(self, engine: str, precision: str) -> str:
        """The settings that can change a translation (not batch size, device or threads)."""
        return json.dumps(
            {
                "engine": engine,
                "engine_version": engine_version(engine),
                "precision": precision,
                "beam_size": self.beam_size,
                "max_length": self.max_length,
                "shortlist": _file_digest(self.shortlist),
            },
            sort_keys=True,
        )


def engine_version(engine: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(engine)
    except metadata.PackageNotFoundError:
        return None


def _file_digest(path: str | None) -> str | None:
    if not path:
        return None
    import hashlib
    from pathlib import Path

    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        raise InputError(f"{path}: no such vocabulary shortlist file.") from None


class Engine(Protocol):
    name: str
    precision: str

    def translate_batches(self, batches: Iterable[list[str]]) -> Iterator[list[str]]:
        """Translations of each batch, yielded in batch order (several may be in flight)."""
        ...

    def provenance(self) -> dict[str, Any]: ...


def default_engine() -> str:
    """``ctranslate2`` when it is installed, else ``transformers``."""
    return "ctranslate2" if importlib.util.find_spec("ctranslate2") is not None else "transformers"


def engine_precision(engine: str, settings: DecodeSettings) -> tuple[str, str | None]:
    """The precision an engine runs in, and why when it was the default that chose it."""
    if engine != "ctranslate2":
        # The transformers engine runs in float32 and has no shortlist: a setting it cannot honour is refused,
        # not recorded (and keyed in the cache) as if it had been applied.
        if settings.precision not in ("default", "float32"):
            raise InputError(f"--precision {settings.precision} is a ctranslate2 compute type; the {engine} engine "
                             "runs in float32 (use --engine ctranslate2, or leave --precision out).")
        if settings.shortlist:
            raise InputError(f"--shortlist is a ctranslate2 option; the {engine} engine has none "
                             "(use --engine ctranslate2, or leave --shortlist out).")
        return "float32", None
    if settings.precision != "default":
        return settings.precision, None
    from mteval.systems.translate.ct2_precision import ct2_device, default_precision

    return default_precision(ct2_device(settings.device))


class Translator:
    """Translate sentences with one Marian model, consulting a cache first."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        engine: str = "auto",
        settings: DecodeSettings | None = None,
        cache: TranslationCache | None | bool = None,
    ):
        self.model = model
        self.settings = settings or DecodeSettings()
        self.engine_name = default_engine() if engine == "auto" else engine
        if self.engine_name not in ENGINES:
            raise InputError(f"Unknown translation engine '{engine}'; choose one of {', '.join(ENGINES)}.")
        self.precision, self.precision_reason = engine_precision(self.engine_name, self.settings)
        self.settings_key = self.settings.cache_key(self.engine_name, self.precision)
        self.model_dir = resolve_model_dir(model)
        self.fingerprint = fingerprint_directory(self.model_dir)
        if cache is False:
            self.cache = None
        else:
            self.cache = cache if isinstance(cache, TranslationCache) else TranslationCache()
        self._engine: Engine | None = None
        self.model_calls = 0
        self.sentences_translated = 0


    def engine(self) -> Engine:
        """The loaded engine (the model is loaded on first use only)."""
        if self._engine is None:
            module_name, class_name = ENGINES[self.engine_name].split(":")
            engine_class = getattr(importlib.import_module(module_name), class_name)
            # the precision resolved once, here, so the engine runs in the one the cache key names
            settings = replace(self.settings, precision=self.precision)
            self._engine = engine_class(self.model_dir, settings=settings, fingerprint=self.fingerprint)
        return self._engine

    def translate(self, sentences: Sequence[str], *, progress: Callable[[int], None] | None = None,
                  reused: Callable[[int], None] | None = None) -> list[str]:
        """Translations of ``sentences``, in their order.

        ``progress(n)`` is told of each batch translated; the sentences that need
        no model (cached, repeated or empty) go to ``reused(n)`` once, first, when
        given, else to ``progress``.
        """
        if not sentences:
            return []
        known = self.cache.get_many(self.fingerprint, self.settings_key, sentences) if self.cache is not None else {}
        pending = sorted({s for s in sentences if s not in known and s.strip()}, key=len)
        if reused:
            reused(len(sentences) - len(pending))
        elif progress:
            progress(len(sentences) - len(pending))
        batches = [pending[i : i + self.settings.batch_size] for i in range(0, len(pending), self.settings.batch_size)]
        if not batches:
            return [known.get(s, "") for s in sentences]
        for batch, outputs in zip(batches, self.engine().translate_batches(batches)):
            self.model_calls += 1
            self.sentences_translated += len(batch)
            fresh = dict(zip(batch, outputs))
            if self.cache is not None:
                self.cache.put_many(self.fingerprint, self.settings_key, fresh)
            known.update(fresh)
            if progress:
                progress(len(batch))
        return [known.get(s, "") for s in sentences]

    def provenance(self) -> dict[str, Any]:
        record = {
            "model": self.model,
            "model_dir": str(self.model_dir),
            "model_fingerprint": self.fingerprint,
            "engine": self.engine_name,
            "precision": self.precision,
            "precision_reason": self.precision_reason,
            "decoding": asdict(self.settings),
            "model_loaded": self._engine is not None,
            "sentences_translated": self.sentences_translated,
        }
        if self._engine is not None:
            record.update(self._engine.provenance())
        else:  # every translation came from the cache, whose key holds the engine version that made it
            record["engine_versions"] = {self.engine_name: engine_version(self.engine_name)}
        return record
