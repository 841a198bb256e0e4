"""The ``ctranslate2`` engine for Marian models.

A ``transformers`` Marian directory is converted to CTranslate2 once per
precision and kept in ``default_cache_dir()/ct2/<fingerprint[:16]>-<precision>``
(converted into a temporary directory and renamed, so an interrupted
conversion never leaves half a model behind). Sentences are tokenised with
the model's own ``source.spm``/``target.spm`` exactly as ``MarianTokenizer``
does (pieces, then ``</s>``).

Thread layout: ``inter_threads`` independent single-threaded workers
(``intra_threads=1``), one per core, with twice as many batches in flight as
workers. On the 2-core benchmark machine this decodes about 1.7x faster than
one worker using both cores (see ``benchmarks/translate_bench.py``).

Vocabulary shortlist: :func:`build_shortlist` writes a CTranslate2 vocabulary
map (``source piece<TAB>target pieces``) learned from data; an engine made with
``shortlist=<that file>`` loads a variant of the converted model whose
``vmap.txt`` is that file and decodes with ``use_vmap=True``, so the output
layer only scores the candidates of the batch's source pieces plus the
always-allowed frequent pieces. It changes outputs, so it is off by default.

``ctranslate2`` is imported inside the functions that need it.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter, defaultdict, deque
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from mteval.errors import CacheError, InputError, os_error_sentence
from mteval.caches.paths import default_cache_dir
from mteval.systems.translate.ct2_precision import ct2_device, default_precision

PRECISIONS = ("int8", "int8_float32", "int16", "float32")
SPECIAL_TOKENS = frozenset({"</s>", "<unk>", "<pad>"})
MARKER = "mteval-ct2.json"
# Kept out of the symlinked shortlist variants of a converted model.
_VARIANT_SKIP = {"vmap.txt", MARKER}


def default_threads() -> tuple[int, int]:
    """(inter_threads, intra_threads): one single-threaded worker per available core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, cores), 1


def converted_dir(fingerprint: str, precision: str, cache_dir: Path | None = None) -> Path:
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return root / "ct2" / f"{fingerprint[:16]}-{precision}"


def _check_precision(precision: str) -> None:
    if precision not in PRECISIONS:
        raise InputError(f"Precision '{precision}' is not one the ctranslate2 engine offers; choose one of {', '.join(PRECISIONS)}.")


def _publish(tmp: Path, final: Path) -> Path:
    """Rename a finished ``tmp`` directory to ``final``; another process may have won the race."""
    try:
        os.rename(tmp, final)
    except OSError:
        if not (final / MARKER).exists():
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def convert_model(model_dir: Path, fingerprint: str, precision: str = "int8", *, cache_dir: Path | None = None) -> Path:
    """The CTranslate2 copy of a ``transformers`` Marian directory, converting it on first use."""
    from mteval.systems.translate.models import model_load_errors

    _check_precision(precision)
    final = converted_dir(fingerprint, precision, cache_dir)
    if (final / MARKER).exists():
        return final
    import ctranslate2

    if final.exists() and not final.is_dir():
        raise CacheError(f"{final}: cannot keep the converted CTranslate2 model there: a file is in the way.")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    except OSError as err:
        raise CacheError(os_error_sentence(err, final.parent, "keep the converted CTranslate2 model there")) from None
    try:
        source = Path(model_dir)
        if _pad_is_not_last(source):
            source = _copy_with_pad_last(source, tmp / "_reordered")
        converter = ctranslate2.converters.TransformersConverter(str(source), copy_files=["source.spm", "target.spm"])
        out = tmp / "model"
        converter.convert(str(out), quantization=precision)
        shutil.rmtree(tmp / "_reordered", ignore_errors=True)
        record = {
            "source_fingerprint": fingerprint,
            "precision": precision,
            "ctranslate2": ctranslate2.__version__,
            "pad_start_embedding_is_zero": _pad_embedding_is_zero(Path(model_dir)),
        }
        (out / MARKER).write_text(json.dumps(record, indent=1), encoding="utf-8")  # written last: complete
        _publish(out, final)
    except model_load_errors() as err:
        raise InputError(f"{model_dir}: cannot convert this Marian model to CTranslate2 ({type(err).__name__}: {err}).") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _pad_is_not_last(model_dir: Path) -> bool:
    """CTranslate2's Marian converter drops the *last* vocabulary row as ``<pad>``.

    Checkpoints converted from Marian have ``<pad>`` last; models built with
    ``transformers`` directly (like the test model) may not.
    """
    vocab_file = model_dir / "vocab.json"
    if not vocab_file.exists():
        return False
    vocab = json.loads(vocab_file.read_text(encoding="utf-8"))
    return vocab.get("<pad>", len(vocab) - 1) != max(vocab.values())


def _copy_with_pad_last(model_dir: Path, out: Path) -> Path:
    """A copy of the model whose vocabulary (and every vocabulary-sized weight) has ``<pad>`` moved last."""
    import torch
    from transformers import MarianMTModel

    vocab = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
    size = max(vocab.values()) + 1
    pad = vocab["<pad>"]
    order = [i for i in range(size) if i != pad] + [pad]
    new_id = {old: new for new, old in enumerate(order)}
    model = MarianMTModel.from_pretrained(str(model_dir))
    perm = torch.tensor(order)
    done: set[int] = set()
    with torch.no_grad():
        for module in (model.model.shared, model.model.encoder.embed_tokens, model.model.decoder.embed_tokens, model.lm_head):
            if id(module.weight) not in done:  # tied weights are one Parameter: permute it once
                done.add(id(module.weight))
                module.weight.data = module.weight.data[perm].clone()
        model.final_logits_bias.copy_(model.final_logits_bias[:, perm])
    model.tie_weights()
    for config in (model.config, model.generation_config):
        for key in ("pad_token_id", "decoder_start_token_id", "eos_token_id", "forced_eos_token_id"):
            value = getattr(config, key, None)
            if isinstance(value, int):
                setattr(config, key, new_id[value])
    out.mkdir(parents=True)
    model.save_pretrained(str(out))
    reordered = {token: new_id[index] for token, index in vocab.items()}
    (out / "vocab.json").write_text(json.dumps(reordered, ensure_ascii=False), encoding="utf-8")
    for name in ("source.spm", "target.spm", "special_tokens_map.json"):
        if (model_dir / name).exists():
            shutil.copy(model_dir / name, out / name)
    config = json.loads((model_dir / "tokenizer_config.json").read_text(encoding="utf-8"))
    config.pop("added_tokens_decoder", None)  # ids changed; MarianTokenizer rebuilds them from vocab.json
    (out / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    return out


def shortlist_dir(base: Path, shortlist: Path) -> Path:
    """A variant of a converted model whose ``vmap.txt`` is ``shortlist`` (weights are symlinked)."""
    data = Path(shortlist).read_bytes()
    final = base.parent / f"{base.name}-vmap-{hashlib.sha256(data).hexdigest()[:12]}"
    if (final / MARKER).exists():
        return final
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=base.parent))
    for item in base.iterdir():
        if item.name not in _VARIANT_SKIP:
            (tmp / item.name).symlink_to(item.resolve())
    (tmp / "vmap.txt").write_bytes(data)
    (tmp / MARKER).write_text((base / MARKER).read_text(encoding="utf-8"), encoding="utf-8")
    return _publish(tmp, final)


def build_shortlist(
    sources: Sequence[Sequence[str]],
    targets: Sequence[Sequence[str]],
    *,
    target_spm: Path | None = None,
    per_source: int = 32,
    frequent: int = 1000,
    out: Path,
) -> Path:
    """Write a CTranslate2 vocabulary map learned from parallel token sequences.

    ``sources``/``targets`` are aligned lists of sentencepiece pieces (a
    parallel corpus, or sources with the model's own full-vocabulary
    translations). Each source piece is mapped to the ``per_source`` target
    pieces that co-occur with it most often, ranked by count weighted by how
    specific the pair is (count / sqrt(target frequency)); the always-allowed
    line holds the ``frequent`` most frequent target pieces of the data, topped
    up from ``target_spm``'s unigram scores (the piece probabilities of the
    model's own training data) when it is given.
    """
    if len(sources) != len(targets):
        raise InputError(f"The shortlist needs aligned sentences; got {len(sources)} sources and {len(targets)} targets.")
    target_freq: Counter[str] = Counter()
    pair_count: dict[str, Counter[str]] = defaultdict(Counter)
    for src, tgt in zip(sources, targets):
        tgt_set = {t for t in tgt if t not in SPECIAL_TOKENS}
        target_freq.update(tgt_set)
        for s in {s for s in src if s not in SPECIAL_TOKENS}:
            pair_count[s].update(tgt_set)
    always = [t for t, _ in target_freq.most_common(frequent)]
    if target_spm is not None and len(always) < frequent:
        import sentencepiece as spm

        processor = spm.SentencePieceProcessor(model_file=str(target_spm))
        ranked = sorted(
            (i for i in range(processor.get_piece_size()) if not (processor.is_control(i) or processor.is_unknown(i))),
            key=lambda i: -processor.get_score(i),
        )
        chosen = set(always)
        for index in ranked:
            if len(always) >= frequent:
                break
            piece = processor.id_to_piece(index)
            if piece not in chosen:
                chosen.add(piece)
                always.append(piece)
    lines = ["\t" + " ".join(always)]
    for piece in sorted(pair_count):
        counts = pair_count[piece]
        best = sorted(counts, key=lambda t: (-counts[t] / target_freq[t] ** 0.5, t))[:per_source]
        if " " in piece or "\t" in piece:
            continue
        lines.append(piece + "\t" + " ".join(best))
    from mteval.output_files import write_text

    return write_text(Path(out), "\n".join(lines) + "\n", what="the vocabulary shortlist")


class CTranslate2Engine:
    """Greedy or beam search with CTranslate2 (CPU, or CUDA when present), several batches in flight."""

    name = "ctranslate2"

    def __init__(
        self,
        model_dir: Path,
        *,
        settings,
        fingerprint: str = "",
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        shortlist: str | Path | None = None,
        cache_dir: Path | None = None,
    ):
        import ctranslate2
        import sentencepiece as spm

        from mteval.systems.translate.models import check_marian_directory, fingerprint_directory

        check_marian_directory(Path(model_dir))
        self.settings = settings
        self.device = ct2_device(settings.device)
        if self.device == "cuda" and not ctranslate2.get_cuda_device_count():  # asked for, not found ("auto" is cpu then)
            raise InputError(f"Device '{settings.device}' was asked for but ctranslate2 sees no CUDA device; use --device cpu.")
        self.precision = settings.precision
        if self.precision == "default":
            self.precision = default_precision(self.device)[0]
        _check_precision(self.precision)
        supported = ctranslate2.get_supported_compute_types(self.device)
        if self.precision not in supported:
            raise InputError(
                f"ctranslate2 cannot compute in {self.precision} on this {self.device}; "
                f"choose one of {', '.join(sorted(supported))}."
            )
        self.model_dir = Path(model_dir)
        for name in ("source.spm", "target.spm"):
            if not (self.model_dir / name).exists():
                raise InputError(f"{self.model_dir}: not a Marian model directory (it has no {name}).")
        self.fingerprint = fingerprint or fingerprint_directory(self.model_dir)
        default_inter, default_intra = default_threads()
        self.inter_threads = _pick(inter_threads, getattr(settings, "inter_threads", None), "MTEVAL_CT2_INTER_THREADS", default_inter)
        self.intra_threads = _pick(intra_threads, getattr(settings, "intra_threads", None), "MTEVAL_CT2_INTRA_THREADS", default_intra)
        if shortlist is None:
            shortlist = getattr(settings, "shortlist", None)  # part of the translation cache key
        self.shortlist = Path(shortlist) if shortlist else None
        if self.shortlist is not None and not self.shortlist.is_file():
            raise InputError(f"{self.shortlist}: no such vocabulary shortlist file.")

        self.converted = convert_model(self.model_dir, self.fingerprint, self.precision, cache_dir=cache_dir)
        load_dir = shortlist_dir(self.converted, self.shortlist) if self.shortlist else self.converted
        try:
            self.translator = ctranslate2.Translator(
                str(load_dir),
                device=self.device,
                compute_type=self.precision,
                inter_threads=self.inter_threads,
                intra_threads=self.intra_threads,
            )
        except (RuntimeError, ValueError) as err:
            raise InputError(f"{load_dir}: ctranslate2 cannot load this converted model ({err}).") from None
        self.source_spm = spm.SentencePieceProcessor(model_file=str(self.model_dir / "source.spm"))
        self.target_spm = spm.SentencePieceProcessor(model_file=str(self.model_dir / "target.spm"))
        self.in_flight = 2 * self.inter_threads
        self._forced_eos = int(_forced_eos(self.model_dir))
        self._marker = json.loads((self.converted / MARKER).read_text(encoding="utf-8"))
        self._version = ctranslate2.__version__

    # -- tokenisation, as MarianTokenizer does it --------------------------------
    def encode(self, sentence: str) -> list[str]:
        code: list[str] = []
        if sentence.startswith(">>") and (end := sentence.find("<<")) != -1:
            code, sentence = [sentence[: end + 2]], sentence[end + 2 :]
        pieces = code + self.source_spm.encode(sentence, out_type=str)
        return pieces[: max(self.settings.max_length - 1, 0)] + ["</s>"]

    def decode(self, pieces: Sequence[str]) -> str:
        return self.target_spm.decode_pieces([p for p in pieces if p not in SPECIAL_TOKENS]).replace("\u2581", " ").strip()

    # -- translation ---------------------------------------------------------------
    def decode_options(self, **overrides: Any) -> dict[str, Any]:
        options = {
            "beam_size": self.settings.beam_size,
            # transformers' max_length counts the decoder start token, and a forced
            # EOS takes the last place when the output is cut.
            "max_decoding_length": max(self.settings.max_length - 1 - self._forced_eos, 1),
            "max_input_length": 0,
            "use_vmap": self.shortlist is not None,
        }
        options.update(overrides)
        return options

    def submit(self, batch: Sequence[str], **overrides: Any):
        """Queue one batch of sentences; returns its pending results."""
        return self.submit_tokens([self.encode(sentence) for sentence in batch], **overrides)

    def submit_tokens(self, batch: Sequence[Sequence[str]], **overrides: Any):
        """Queue one batch of source pieces (each ending with ``</s>``); returns its pending results."""
        return self.translator.translate_batch([list(t) for t in batch], asynchronous=True, **self.decode_options(**overrides))

    def translate_token_batches(self, batches: Iterable[Sequence[Sequence[str]]], **overrides: Any) -> Iterator[list[list[str]]]:
        """Output pieces of each batch of source pieces, in batch order, ``in_flight`` batches queued."""
        window: deque = deque()
        for batch in batches:
            window.append(self.submit_tokens(batch, **overrides))
            if len(window) >= self.in_flight:
                yield self.collect_tokens(window.popleft())
        while window:
            yield self.collect_tokens(window.popleft())

    def collect_tokens(self, pending) -> list[list[str]]:
        return [result.result().hypotheses[0] for result in pending]

    def translate_batches(self, batches: Iterable[list[str]], **overrides: Any) -> Iterator[list[str]]:
        tokenised = ([self.encode(sentence) for sentence in batch] for batch in batches)
        for outputs in self.translate_token_batches(tokenised, **overrides):
            yield [self.decode(pieces) for pieces in outputs]

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        return next(self.translate_batches([list(sentences)]))

    def provenance(self) -> dict[str, Any]:
        return {
            "engine_statement": (
                f"Translated by CTranslate2 {self._version} in {self.precision} on the {self.device.upper()} "
                f"({self.inter_threads} worker(s) x {self.intra_threads} thread(s)"
                + (f", vocabulary shortlist {self.shortlist.name}" if self.shortlist else ", full output vocabulary")
                + ")."
            ),
            "engine_versions": {"ctranslate2": self._version},
            "device": self.device,
            "converted_model": str(self.converted),
            "inter_threads": self.inter_threads,
            "intra_threads": self.intra_threads,
            "shortlist": str(self.shortlist) if self.shortlist else None,
            "start_embedding_note": (
                None if self._marker.get("pad_start_embedding_is_zero") is not False else
                "This model's <pad> start embedding is not zero; CTranslate2 starts the decoder from zero as Marian does, "
                "so its translations differ from the transformers engine's."
            ),
        }


def _forced_eos(model_dir: Path) -> bool:
    for name in ("generation_config.json", "config.json"):
        path = model_dir / name
        if path.exists():
            value = json.loads(path.read_text(encoding="utf-8")).get("forced_eos_token_id")
            if value is not None:
                return True
    return False


def _pad_embedding_is_zero(model_dir: Path) -> bool | None:
    """Whether the ``<pad>`` row transformers starts the decoder from is zero, as in every Marian checkpoint."""
    vocab_file = model_dir / "vocab.json"
    weights = model_dir / "model.safetensors"
    if not (vocab_file.exists() and weights.exists()):
        return None
    from safetensors import safe_open

    pad = json.loads(vocab_file.read_text(encoding="utf-8")).get("<pad>")
    with safe_open(str(weights), framework="numpy") as handle:
        for key in ("model.shared.weight", "model.decoder.embed_tokens.weight"):
            if key in handle.keys():
                return not handle.get_slice(key)[pad : pad + 1].any()
    return None


def _pick(explicit: int | None, from_settings: int | None, env: str, default: int) -> int:
    for value in (explicit, from_settings, os.environ.get(env)):
        if value not in (None, ""):
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise InputError(f"{env} must be a whole number of threads, not '{value}'.") from None
            if number < 1:
                raise InputError(f"{env} must be at least 1, not {number}.")
            return number
    return default
