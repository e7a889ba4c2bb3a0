"""Fixtures shared by the tests; plain helpers live in helpers.py."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from helpers import run_cli


@pytest.fixture(scope="session", autouse=True)
def pattern_facts_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The pattern facts file (`cleaner.derived`) goes to a folder of the test session's own,
    not the user's cache, unless `CLEANER_CACHE_DIR` is set already (tox sets it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLEANER_CACHE_DIR", os.environ.get("CLEANER_CACHE_DIR") or str(tmp_path_factory.mktemp("cleaner-cache")))
        yield


@pytest.fixture
def cli():
    return run_cli
