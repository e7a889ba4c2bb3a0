r"""`run`: several short paragraphs close together that each match an item pattern, dropped as a block.

    - id: dated-link-run
      kind: run
      why: Link titles stamped with a date or a comment count are a listing of other stories.
      items: {patterns: ['^(?=.{0,200}$).*\S \d+ comments?$']}
      min_items: 3

FAIL (all dropped): "Recent" / "Court admits CCTV footage November 19, 2019" / "Popular" /
                    "Governor writes to Lagosians 11 comments" / "Boy kills brother 10 comments"
PASS (kept):        one dated paragraph, or dated items with prose between them

A listing stamps every entry the same way (a date, "N comments", a running time, "[Video]"),
so its entries match one pattern although their titles share nothing. One such line can be
article text (an embedded tweet ends in its date); three within a few lines are a widget. Short
labels between the entries ("Popular", "Most read") and just before the first ("Recent") belong
to the widget too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..model import RuleMeta
from ..schema import Matcher, integer, matcher_field, plain
from ..shapes import is_title_like
from .base import BuiltFromFields, Field, Page


@dataclass(frozen=True, slots=True)
class RunRule(BuiltFromFields):
    """At least `min_items` paragraphs of at most `max_item_chars` that match `items`, each
    separated from the next by at most `max_gap` title-like paragraphs, are dropped from the
    first to the last, with the gaps. The paragraph just before the first item goes too when it
    is a title-like label of at most `header_max_words` words (0: never).
    """

    FIELDS: ClassVar[dict[str, Field]] = {
        "items": Field(matcher_field, required=True),
        "min_items": Field(plain(integer(2)), 3),
        "max_item_chars": Field(plain(integer(1)), 200),
        "max_gap": Field(plain(integer(0)), 1),
        "header_max_words": Field(plain(integer(0)), 3),
    }

    meta: RuleMeta
    items: Matcher
    min_items: int
    max_item_chars: int
    max_gap: int
    header_max_words: int

    @property
    def max_chars(self) -> int:
        """The longest paragraph the triggers need to flag: only items are triggered, and an item
        is at most `max_item_chars` long (the engine skips its scan for longer paragraphs)."""
        return self.max_item_chars

    def triggers(self) -> tuple[str, ...]:
        return self.items.sources

    def _groups(self, texts: Sequence[str], items: Sequence[int]) -> Iterator[list[int]]:
        """The matching paragraphs grouped into runs: a gap longer than `max_gap`, or one that
        holds a paragraph that is not title-like, ends a run."""
        group: list[int] = []
        for index in items:
            if group and not (
                index - group[-1] - 1 <= self.max_gap
                and all(is_title_like(texts[i], self.max_item_chars) for i in range(group[-1] + 1, index))
            ):
                yield group
                group = []
            group.append(index)
        if group:
            yield group

    def _is_header(self, text: str) -> bool:
        return len(text.split()) <= self.header_max_words and is_title_like(text)

    def select(self, page: Page) -> Iterator[int]:
        texts = page.texts
        items = [
            i
            for i in page.candidates
            if len(texts[i]) <= self.max_item_chars and self.items.matches(texts[i], page.timeout)
        ]
        if len(items) < self.min_items:
            return
        for group in self._groups(texts, items):
            if len(group) < self.min_items:
                continue
            first = group[0]
            if first > 0 and self._is_header(texts[first - 1]):
                first -= 1
            yield from range(first, group[-1] + 1)
