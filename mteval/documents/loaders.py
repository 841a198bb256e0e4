"""Readers for every input form mteval accepts, each producing a :class:`Corpus`.

Every reader reports a problem as one :class:`~mteval.errors.InputError`
sentence naming the file, and never half-loads a corpus.
"""
from __future__ import annotations

import csv
import hashlib
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

from mteval.documents.corpus import Corpus, DocumentPair, output_lines, system_lines
from mteval.documents.doc_ids import check_doc_id, file_name_for
from mteval.errors import InputError, os_error_sentence
from mteval.json_input import parse_json
from mteval.documents.languages import standard_language
from mteval.documents.segment import check_language
from mteval.documents.text import has_visible_text


#: the file name that stands for standard input, as in sacrebleu and most Unix tools
STDIN = "-"


@lru_cache(maxsize=1)
def _stdin_bytes() -> bytes:
    """Standard input, read once however many readers ask for it."""
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError("'-' means standard input, but nothing is piped in; pipe the file in or give its path.")
    return sys.stdin.buffer.read()


def _read_bytes(path: str | Path) -> bytes:
    if str(path) == STDIN:
        return _stdin_bytes()
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file.")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a text file.")
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(os_error_sentence(err, path, "read it")) from None


def read_text(path: str | Path, *, allow_empty: bool = False) -> str:
    """The UTF-8 text of a file or of standard input (``-``), BOM dropped, with a clear error otherwise."""
    name = "standard input" if str(path) == STDIN else str(path)
    data = _read_bytes(path)
    path = name
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); re-encode it as UTF-8."
        ) from None
    if not allow_empty and not has_visible_text(text):
        raise InputError(f"{path}: the file is empty." if not text
                         else f"{path}: holds only blank lines, spaces or invisible characters.")
    return text


def file_record(path: str | Path) -> dict[str, str]:
    return {"path": str(path), "sha256": hashlib.sha256(_read_bytes(path)).hexdigest()}


def read_lines(path: str | Path) -> list[str]:
    """Lines of a line-parallel segment file, as sacrebleu reads them."""
    text = read_text(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def read_output_lines(path: str | Path, *, line_parallel: bool = False) -> list[str]:
    """A system's output file, one line per source sentence, normalised as the documents are (so the same output
    scores the same whether it comes from a file, a corpus record or a list): line-parallel references are kept
    as read, as sacrebleu reads them, and so are their outputs."""
    return output_lines(read_lines(path), line_parallel=line_parallel)


def load_pair_files(
    source: str | Path,
    reference: str | Path,
    *,
    doc_id: str | None = None,
    source_lang: str = "id",
    reference_lang: str = "en",
    systems: Mapping[str, str | Path] | None = None,
    presplit: bool = False,
) -> Corpus:
    """Two plain-text files: the original and its reference (paragraphs separated by blank lines)."""
    source, reference = Path(source), Path(reference)
    outputs = {name: read_output_lines(path) for name, path in (systems or {}).items()}
    doc = DocumentPair.from_texts(
        check_doc_id(doc_id or _doc_id_from_name(source.name, source_lang), str(source)),
        read_text(source),
        read_text(reference),
        source_lang=source_lang,
        reference_lang=reference_lang,
        systems=outputs,
        presplit=presplit,
        origin={"source": str(source), "reference": str(reference)},
    )
    records = [file_record(source), file_record(reference)] + [file_record(p) for p in (systems or {}).values()]
    return Corpus([doc], inputs=records)


def load_line_parallel(
    source: str | Path,
    reference: str | Path,
    *,
    source_lang: str = "id",
    reference_lang: str = "en",
    systems: Mapping[str, str | Path] | None = None,
    extra_references: Sequence[str | Path] = (),
    line_roles: bool = False,
) -> Corpus:
    """sacrebleu-style files: line *i* of the source is translated by line *i* of the reference(s).

    Every line is a segment (empty ones too); ``line_roles`` marks links and
    bylines as such instead of scoring them.
    """
    source_lines, reference_lines = read_lines(source), read_lines(reference)
    if len(source_lines) != len(reference_lines):
        raise InputError(
            f"{source} has {len(source_lines)} lines but {reference} has {len(reference_lines)}; "
            "line-parallel files must have the same number of lines."
        )
    extra_streams = []
    for path in extra_references:
        extra_streams.append(read_lines(path))
        if len(extra_streams[-1]) != len(source_lines):
            raise InputError(
                f"{path} has {len(extra_streams[-1])} lines but {source} has {len(source_lines)}; "
                "every reference must have one line per source line."
            )
    outputs: dict[str, list[str]] = {}
    for name, path in (systems or {}).items():
        outputs[name] = read_output_lines(path, line_parallel=True)
        if len(outputs[name]) != len(source_lines):
            raise InputError(
                f"{path} (system '{name}') has {len(outputs[name])} lines but {source} has {len(source_lines)}."
            )
    doc = DocumentPair.from_texts(
        check_doc_id(Path(source).name, str(source)),
        "\n".join(source_lines),
        "\n".join(reference_lines),
        source_lang=source_lang,
        reference_lang=reference_lang,
        systems=outputs,
        line_parallel=True,
        line_roles=line_roles,
        extra_references=extra_streams,
        origin={"source": str(source), "reference": str(reference)},
    )
    paths = [source, reference, *extra_references, *(systems or {}).values()]
    return Corpus([doc], inputs=[file_record(p) for p in paths])


def load_directory(directory: str | Path, *, source_lang: str = "id", reference_lang: str = "en",
                   presplit: bool = False) -> Corpus:
    """A directory of ``NAME.<src>.txt`` / ``NAME.<ref>.txt`` pairs; other files, and hidden ones, are ignored."""
    check_language(source_lang)
    check_language(reference_lang)
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(f"{directory}: no such directory.")
    sources = {check_doc_id(_doc_id_from_name(p.name, source_lang), str(p)): p for p in _visible_files(directory, source_lang)}
    references = {check_doc_id(_doc_id_from_name(p.name, reference_lang), str(p)): p
                  for p in _visible_files(directory, reference_lang)}
    for name, path in sorted(sources.items()):
        if name not in references:
            raise InputError(f"{path}: no matching {name}.{reference_lang}.txt in {directory}.")
    for name, path in sorted(references.items()):
        if name not in sources:
            raise InputError(f"{path}: no matching {name}.{source_lang}.txt in {directory}.")
    if not sources:
        raise InputError(f"{directory}: no NAME.{source_lang}.txt / NAME.{reference_lang}.txt pairs found.")
    documents, records = [], []
    for name in sorted(sources):
        documents.append(
            DocumentPair.from_texts(
                name,
                read_text(sources[name]),
                read_text(references[name]),
                source_lang=source_lang,
                reference_lang=reference_lang,
                presplit=presplit,
                origin={"source": str(sources[name]), "reference": str(references[name])},
            )
        )
        records += [file_record(sources[name]), file_record(references[name])]
    return Corpus(documents, inputs=records)


def _visible_files(directory: Path, lang: str) -> list[Path]:
    """``NAME.<lang>.txt`` files of ``directory``; hidden ones (".x.id.txt", macOS's "._x.id.txt" copies) and
    directories so named are left out."""
    return [p for p in directory.glob(f"*.{lang}.txt") if not p.name.startswith(".") and p.is_file()]


def load_jsonl(
    path: str | Path,
    *,
    id_field: str = "id",
    source_field: str = "source",
    reference_field: str = "reference",
    source_lang: str = "id",
    reference_lang: str = "en",
    presplit: bool = False,
) -> Corpus:
    """One JSON object per line with an id, a source and a reference text (and optional ``systems``)."""
    records = []
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        record = parse_json(line, f"{path}, line {number}")
        if not isinstance(record, dict):
            raise InputError(f"{path}, line {number}: expected a JSON object.")
        records.append((f"{path}, line {number}", record))
    documents = [
        _record_to_pair(where, record, number, id_field, source_field, reference_field, source_lang, reference_lang,
                        presplit=presplit)
        for number, (where, record) in enumerate(records)
    ]
    return Corpus(documents, inputs=[file_record(path)])


def load_tsv(
    path: str | Path,
    *,
    id_field: str = "id",
    source_field: str = "source",
    reference_field: str = "reference",
    source_lang: str = "id",
    reference_lang: str = "en",
    presplit: bool = False,
) -> Corpus:
    """A TSV file with a header row; ``\\n`` inside a cell stands for a line break."""
    text = read_text(path)
    reader = csv.DictReader(text.split("\n"), delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = [name for name in (source_field, reference_field) if name not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}: the header has no column named {', '.join(repr(m) for m in missing)}.")
    documents = []
    for number, row in enumerate(reader):
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        where = f"{path}, row {number + 2}"
        if row.get(None):
            raise InputError(f"{where}: more cells than the header's {len(reader.fieldnames)} columns (a tab inside a "
                             "text?); a cell holds no tab.")
        present = [(key, value) for key, value in row.items() if value is not None]
        if len(present) < len(reader.fieldnames) and present and _opens_quoted_line_break(present[-1][1]):
            raise InputError(f"{where}: cell '{present[-1][0]}' opens a quote that goes on past the line, as CSV "
                             "writers write a line break inside a cell; mteval reads TSV cells as written, so write "
                             "the file without quoting (csv.QUOTE_NONE, a line break as \\n), or as JSONL.")
        for key, value in row.items():
            if value and _csv_quoted(value):
                raise InputError(f"{where}: cell '{key}' is quoted as CSV writers quote (\"...\"\"...\"); mteval reads "
                                 "TSV cells as written, so write the file without quoting (csv.QUOTE_NONE), or as JSONL.")
        record = {key: (value or "").replace("\\n", "\n") for key, value in row.items()}
        documents.append(_record_to_pair(where, record, number, id_field, source_field, reference_field,
                                         source_lang, reference_lang, presplit=presplit))
    if not documents:
        raise InputError(f"{path}: no documents, only the header row.")
    return Corpus(documents, inputs=[file_record(path)])


def _opens_quoted_line_break(cell: str) -> bool:
    """The first line of a cell that a csv/pandas writer quoted for its line break: it opens with a quote and
    leaves one open (an odd number of quotes), where the row ends before the header's last column."""
    return cell.startswith('"') and cell.count('"') % 2 == 1


def _csv_quoted(cell: str) -> bool:
    """A cell as csv/pandas writers quote one: wrapped in quotes, each quote inside doubled ("He said ""hi"".")."""
    inner = cell[1:-1]
    return len(cell) >= 2 and cell[0] == cell[-1] == '"' and '""' in inner and '"' not in inner.replace('""', "")


def from_dataset(
    dataset: Any,
    *,
    id_column: str = "id",
    source_column: str = "source",
    reference_column: str = "reference",
    source_lang: str = "id",
    reference_lang: str = "en",
    presplit: bool = False,
) -> Corpus:
    """A ``datasets.Dataset`` (or any sequence of mappings) with named columns."""
    columns = getattr(dataset, "column_names", None)
    if isinstance(columns, Mapping):  # a DatasetDict: column names per split
        raise InputError(f"A DatasetDict with the splits {', '.join(map(str, columns)) or '(none)'}; give one split, "
                         "such as dataset['test'].")
    if columns is not None:
        missing = [c for c in (source_column, reference_column) if c not in columns]
        if missing:
            raise InputError(f"The dataset has no column named {', '.join(repr(m) for m in missing)} (it has {columns}).")
    documents = [
        _record_to_pair(f"dataset row {n}", dict(row), n, id_column, source_column, reference_column, source_lang,
                        reference_lang, presplit=presplit)
        for n, row in enumerate(dataset)
    ]
    if not documents:
        raise InputError("The dataset has no rows, so no documents.")
    return Corpus(documents, inputs=[{"path": f"datasets:{getattr(dataset, '_fingerprint', 'in-memory')}", "sha256": ""}])


def load_corpus(
    path: str | Path,
    reference: str | Path | None = None,
    *,
    source_lang: str = "id",
    reference_lang: str = "en",
    presplit: bool = False,
    line_parallel: bool = False,
    extra_references: Sequence[str | Path] = (),
    line_roles: bool = False,
) -> Corpus:
    """Pick the right reader for ``path`` (and ``reference`` when two files are given).

    ``extra_references`` (further reference files) need line-parallel input.
    """
    check_language(source_lang)
    check_language(reference_lang)
    if extra_references and not (line_parallel and reference is not None):
        raise InputError(
            "Several references are supported for line-parallel files only (--line-parallel SOURCE REFERENCE); "
            "document pairs are aligned to one reference."
        )
    if line_parallel and reference is None:
        raise InputError("--line-parallel needs two files: the source and its reference, line by line.")
    path = Path(path) if str(path) != STDIN else path
    if reference is not None:
        if line_parallel:
            return load_line_parallel(path, reference, source_lang=source_lang, reference_lang=reference_lang,
                                      extra_references=extra_references, line_roles=line_roles)
        return load_pair_files(path, reference, source_lang=source_lang, reference_lang=reference_lang, presplit=presplit)
    if path.is_dir():
        if (path / "dataset_dict.json").exists():
            splits = _dataset_splits(path)
            if not splits:
                raise InputError(f"{path}: a saved DatasetDict with no splits, so no documents.")
            raise InputError(f"{path}: a saved DatasetDict with the splits {', '.join(splits)}; give one split's "
                             f"directory, e.g. {path / splits[0]}.")
        if (path / "dataset_info.json").exists() or (path / "state.json").exists():
            return from_dataset(_load_saved_dataset(path), source_lang=source_lang, reference_lang=reference_lang,
                                presplit=presplit)
        return load_directory(path, source_lang=source_lang, reference_lang=reference_lang, presplit=presplit)
    if not path.exists():
        raise InputError(f"{path}: no such file or directory.")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return load_jsonl(path, source_lang=source_lang, reference_lang=reference_lang, presplit=presplit)
    if suffix == ".tsv":
        return load_tsv(path, source_lang=source_lang, reference_lang=reference_lang, presplit=presplit)
    raise InputError(
        f"{path}: cannot tell how to read it; give a directory of NAME.{source_lang}.txt/NAME.{reference_lang}.txt "
        "pairs, a .jsonl or .tsv file, or a source file together with its reference file."
    )


def _load_saved_dataset(path: Path):
    """A ``datasets.Dataset`` saved with ``save_to_disk``, or one sentence on why it cannot be read."""
    import datasets  # lazy: only for saved datasets

    try:
        state = json.loads((path / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    if isinstance(state, dict) and state.get("_data_files") == []:
        raise InputError(f"{path}: a saved dataset with no rows, so no documents.")
    try:
        return datasets.load_from_disk(str(path))
    except (FileNotFoundError, ValueError, IndexError) as err:  # what datasets raises for a damaged or partial save
        reason = str(err).rstrip(".") or type(err).__name__
        raise InputError(f"{path}: looks like a saved datasets directory but cannot be read as one "
                         f"({reason}).") from None


def _dataset_splits(path: Path) -> list[str]:
    try:
        splits = json.loads((path / "dataset_dict.json").read_text(encoding="utf-8")).get("splits", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [str(name) for name in splits] if isinstance(splits, list) else []


def _record_to_pair(
    where: str,
    record: Mapping[str, Any],
    number: int,
    id_field: str,
    source_field: str,
    reference_field: str,
    source_lang: str,
    reference_lang: str,
    *,
    presplit: bool = False,
) -> DocumentPair:
    for name in (source_field, reference_field):
        value = record.get(name)
        if not isinstance(value, str) or not has_visible_text(value):
            raise InputError(f"{where}: field '{name}' is missing or empty.")
    systems = record.get("systems") or {}
    if not isinstance(systems, Mapping):
        raise InputError(f"{where}: field 'systems' must map system names to outputs.")
    doc_id = record.get(id_field, number)
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool):
        raise InputError(f"{where}: field '{id_field}' must be a string or a whole number.")
    languages = {}
    for side, default in (("source_lang", source_lang), ("reference_lang", reference_lang)):
        try:
            languages[side] = standard_language(str(record.get(side, default)))
        except InputError as err:
            raise InputError(f"{where}: field '{side}': {err}") from None
    return DocumentPair.from_texts(
        check_doc_id(str(doc_id), where),
        record[source_field],
        record[reference_field],
        **languages,
        systems=dict(systems),
        presplit=presplit,
        origin={"record": where},
    )


def _doc_id_from_name(filename: str, lang: str) -> str:
    suffix = f".{lang}.txt"
    if filename.endswith(suffix):
        return filename[: -len(suffix)]
    return Path(filename).stem


def attach_system(corpus: Corpus, name: str, output: str | Path | Sequence[str]) -> None:
    """Add a system's precomputed output to every document of ``corpus``.

    ``output`` is a list of lines or a file (one line per source sentence) for
    a one-document corpus, or a directory holding ``<doc_id>.txt`` per document.
    """
    if isinstance(output, (list, tuple)):
        if len(corpus) != 1:
            raise InputError(f"System '{name}': a list of lines fits a one-document corpus only; give a directory.")
        if not all(isinstance(line, str) for line in output):
            wrong = next(type(line).__name__ for line in output if not isinstance(line, str))
            raise InputError(f"System '{name}': a list of lines must hold strings, not {wrong}.")
        doc = corpus.documents[0]
        doc.systems[name] = system_lines(name, doc.doc_id, output, doc.line_parallel)
        return
    if not isinstance(output, (str, Path)):
        raise InputError(f"System '{name}': give its output as a file, a directory or a list of lines, "
                         f"not {type(output).__name__}.")
    path = Path(output)
    if path.is_dir():
        files = [_doc_output(path, doc.doc_id, name) for doc in corpus]
        for doc, file in zip(corpus, files):
            doc.systems[name] = read_output_lines(file, line_parallel=doc.line_parallel)
        corpus.inputs.extend(file_record(file) for file in files)
        return
    if len(corpus) != 1:
        raise InputError(
            f"{path}: system '{name}' is one file but the corpus has {len(corpus)} documents; "
            "give a directory with one <doc_id>.txt per document."
        )
    corpus.documents[0].systems[name] = read_output_lines(path, line_parallel=corpus.documents[0].line_parallel)
    corpus.inputs.append(file_record(path))


def _doc_output(directory: Path, doc_id: str, name: str) -> Path:
    """``directory/<doc_id>.txt``, which must be a regular file inside ``directory`` (links followed)."""
    file_name = file_name_for(doc_id, directory, name)
    path = directory / file_name
    if not path.exists():
        raise InputError(f"{directory}: system '{name}' has no output file {file_name} for document '{doc_id}'.")
    if not path.resolve().is_relative_to(directory.resolve()):
        raise InputError(f"{path}: system '{name}': the file is a link to a place outside {directory}; it is not read.")
    if not path.is_file():
        raise InputError(f"{path}: system '{name}': expected a regular file with one line per source sentence.")
    return path
