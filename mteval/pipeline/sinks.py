"""Where a run's documents go as their chunks finish: a list in memory, or ``results.jsonl`` on disk.

A streamed run (:class:`StreamSink`) keeps beside ``results.jsonl`` a small
manifest, ``run.json``, naming the corpus fingerprint, a digest of
everything that decides the results (settings, systems, review) and the
chunk size. A run started again on the same directory with the same
manifest trusts the documents of the whole chunks already written (a torn
last line and a partly written chunk are dropped) and carries on with the
next chunk, so its chunks, batches and results are those of an
uninterrupted run; any other manifest starts the directory afresh.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator, Sequence

from mteval.errors import OutputError
from mteval.output_files import ensure_directory, write_text
from mteval.results.records import DocumentResult, Results

DOCUMENTS_FILE = "results.jsonl"
RESULTS_FILE = "results.json"
MANIFEST_FILE = "run.json"
MANIFEST_SCHEMA = "mteval.run"
LOCK_FILE = ".lock"


class MemorySink:
    """Documents kept in a list: the in-memory run."""

    def __init__(self) -> None:
        self._documents: list[DocumentResult] = []

    def resume(self, doc_ids: Sequence[str]) -> int:
        return 0

    def stored(self, size: int) -> Iterator[list[DocumentResult]]:
        return iter(())

    def write(self, documents: Sequence[DocumentResult]) -> None:
        self._documents.extend(documents)

    def documents(self) -> list[DocumentResult]:
        return self._documents

    def finish(self, results: Results) -> None:
        pass

    def close(self) -> None:
        pass


class StreamSink:
    """Documents appended to ``DIR/results.jsonl``; the summary goes to ``DIR/results.json`` at the end."""

    def __init__(self, directory: str | Path, manifest: dict[str, Any]):
        self.directory = Path(directory)
        self.manifest = dict(manifest, schema=MANIFEST_SCHEMA, version=1)
        self.path = self.directory / DOCUMENTS_FILE
        self.count = 0
        self.resumed = 0
        self._lock = None

    def resume(self, doc_ids: Sequence[str]) -> int:
        """The number of documents already done (whole chunks of a run with this manifest); the rest is dropped."""
        ensure_directory(self.directory)
        self._lock = hold_directory(self.directory)
        kept = 0
        if self._same_manifest():
            ends = _complete_ends(self.path, doc_ids)
            size = self.manifest["chunk_size"]
            kept = len(ends) if len(ends) == len(doc_ids) else len(ends) // size * size
            with open(self.path, "r+b") as stream:
                stream.truncate(ends[kept - 1] if kept else 0)
            if kept < len(doc_ids):  # an earlier summary would count documents that are not there yet
                (self.directory / RESULTS_FILE).unlink(missing_ok=True)
        else:
            write_text(self.directory / MANIFEST_FILE, json.dumps(self.manifest, indent=1) + "\n", what="the run manifest")
            (self.directory / RESULTS_FILE).unlink(missing_ok=True)  # a summary of other documents must not stay
            self.path.write_bytes(b"")
        self.count = self.resumed = kept
        return kept

    def _same_manifest(self) -> bool:
        try:
            stored = json.loads((self.directory / MANIFEST_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return False
        return stored == self.manifest and self.path.exists()

    def stored(self, size: int) -> Iterator[list[DocumentResult]]:
        """The documents already done, ``size`` at a time (to fold into the corpus figures)."""
        from mteval.results.stream import StreamedDocuments

        batch: list[DocumentResult] = []
        for doc in StreamedDocuments(self.path, self.resumed):
            batch.append(doc)
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch

    def write(self, documents: Sequence[DocumentResult]) -> None:
        from mteval.results.stream import append_documents

        append_documents(self.path, documents)
        self.count += len(documents)

    def documents(self):
        from mteval.results.stream import StreamedDocuments

        return StreamedDocuments.finished(self.path, self.count)

    def finish(self, results: Results) -> None:
        from mteval.results.schema import results_to_dict

        summary = results_to_dict(results, documents_file=DOCUMENTS_FILE)
        write_text(self.directory / RESULTS_FILE, json.dumps(summary, ensure_ascii=False, indent=1) + "\n",
                   what="the results")


    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file releases its lock
            self._lock = None


def hold_directory(directory: Path):
    """An open lock file that keeps ``directory`` to this run: two runs appending to one ``results.jsonl`` would
    interleave their documents. None where the platform has no ``fcntl`` (the run then goes on unguarded)."""
    try:
        import fcntl
    except ImportError:
        return None
    handle = open(directory / LOCK_FILE, "a+b")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise OutputError(f"{directory}: another mteval run is writing there; wait for it to finish or choose another "
                          "--out.") from None
    return handle


def _complete_ends(path: Path, doc_ids: Sequence[str]) -> list[int]:
    from mteval.results.stream import complete_lines

    return complete_lines(path, doc_ids)
