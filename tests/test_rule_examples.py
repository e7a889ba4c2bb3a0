"""Every shipped rule proves, with its own examples, that it fires and that it leaves prose alone."""

from __future__ import annotations

import pytest

from cleaner import load_rules
from cleaner.loader import check_example

RULESET = load_rules()


def test_every_rule_has_examples_of_both_sides() -> None:
    for rule in RULESET.rules:
        examples = [e for e in RULESET.examples if e.rule_id == rule.meta.id]
        dropping = [e for e in examples if e.removed or e.expected is not None]
        keeping = [e for e in examples if not e.removed and e.expected is None]
        assert dropping and keeping, rule.meta.id


@pytest.mark.parametrize(
    "example", RULESET.examples, ids=lambda e: f"{e.rule_id}@{e.location.line}"
)
def test_example(example) -> None:
    assert check_example(RULESET.by_id(example.rule_id), example) is None


def test_rules_check_command_passes(cli) -> None:
    result = cli("rules", "check")
    assert result.code == 0, result.err
    assert "read-more-list" in result.out and "all pass" in result.out
