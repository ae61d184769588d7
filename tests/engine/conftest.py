"""Fixtures for engine tests; the XML builders and run helpers live in `flowkit` (importable by name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .flowkit import CORPUS_DIR


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip("the shared flow corpus is not available")
    return CORPUS_DIR
