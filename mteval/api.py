"""The Python API: keyword-only, returns :class:`~mteval.results.Results`, prints nothing."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from mteval.documents.corpus import Corpus
from mteval.errors import InputError, ModelUnavailableError
from mteval.documents.loaders import attach_system, file_record, load_corpus
from mteval.metrics.base import LEXICAL_METRICS
from mteval.pair_audit.review import load_review
from mteval.pipeline.chunks import DEFAULT_CHUNK_SIZE
from mteval.pipeline.run import EvaluationSettings, default_lexical_options, evaluate_corpus
from mteval.results.records import Results


def _in_memory(source, reference, source_lang, reference_lang, presplit, line_parallel) -> Corpus:
    """One document from ``source``/``reference`` given as lists of lines (either side may be a file)."""
    from mteval.documents.corpus import DocumentPair
    from mteval.documents.loaders import read_lines, read_text
    from mteval.documents.text import is_text

    texts, inputs, counts = [], [], []
    for side, value in (("source", source), ("reference", reference)):
        if isinstance(value, (list, tuple)):
            if not all(isinstance(line, str) for line in value):
                raise InputError(f"{side}= as a list must hold strings (the document's lines).")
            if not all(is_text(line) for line in value):
                raise InputError(f"{side}= holds a lone surrogate (such as \\ud800), which is not text.")
            text = "\n".join(value)
            if not text.strip():
                raise InputError(f"{side}= is an empty list of lines.")
            inputs.append({"path": f"<{side} lines in memory>", "sha256": hashlib.sha256(text.encode()).hexdigest()})
            counts.append(f"{side}= has {len(value)} lines")
        elif line_parallel:  # a file's lines as sacrebleu reads them: its last line end closes a line
            lines = read_lines(value)
            text = "\n".join(lines)
            inputs.append(file_record(value))
            counts.append(f"{value} has {len(lines)} lines")
        else:
            text = read_text(value)
            inputs.append(file_record(value))
        texts.append(text)
    if line_parallel and texts[0].count("\n") != texts[1].count("\n"):
        raise InputError(f"{counts[0]} but {counts[1]}; line-parallel sides must have the same number of lines.")
    doc = DocumentPair.from_texts("document", texts[0], texts[1], source_lang=source_lang,
                                  reference_lang=reference_lang, presplit=presplit, line_parallel=line_parallel)
    return Corpus([doc], inputs=inputs)


def _as_corpus(corpus, source, reference, source_lang, reference_lang, presplit, line_parallel=False) -> Corpus:
    if corpus is not None:
        if isinstance(corpus, Corpus):
            return corpus
        if hasattr(corpus, "column_names"):
            from mteval.documents.loaders import from_dataset

            return from_dataset(corpus, source_lang=source_lang, reference_lang=reference_lang, presplit=presplit)
        return load_corpus(corpus, source_lang=source_lang, reference_lang=reference_lang, presplit=presplit,
                           line_parallel=line_parallel)
    if source is None:
        raise TypeError("evaluate() needs corpus= or source= (with reference=)")
    for side, value in (("source", source), ("reference", reference)):
        if value is not None and not isinstance(value, (str, Path, list, tuple)):
            raise TypeError(f"{side}= takes a file path or a list of lines, not {type(value).__name__}.")
    if isinstance(source, (list, tuple)) or isinstance(reference, (list, tuple)):
        if reference is None:
            raise TypeError("source= as a list of lines needs reference= (a list of lines or a file).")
        return _in_memory(source, reference, source_lang, reference_lang, presplit, line_parallel)
    return load_corpus(
        source, reference, source_lang=source_lang, reference_lang=reference_lang, presplit=presplit,
        line_parallel=line_parallel,
    )


def make_translators(models: str | Mapping[str, str] | None, *, engine: str = "auto", settings=None, cache: Any = None) -> dict[str, Any]:
    """``{name: Translator}``; a model that cannot be fetched maps to its error (reported as skipped)."""
    from mteval.systems.translate.translator import Translator

    if models is None:
        return {}
    if isinstance(models, str):
        models = {Path(models).name or models: models}
    translators: dict[str, Any] = {}
    for name, model in models.items():
        try:
            translators[name] = Translator(model, engine=engine, settings=settings, cache=cache)
        except ModelUnavailableError as err:
            translators[name] = err
    return translators


def _comet_choice(metrics: Sequence[str], comet_model: str | None) -> str | None:
    """Check ``metrics`` (unknown names raise ValueError) and refuse COMET asked for without a model."""
    from mteval.metrics.base import metric_info

    if isinstance(metrics, str):
        raise TypeError(f"metrics= takes a list of metric names, not the string '{metrics}'.")
    wanted = [m for m in metrics if metric_info(m).kind == "segment"]
    if wanted and comet_model is None:
        raise InputError(f"metrics= asks for {', '.join(wanted)} but no comet_model= was given (a hub name such "
                         "as 'Unbabel/wmt22-comet-da' or a local checkpoint).")
    return comet_model


def _lexical_options(tokenize: str | None, lowercase: bool, docs: Corpus):
    """sacrebleu's -tok/-lc as the CLI reads them; None (no choice made) leaves the run's default."""
    if tokenize is None and not lowercase:
        return None
    from sacrebleu.metrics.bleu import BLEU

    if not isinstance(lowercase, bool):
        raise InputError(f"lowercase= is True or False, not {lowercase!r}.")
    if tokenize is not None and tokenize not in BLEU.TOKENIZERS:
        raise InputError(f"tokenize='{tokenize}' is not one of sacrebleu's tokenizers: {', '.join(BLEU.TOKENIZERS)}.")
    return replace(default_lexical_options(docs), tokenize=tokenize, lowercase=lowercase)


def evaluate(
    *,
    corpus: Any = None,
    source: str | Path | Sequence[str] | None = None,
    reference: str | Path | Sequence[str] | None = None,
    models: str | Mapping[str, str] | None = None,
    hypotheses: Mapping[str, str | Path | list[str]] | None = None,
    source_lang: str = "id",
    reference_lang: str = "en",
    presplit: bool = False,
    line_parallel: bool = False,
    metrics: Sequence[str] = LEXICAL_METRICS,
    comet_model: str | None = None,
    comet_precision: str = "auto",
    n_bootstrap: int = 1000,
    seed: int = 12345,
    n_trials: int = 10000,
    n_paired_bootstrap: int | None = None,
    paired_compat: str = "mteval",
    tokenize: str | None = None,
    lowercase: bool = False,
    engine: str = "auto",
    beam_size: int = 4,
    batch_size: int = 16,
    max_length: int = 256,
    device: str = "cpu",
    translation_cache: Any = None,
    embedder: str | None = None,
    baseline: str | None = None,
    align_with: str | None = None,
    review: Any = None,
    progress: Callable[[str, int, int], None] | None = None,
    out: str | Path | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    executor: str = "local",
    ray_address: str | None = None,
) -> Results:
    """Evaluate translations of a corpus against its references.

    Give the documents as ``corpus=`` (a path, a :class:`Corpus` or a
    ``datasets.Dataset``) or as ``source=`` and ``reference=`` (files, or
    lists of lines: one document in memory, as ``hypotheses=`` takes); the
    systems as ``models=`` (Marian models to run: a path or hub name, or a
    ``{name: model}`` mapping) and/or ``hypotheses=`` (precomputed outputs,
    ``{name: file, directory or list of lines}``). ``line_parallel=True``
    reads sacrebleu-style files whose line *i* pair up, so no alignment runs.

    Every system is scored on the same segments (the pair audit's beads),
    whatever other systems are given: ``baseline=`` only chooses whom the
    paired tests compare with, and ``align_with=`` names a system whose output
    helps align source and reference, for every system alike (recorded in
    provenance and in the alignment fingerprint). ``review=`` applies an
    editor's decisions exported from the report (a file, or its content):
    false alarms no longer take their bead out of the parallel part.

    Asking for COMET in ``metrics=`` needs ``comet_model=``; an unknown
    metric raises ``ValueError`` naming the known ones. ``tokenize=`` and
    ``lowercase=`` are sacrebleu's ``-tok`` and ``-lc`` (BLEU only; the
    default tokenizer is sacrebleu's for ``reference_lang``). The paired
    tests take ``n_trials=`` approximate-randomization trials and
    ``n_paired_bootstrap=`` resamples (default ``n_bootstrap``, or 1000 with
    ``paired_compat="sacrebleu"``, which computes p-values exactly as
    ``sacrebleu --paired-bs/--paired-ar`` does).

    The documents go through ``chunk_size`` at a time. ``out=`` (a directory)
    streams them to ``out/results.jsonl`` as they finish and writes the summary
    to ``out/results.json``; started again on the same directory, an
    interrupted run resumes, and the results read their documents lazily.
    ``executor="ray"`` runs the chunks on a Ray cluster (``ray_address=``, or
    a local one), with results equal to a local run.
    """
    comet_model = _comet_choice(metrics, comet_model)
    docs = _as_corpus(corpus, source, reference, source_lang, reference_lang, presplit, line_parallel)
    if hypotheses is not None and not isinstance(hypotheses, Mapping):
        raise InputError(f"hypotheses= maps each system's name to its output ({{'name': file or lines}}), "
                         f"not a {type(hypotheses).__name__}.")
    for name, output in (hypotheses or {}).items():
        attach_system(docs, name, output)
    from mteval.systems.translate.translator import DecodeSettings

    decode = DecodeSettings(beam_size=beam_size, max_length=max_length, batch_size=batch_size, device=device)
    translators = make_translators(models, engine=engine, settings=decode, cache=translation_cache)
    settings = EvaluationSettings(
        metrics=tuple(metrics), n_bootstrap=n_bootstrap, n_trials=n_trials, n_paired_bootstrap=n_paired_bootstrap,
        paired_compat=paired_compat, seed=seed, comet_model=comet_model,
        lexical_options=_lexical_options(tokenize, lowercase, docs),
        comet_precision=comet_precision, embedder=embedder, baseline=baseline, align_with=align_with,
        review=None if review is None else load_review(review),
    )
    if executor == "ray":
        from mteval.executors.base import make_executor

        executor = make_executor("ray", address=ray_address, quiet=True)  # the API prints nothing unless asked
    return evaluate_corpus(docs, translators=translators, settings=settings, progress=progress, out=out,
                           chunk_size=chunk_size, executor=executor)


def audit(
    *,
    corpus: Any = None,
    source: str | Path | Sequence[str] | None = None,
    reference: str | Path | Sequence[str] | None = None,
    source_lang: str = "id",
    reference_lang: str = "en",
    presplit: bool = False,
    embedder: str | None = None,
    review: Any = None,
) -> Results:
    """Align source and reference and flag their divergences; no MT needed (inputs as for :func:`evaluate`)."""
    docs = _as_corpus(corpus, source, reference, source_lang, reference_lang, presplit)
    # The pair's audit only: outputs a corpus carries are left for evaluate (the caller's corpus is not changed).
    docs = Corpus([replace(doc, systems={}) for doc in docs.documents], inputs=docs.inputs)
    # no metric: nothing is scored, and a reference language whose BLEU tokenizer is not installed (ja-mecab)
    # must not stop an audit
    settings = EvaluationSettings(metrics=(), n_bootstrap=0, significance=False, embedder=embedder,
                                  review=None if review is None else load_review(review))
    return evaluate_corpus(docs, settings=settings)
