"""The streamed form of a run's documents: ``results.jsonl``, one schema-2 document record per line.

A streamed run appends each chunk's documents as it finishes and keeps none
of them in memory; :class:`StreamedDocuments` reads them back lazily, one
line at a time (iteration) or by position (an index of line offsets, built
on first use), so ``Results.documents`` of a 10,000-document run costs the
memory of one document at a time.

The file is named by its path, so another run into the same directory could
put other documents under these results: a finished run records the file's
SHA-256 (``documents_sha256`` in ``results.json``), and the file is checked
against it whenever it is opened in another state (size, time or inode) than
the one last checked.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterator, Sequence

from mteval.errors import InputError, OutputError, os_error_sentence
from mteval.json_input import parse_json
from mteval.results.records import DocumentResult


class StreamedDocuments(Sequence):
    """The documents of ``path`` (``count`` lines), parsed and validated as they are read.

    With ``sha256``, the file must still have that digest (see the module's docstring).
    """

    def __init__(self, path: str | Path, count: int, *, sha256: str | None = None):
        self.path = Path(path)
        self.count = count
        self.sha256 = sha256
        self._offsets: list[int] | None = None
        self._checked: tuple[int, ...] | None = None  # the file state whose digest was last found right

    @classmethod
    def finished(cls, path: str | Path, count: int) -> "StreamedDocuments":
        """The documents of a run that has just written the whole file: its digest is taken now."""
        documents = cls(path, count)
        with documents._open() as stream:
            documents.sha256, documents._checked = _digest(stream), _state(stream)
        return documents

    def __len__(self) -> int:
        return self.count

    def __repr__(self) -> str:
        return f"<{self.count} document(s) in {self.path}>"

    def __iter__(self) -> Iterator[DocumentResult]:
        with self._open() as stream:
            for n in range(self.count):
                yield self._parse(stream.readline(), n)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if index < 0:
            index += self.count
        if not 0 <= index < self.count:
            raise IndexError(f"document {index} of {self.count}")
        offsets = self._index()
        with self._open() as stream:
            stream.seek(offsets[index])
            return self._parse(stream.readline(), index)

    def _index(self) -> list[int]:
        if self._offsets is None:
            offsets, position = [], 0
            with self._open() as stream:
                for _ in range(self.count):
                    offsets.append(position)
                    position += len(stream.readline())
            self._offsets = offsets
        return self._offsets

    def _open(self):
        try:
            stream = open(self.path, "rb")
        except OSError as err:
            raise InputError(os_error_sentence(err, self.path, "read the streamed documents")) from None
        if self.sha256 is not None and _state(stream) != self._checked:
            try:
                self._check(stream)
            except BaseException:
                stream.close()
                raise
        return stream

    def _check(self, stream) -> None:
        if _digest(stream) != self.sha256:
            raise InputError(f"{self.path}: has changed since these results were written (another run into "
                             f"{self.path.parent}?), so its documents are no longer the ones these results count.")
        stream.seek(0)
        self._checked = _state(stream)

    def _parse(self, line: bytes, n: int) -> DocumentResult:
        from mteval.results.schema import document_from_dict

        if not line.endswith(b"\n"):
            raise InputError(f"{self.path}: has {n} complete line(s), but the results count {self.count} documents.")
        data = parse_json(line, f"{self.path}: line {n + 1}")
        return document_from_dict(data, source=str(self.path), where=f"line {n + 1}")


def _state(stream) -> tuple[int, ...]:
    status = os.fstat(stream.fileno())
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


def _digest(stream) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(1 << 22), b""):
        digest.update(block)
    return digest.hexdigest()


def results_files(path: str | Path, results) -> list[Path]:
    """The files loaded ``results`` stand on: ``path`` and, for a streamed run, its documents file (an output
    written over either would lose the results)."""
    documents = results.documents
    return [Path(path)] + ([documents.path] if isinstance(documents, StreamedDocuments) else [])


def append_documents(path: Path, documents: Sequence[DocumentResult]) -> None:
    """Append one line per document and make it durable before returning (a resumed run trusts what is there)."""
    from mteval.results.schema import document_to_dict

    text = "".join(json.dumps(document_to_dict(doc), ensure_ascii=False) + "\n" for doc in documents)
    try:
        with open(path, "ab") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as err:
        raise OutputError(os_error_sentence(err, path, "append to the streamed documents")) from None


def complete_lines(path: Path, expected_ids: Sequence[str]) -> list[int]:
    """Byte offsets of the ends of the leading lines that are whole JSON records of the expected documents.

    A torn last line (an interrupted write) and anything after the first
    line that is not the next expected document are not counted.
    """
    ends: list[int] = []
    if not path.exists():
        return ends
    position = 0
    with open(path, "rb") as stream:
        for expected in expected_ids:
            line = stream.readline()
            if not line.endswith(b"\n"):
                break
            try:
                doc_id = json.loads(line).get("doc_id")
            except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
                break
            if doc_id != expected:
                break
            position += len(line)
            ends.append(position)
    return ends
