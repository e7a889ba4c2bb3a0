"""The docstring examples of the installed package are tests too."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["cleaner", "cleaner.normalize", "cleaner.shapes", "cleaner.engine"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
