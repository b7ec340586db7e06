"""Shared fixtures: one real index of the shipped corpus per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.indexer import reindex
from index.search import Searcher

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding a real index of `corpus/`, built once per session (read-only)."""
    data = tmp_path_factory.mktemp("shipped-data")
    reindex(CORPUS, data)
    return data


@pytest.fixture(scope="session")
def searcher(shipped_index: Path) -> Searcher:
    """A Searcher over the shipped corpus (tantivy)."""
    return Searcher.open(shipped_index)


@pytest.fixture
def own_index(shipped_index: Path, tmp_path: Path) -> Path:
    """A private copy of the shipped index data dir, for tests that change it."""
    target = tmp_path / "data"
    shutil.copytree(shipped_index, target)
    return target


@pytest.fixture
def own_corpus(tmp_path: Path) -> Path:
    """A private copy of the shipped corpus, for tests that add or remove files."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target
