"""Faults that must keep holding: kill -9 and Ctrl-C in the middle of translating, two runs sharing one cache.

A translation is interrupted once some batches are in the cache (the test watches the cache file
grow) and never before; the re-run must resume (translate only what is missing) and produce results
identical to an uninterrupted run; the cache must pass SQLite's integrity check.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _tiny_marian import tiny_marian  # noqa: F401

BIN = Path(sys.executable).parent
N_SENTENCES = 160


def _command(corpus: Path, model: Path, out: Path) -> list[str]:
    return [str(BIN / "mteval"), "run", str(corpus / "src.id.txt"), str(corpus / "ref.en.txt"), "--line-parallel",
            "--model", f"tiny={model}", "--engine", "transformers", "--beam-size", "1", "--max-length", "16",
            "--batch-size", "2", "--no-comet", "--bootstrap", "0", "--out", str(out)]


def _env(cache: Path) -> dict[str, str]:
    return dict(os.environ, HF_HUB_OFFLINE="1", MTEVAL_CACHE_DIR=str(cache))


def _cached(cache: Path) -> int:
    path = cache / "translations.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as connection:
            return connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    except sqlite3.Error:  # the table does not exist yet, or the writer holds the lock
        return 0


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def _scored(out: Path) -> dict:
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    documents = [json.loads(line) for line in (out / data["documents_file"]).read_text(encoding="utf-8").splitlines()]
    assert len(documents) == data["n_documents"]
    return {"corpus": data["corpus"], "documents": documents}


def _interrupt(command: list[str], cache: Path, sig: int) -> subprocess.CompletedProcess:
    """Start ``command``, wait until a few translations are committed, then send ``sig``."""
    # as from a terminal: a shell's background job starts with SIGINT ignored, and Python then raises no
    # KeyboardInterrupt, so the child gets the default disposition back
    process = subprocess.Popen(command, env=_env(cache), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    while _cached(cache) < 4:
        assert process.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.02)
    process.send_signal(sig)
    stdout, stderr = process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, example_dir) -> Path:
    """Line-parallel files of distinct sentences made from the example's words (no alignment needed)."""
    from mteval.documents.segment import line_role

    words = (example_dir / "antara-kominfo-2024.id.txt").read_text(encoding="utf-8").split()
    rng = random.Random(0)
    lines: list[str] = []
    while len(lines) < N_SENTENCES:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(6, 14))) + "."
        if line_role(line) == "body" and line not in lines:  # every line is translated, once
            lines.append(line)
    folder = tmp_path_factory.mktemp("faults")
    (folder / "src.id.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "ref.en.txt").write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def uninterrupted(corpus, tiny_marian, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("uninterrupted")
    result = subprocess.run(_command(corpus, tiny_marian, out), env=_env(out / "cache"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return _scored(out)


def test_kill_9_mid_translation_then_resume(corpus, tiny_marian, uninterrupted, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    killed = _interrupt(_command(corpus, tiny_marian, out), cache, signal.SIGKILL)
    assert killed.returncode == -signal.SIGKILL
    assert not (out / "results.json").exists()
    assert _integrity(cache / "translations.sqlite") == "ok"
    kept = _cached(cache)
    assert 0 < kept < N_SENTENCES
    resumed = subprocess.run(_command(corpus, tiny_marian, out), env=_env(cache), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    provenance = json.loads((out / "results.json").read_text(encoding="utf-8"))["provenance"]
    assert provenance["systems"]["tiny"]["sentences_translated"] == N_SENTENCES - kept  # nothing done twice
    assert _scored(out) == uninterrupted
    assert _integrity(cache / "translations.sqlite") == "ok"


def test_ctrl_c_mid_translation(corpus, tiny_marian, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    stopped = _interrupt(_command(corpus, tiny_marian, out), cache, signal.SIGINT)
    assert stopped.returncode == 130, stopped.stderr
    lines = stopped.stderr.strip().splitlines()
    assert len(lines) == 1 and "interrupted" in lines[0], stopped.stderr
    assert _integrity(cache / "translations.sqlite") == "ok"
    assert _cached(cache) >= 4
    assert not (out / "results.json").exists() and not list(tmp_path.rglob("*.tmp"))


def test_two_runs_share_one_cold_cache(example_dir, tiny_marian, tmp_path):
    """Both finish with the same results; every cache file (translations, embeddings, audits) stays sound."""
    cache = tmp_path / "cache"
    command = [str(BIN / "mteval"), "run", str(example_dir), "--model", f"tiny={tiny_marian}", "--engine",
               "transformers", "--beam-size", "1", "--max-length", "16", "--batch-size", "2", "--no-comet",
               "--bootstrap", "0", "--out"]
    runs = {name: subprocess.Popen(command + [str(tmp_path / name)], env=_env(cache), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True) for name in ("a", "b")}
    for name, process in runs.items():
        _, stderr = process.communicate()
        assert process.returncode == 0, (name, stderr)
    assert _scored(tmp_path / "a") == _scored(tmp_path / "b")
    files = sorted(path.name for path in cache.glob("*.sqlite"))
    assert files == ["audits.sqlite", "embeddings.sqlite", "translations.sqlite"]
    for path in cache.glob("*.sqlite"):
        assert _integrity(path) == "ok", path
