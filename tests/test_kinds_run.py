"""The `run` kind: stamped entries close together go as a block, with the labels between them."""

from __future__ import annotations

import pytest
from helpers import write_rules

from cleaner import Cleaner

RULE = r"""
- id: counted
  kind: run
  why: Entries stamped with a comment count are a listing of other stories.
  min_items: 3
  max_gap: 1
  header_max_words: 3
  items: {patterns: ['^(?=.{0,200}$).*\S \d+ comments$']}
  examples:
    remove:
      - |
        First story 3 comments
        Second story 2 comments
        Third story 9 comments
    keep: ["The council approved the budget on Tuesday after a long debate."]
"""

PROSE = [
    "The council approved the budget on Tuesday after a long debate in the chamber.",
    "Opposition members said the cuts went too far and would hurt schools across the city.",
]
ENTRIES = ["Mayor resigns 12 comments", "Bridge reopens 4 comments", "Schools close early 7 comments"]


@pytest.fixture(scope="module")
def cleaner(tmp_path_factory: pytest.TempPathFactory) -> Cleaner:
    return Cleaner([write_rules(tmp_path_factory.mktemp("rules"), RULE)], defaults=False)


def kept(cleaner: Cleaner, lines: list[str]) -> list[str]:
    return cleaner.clean("\n".join(lines), title=False).text.split("\n")


def test_entries_go_with_the_label_before_them_and_between_them(cleaner):
    lines = [*PROSE, "Popular", ENTRIES[0], "Most read", ENTRIES[1], ENTRIES[2]]
    assert kept(cleaner, lines) == PROSE


def test_too_few_entries_stay(cleaner):
    lines = [*PROSE, ENTRIES[0], ENTRIES[1]]
    assert kept(cleaner, lines) == lines


def test_prose_between_entries_splits_the_run(cleaner):
    lines = [PROSE[0], ENTRIES[0], PROSE[1], ENTRIES[1], PROSE[0], ENTRIES[2]]
    assert kept(cleaner, lines) == lines


def test_a_gap_longer_than_max_gap_splits_the_run(cleaner):
    lines = [*PROSE, ENTRIES[0], "Popular", "Most read", ENTRIES[1], ENTRIES[2]]
    assert kept(cleaner, lines) == lines


def test_a_long_label_before_the_run_stays(cleaner):
    label = "These are the stories our readers talked about"
    assert kept(cleaner, [*PROSE, label, *ENTRIES]) == [*PROSE, label]


def test_an_entry_over_max_chars_does_not_count(tmp_path):
    rules = write_rules(tmp_path, RULE.replace("header_max_words: 3", "header_max_words: 3\n  max_item_chars: 24"))
    lines = [*PROSE, *ENTRIES]
    assert Cleaner([rules], defaults=False).clean("\n".join(lines)).text == "\n".join(lines)
