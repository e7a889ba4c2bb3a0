"""A rule's examples are checked with the engine's own trigger scan and paragraph split, so an
example loads exactly when the engine treats it as the example says."""

from __future__ import annotations

from pathlib import Path

from helpers import write_rules

from cleaner import load_rules
from cleaner.engine import Cleaner

# Joined into one alternation, '\1' in the second pattern would name the first pattern's group
# and "bb" would never be flagged: the scan must not join patterns that refer to their groups.
BACK_REFERENCE_RULE = r"""
- id: doubled
  kind: line
  why: A test rule whose second pattern refers back to its own group.
  patterns: ['^(a)x$', '^(b)\1$']
  examples:
    remove: ["bb", "ax"]
    keep: ["ba", "bx"]
"""


def test_a_back_reference_in_a_later_pattern_loads_and_is_dropped(tmp_path: Path) -> None:
    path = write_rules(tmp_path, BACK_REFERENCE_RULE)
    load_rules([path], defaults=False)  # raised RuleError ("keeps 'bb'") when the loader joined them itself
    result = Cleaner([path], defaults=False).clean("bb\nThe article goes on here.\nax")
    assert [(r.line, r.rule_id) for r in result.removed] == [(1, "doubled"), (3, "doubled")]


# U+2028 (LINE SEPARATOR) is no line break for the engine: "Read more\u2028..." is one
# paragraph, which the whole-paragraph phrase does not match. str.splitlines would have cut
# the example in two and dropped its "Read more" half.
LINE_SEPARATOR_RULE = """
- id: read-more
  kind: line
  why: A test rule.
  phrases: ["Read more"]
  examples:
    remove: ["Read more"]
    keep: ["Read more\\u2028and this sentence goes on after the separator."]
"""


def test_example_text_is_split_into_paragraphs_as_the_engine_splits_documents(tmp_path: Path) -> None:
    path = write_rules(tmp_path, LINE_SEPARATOR_RULE)
    ruleset = load_rules([path], defaults=False)
    keep = next(e for e in ruleset.examples if not e.removed)
    assert "\u2028" in keep.text
    assert Cleaner(ruleset=ruleset).clean(keep.text).removed == ()
