"""Inputs the fuzz targets (fuzz/) found to crash, kept as tests once fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli

from cleaner.loader import load_rules
from cleaner.model import RuleError


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\ufffe"])
def test_control_character_in_a_rule_file_is_a_rule_error(tmp_path: Path, character: str) -> None:
    """PyYAML's reader refuses such characters with a ReaderError, which carries no mark: it
    escaped the loader's handling of syntax errors and crashed `cleaner rules check`."""
    path = tmp_path / "rules.yaml"
    path.write_text(f"- id: ok\n  kind: line\n  why: x{character}\n", encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rules([path], defaults=False)
    (problem,) = caught.value.problems
    assert (problem.location.line, problem.location.column) == (3, 9)
    assert "unacceptable character" in problem.message
    run = run_cli("rules", "check", "--no-default-rules", str(path))
    assert run.code == 2 and f"{path}:3:9: YAML error: unacceptable character" in run.err
