"""Quality rules for page navigation and comment sections, and the tail kind's zero title share."""

from __future__ import annotations

import pytest
from helpers import write_rules

from cleaner import Cleaner
from cleaner.model import RuleError

ARTICLE = [
    "The council approved the budget on Tuesday after a long debate in the chamber.",
    "A final vote on the details is expected next month, officials said.",
    "The mayor said the plan would be reviewed again in the spring.",
]


def _tail_rules(tmp_path, share):
    return write_rules(
        tmp_path,
        f"""
- id: comments
  kind: tail
  why: comments follow
  min_title_share: {share}
  min_items: 0
  marker: {{phrases: ["Leave a Reply"]}}
  examples: {{remove: [{{text: "One.\\nTwo.\\nLeave a Reply", removed: [3]}}], keep: ["Reply."]}}
""",
    )


def test_tail_with_zero_title_share_takes_prose_after_the_marker(tmp_path):
    cleaner = Cleaner([_tail_rules(tmp_path, 0)], defaults=False)
    text = "\n".join([*ARTICLE, "Leave a Reply", "Great piece, thank you for writing it."])
    assert cleaner.clean(text).text == "\n".join(ARTICLE)


def test_tail_with_default_share_keeps_prose_after_the_marker(tmp_path):
    cleaner = Cleaner([_tail_rules(tmp_path, 0.8)], defaults=False)
    text = "\n".join([*ARTICLE, "Leave a Reply", "Great piece, thank you for writing it."])
    assert cleaner.clean(text).text == text


def test_tail_share_must_not_be_negative(tmp_path):
    with pytest.raises(RuleError):
        Cleaner([_tail_rules(tmp_path, -0.5)], defaults=False)


def test_comment_form_near_the_top_is_not_a_tail():
    text = "\n".join(["Join the discussion", *ARTICLE, "He said more would follow."])
    assert Cleaner().clean(text).text == text
