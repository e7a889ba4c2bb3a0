"""The docstring examples of the installed package are tests too."""

from __future__ import annotations

import doctest
import importlib

import pytest

# Every module whose docstrings hold examples (a new one is checked by the test below).
MODULES = [
    "cleaner",
    "cleaner.dask_step",
    "cleaner.engine",
    "cleaner.evaluate",
    "cleaner.literals",
    "cleaner.normalize",
    "cleaner.patterns",
    "cleaner.shapes",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0


def test_every_module_with_examples_is_listed() -> None:
    from pathlib import Path

    package = Path(importlib.import_module("cleaner").__file__).parent  # type: ignore[arg-type]
    with_examples = {
        ".".join(("cleaner", *path.relative_to(package).with_suffix("").parts)).removesuffix(".__init__")
        for path in package.rglob("*.py")
        if ">>> " in path.read_text(encoding="utf-8")
    }
    assert with_examples <= set(MODULES)
