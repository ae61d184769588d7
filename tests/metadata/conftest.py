"""Metadata test fixtures; plain helpers live in `metadata_helpers`."""

from __future__ import annotations

from pathlib import Path

import pytest

from .metadata_helpers import CORPUS


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the shared flow corpus is not present")
    return CORPUS
