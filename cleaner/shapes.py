"""What a paragraph looks like, independent of what it says.

Furniture often shares a shape rather than a phrase: a link list is a run of short lines that end
without a full stop. These tests are the shared vocabulary of the rule kinds that look at shape.

>>> is_title_like("Will armed officer’s murder charge force change?")
True
>>> is_title_like("He said he would read more about it before deciding.")
False
>>> is_headline("Army stood down after enough armed police return to work")
True
"""

from __future__ import annotations

import re

# A line that ends as a sentence or an introduction does ("." "!" ":" ";" "," "…"), perhaps
# followed by closing quotes or brackets. A question mark is allowed: headlines ask questions.
_SENTENCE_END = re.compile(r"[.!:;,\u2026][\"'\u2019\u201d)\]]*$")
_LETTER = re.compile(r"[^\W\d_]")


def ends_sentence(text: str) -> bool:
    return _SENTENCE_END.search(text) is not None


def is_title_like(text: str, max_chars: int = 150) -> bool:
    """Short, has a letter, and does not end like a sentence: a link title or a label."""
    return len(text) <= max_chars and not ends_sentence(text) and _LETTER.search(text) is not None


def is_headline(text: str) -> bool:
    """A first paragraph that reads as a headline: title-like, of three to thirty words."""
    return is_title_like(text, max_chars=250) and 3 <= len(text.split()) <= 30
