"""Bad rule files stop the run before anything is written, with `file:line:col: [id] message` lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SEEDS, run_cli, write_rules

from cleaner import RuleError, load_rules

GOOD = """\
- id: ok
  kind: line
  why: Fine.
  phrases: ["Read more"]
  examples: {remove: ["Read more"], keep: ["He read more."]}
"""

CASES = {
    "yaml-syntax": (
        '- id: x\n  kind: line\n  why: "unterminated\n  phrases: [a\n',
        ["{f}:5:1: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at line 3, column 8)"],
    ),
    "unknown-kind": (
        "- id: k\n  kind: lines\n  why: W.\n  examples: {remove: [x], keep: [y]}\n",
        ["{f}:2:9: [k] unknown kind 'lines' (expected: normalize, line, block, tail, caption, dedupe, linklist, run)"],
    ),
    "unknown-field": (
        GOOD.replace("phrases:", "patern:"),
        ["{f}:4:3: [ok] unknown field 'patern' for kind 'line' (expected: phrases, patterns, prefix, within_first, within_last, max_chars)"],
    ),
    "missing-field": (
        "- id: m\n  kind: line\n  phrases: [a]\n  examples: {remove: [a], keep: [b]}\n",
        ["{f}:1:3: [m] missing field 'why'"],
    ),
    "missing-kind-field": (
        "- id: b\n  kind: block\n  why: W.\n  examples: {remove: [a], keep: [b]}\n",
        ["{f}:1:3: [b] missing field 'start' for kind 'block'"],
    ),
    "wrong-type": (
        GOOD.replace('phrases: ["Read more"]', 'phrases: ["Read more"]\n  within_first: many'),
        ["{f}:5:17: [ok] within_first: expected an integer, got a string"],
    ),
    "empty-patterns": (
        GOOD.replace('phrases: ["Read more"]', "patterns: []"),
        ["{f}:4:13: [ok] patterns: must not be an empty list"],
    ),
    "bad-regex": (
        GOOD.replace('phrases: ["Read more"]', "patterns: ['^Read (more']"),
        ["{f}:4:26: [ok] pattern does not compile: missing )"],
    ),
    "clashing-version-flag": (
        GOOD.replace('phrases: ["Read more"]', "patterns: ['(?V1)^Read more']"),
        ["{f}:4:15: [ok] pattern does not compile: VERSION0 and VERSION1 flags are mutually incompatible"],
    ),
    "bad-regex-plain-scalar": (
        GOOD.replace('phrases: ["Read more"]', "patterns:\n    - ^Read [more"),
        ["{f}:5:18: [ok] pattern does not compile: unterminated character set"],
    ),
    "duplicate-id": (
        GOOD + GOOD,
        ["{f}:6:3: [ok] duplicate id 'ok' (first defined at {f}:1:3)"],
    ),
    "example-kept-wrongly": (
        GOOD.replace('remove: ["Read more"]', 'remove: ["Read less"]'),
        ["{f}:5:23: [ok] example wrong: rule keeps 'Read less'"],
    ),
    "example-dropped-wrongly": (
        GOOD.replace('keep: ["He read more."]', 'keep: ["Read more"]'),
        ["{f}:5:44: [ok] example wrong: rule drops 'Read more'"],
    ),
    "no-examples": (
        "- id: e\n  kind: line\n  why: W.\n  phrases: [a]\n",
        ["{f}:1:3: [e] missing field 'examples'"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_rule_problem_is_reported_exactly(tmp_path: Path, case: str) -> None:
    body, expected = CASES[case]
    path = write_rules(tmp_path, body)
    with pytest.raises(RuleError) as raised:
        load_rules([path], defaults=False)
    assert [str(p) for p in raised.value.problems] == [e.format(f=path) for e in expected]


def test_every_problem_in_a_file_is_listed(tmp_path: Path) -> None:
    body = GOOD.replace("phrases:", "patern:") + GOOD.replace("id: ok", "id: two").replace("kind: line", "kind: nope")
    with pytest.raises(RuleError) as raised:
        load_rules([write_rules(tmp_path, body)], defaults=False)
    assert len(raised.value.problems) == 2


def test_bad_rules_exit_2_and_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = write_rules(tmp_path, GOOD.replace("phrases:", "patern:"))
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    result = run_cli("clean", str(SEEDS), "-o", str(out), "--rules", "rules.yaml")
    assert result.code == 2
    assert result.err.splitlines()[0].startswith("rules.yaml:4:3: [ok] unknown field 'patern'")
    assert not out.exists()
    assert rules.exists()


def test_rules_check_lists_problems_and_exits_2(tmp_path: Path) -> None:
    path = write_rules(tmp_path, GOOD.replace("kind: line", "kind: nope"))
    result = run_cli("rules", "check", str(path), "--no-default-rules")
    assert result.code == 2
    assert f"{path}:2:9: [ok] unknown kind 'nope'" in result.err


def test_rules_check_lists_rules(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    write_rules(sites, GOOD.replace("id: ok", "id: example-ok"), name="example.com.yaml")
    result = run_cli("rules", "check", str(tmp_path), "--no-default-rules")
    assert result.code == 0, result.err
    header, row = result.out.splitlines()[:2]
    assert header.split() == ["id", "kind", "sites", "file"]
    assert row.split()[:3] == ["example-ok", "line", "example.com"]


def test_missing_rule_path_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(RuleError) as raised:
        load_rules([tmp_path / "nope.yaml"], defaults=False)
    assert str(raised.value) == f"{tmp_path / 'nope.yaml'}: no such rule file or folder"
