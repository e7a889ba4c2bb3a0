"""`block`: a header paragraph, the list of items under it, and an optional closing line.

    - id: read-more-list
      kind: block
      why: A "Read more:" header introduces links to other stories, not article text.
      start: {phrases: ["Read more", "Related"]}

FAIL (all three dropped): "Read more:" / "Met chief’s letter in full" / "Will the law change?"
PASS (kept):              "Read more:" followed at once by a prose paragraph ending in "."
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import regex

from ..model import RuleMeta
from ..schema import Matcher, boolean, integer, matcher_field, pattern_list, plain
from ..shapes import is_title_like
from .base import BuiltFromFields, Field, Page


@dataclass(frozen=True, slots=True)
class BlockRule(BuiltFromFields):
    """The `start` paragraph is dropped with the paragraphs after it while they are items: they
    match `items` patterns, or (with `titles`, the default) read as titles, short and without
    a sentence ending. At most `max_items` are taken, and fewer than `min_items` means the start
    was not a list header after all and nothing is dropped. A paragraph right after the items
    that matches `end` goes too. A `start` longer than `max_chars` is not a header (the longest
    the shipped rules remove on the dev set is 104 characters); the limit lets the engine skip
    its trigger scan for long prose paragraphs.
    """

    FIELDS: ClassVar[dict[str, Field]] = {
        "start": Field(matcher_field, required=True),
        "items": Field(pattern_list, ()),
        "titles": Field(plain(boolean), True),
        "min_items": Field(plain(integer(0)), 1),
        "max_items": Field(plain(integer(1)), 10),
        "max_item_chars": Field(plain(integer(1)), 150),
        "end": Field(matcher_field),
        "max_chars": Field(plain(integer(1)), 200),
    }

    meta: RuleMeta
    start: Matcher
    items: tuple[regex.Pattern[str], ...]
    titles: bool
    min_items: int
    max_items: int
    max_item_chars: int
    end: Matcher | None
    max_chars: int

    def triggers(self) -> tuple[str, ...]:
        return self.start.sources

    def _is_item(self, text: str, timeout: float | None = None) -> bool:
        if len(text) > self.max_item_chars:
            return False
        if any(p.search(text, timeout=timeout) for p in self.items):
            return True
        return self.titles and is_title_like(text, self.max_item_chars)

    def select(self, page: Page) -> Iterator[int]:
        texts = page.texts
        for index in page.candidates:
            if len(texts[index]) > self.max_chars or not self.start.matches(texts[index], page.timeout):
                continue
            stop = index + 1
            while stop < len(texts) and stop - index <= self.max_items and self._is_item(texts[stop], page.timeout):
                stop += 1
            if stop - index - 1 < self.min_items:
                continue
            yield from range(index, stop)
            if self.end is not None and stop < len(texts) and self.end.matches(texts[stop], page.timeout):
                yield stop
