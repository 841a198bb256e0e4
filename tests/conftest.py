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
