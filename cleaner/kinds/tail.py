"""`tail`: from a recirculation marker to the end of the document.

    - id: you-may-like-tail
      kind: tail
      why: Everything after "Articles You May Like" is a list of other stories.
      marker: {phrases: ["Articles You May Like"]}

FAIL (dropped to the end): "Articles You May Like" followed by five link titles, near the end
PASS (kept):               the same marker in the first half, or followed by prose
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from yaml.nodes import Node

from ..model import RuleMeta
from ..schema import Matcher, fraction, integer, matcher_field, plain
from ..shapes import is_title_like
from .base import BuiltFromFields, Field, Page


def share(node: Node) -> float:
    """A share from 0 to 1: 0 lets a marker that only ever opens furniture (a comment form's
    header) take what follows whatever its shape, since reader comments are prose."""
    if getattr(node, "value", None) in ("0", "0.0"):
        return 0.0
    return fraction(node)


@dataclass(frozen=True, slots=True)
class TailRule(BuiltFromFields):
    """Two guards keep a tail cut from eating an article: the marker must sit in the last
    `max_fraction` of the paragraphs, and at least `min_title_share` of what follows it (at least
    `min_items` paragraphs) must read as titles. A marker is a short label: one longer than
    `max_chars` is not one (the longest the shipped rules remove on the dev set is 101
    characters), and the limit lets the engine skip its trigger scan for long prose paragraphs.
    """

    FIELDS: ClassVar[dict[str, Field]] = {
        "marker": Field(matcher_field, required=True),
        "max_fraction": Field(plain(fraction), 0.5),
        "min_title_share": Field(plain(share), 0.8),
        "min_items": Field(plain(integer(0)), 1),
        "max_item_chars": Field(plain(integer(1)), 150),
        "max_chars": Field(plain(integer(1)), 200),
    }

    meta: RuleMeta
    marker: Matcher
    max_fraction: float
    min_title_share: float
    min_items: int
    max_item_chars: int
    max_chars: int

    def triggers(self) -> tuple[str, ...]:
        return self.marker.sources

    def select(self, page: Page) -> Iterator[int]:
        count = len(page.texts)
        for index in page.candidates:
            if (count - index) > self.max_fraction * count:
                continue
            following = page.texts[index + 1 :]
            marker = page.texts[index]
            if len(following) < self.min_items or len(marker) > self.max_chars:
                continue
            if not self.marker.matches(marker, page.timeout):
                continue
            titles = sum(1 for text in following if is_title_like(text, self.max_item_chars))
            if following and titles < self.min_title_share * len(following):
                continue
            yield from range(index, count)
            return
