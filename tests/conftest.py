"""Shared fixtures. Tiny real models are built once per test session and cached."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO = TESTS_DIR.parent
SHARED = REPO.parent / "shared"
EXAMPLE = REPO / "examples" / "antara-kominfo-2024"

sys.path.insert(0, str(TESTS_DIR))


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    path = SHARED / "gold" / "antara-kominfo-2024.json"
    if not path.exists():
        pytest.skip(f"{path} is not present in this checkout's shared/ folder")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session", autouse=True)
def isolated_cache_dir(tmp_path_factory):
    """Keep every cache (translations, embeddings, COMET scores) of the test session out of the user's."""
    import os

    previous = os.environ.get("MTEVAL_CACHE_DIR")
    os.environ["MTEVAL_CACHE_DIR"] = str(tmp_path_factory.mktemp("mteval-cache"))
    yield
    if previous is None:
        os.environ.pop("MTEVAL_CACHE_DIR", None)
    else:
        os.environ["MTEVAL_CACHE_DIR"] = previous
