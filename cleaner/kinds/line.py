"""`line`: drop a paragraph that matches a phrase or a pattern.

    - id: source-read-full-article
      kind: line
      why: Aggregators append a link back to the original story.
      phrases: ["Source: Read Full Article"]

FAIL (dropped): "Source: Read Full Article"
PASS (kept):    "He said he would read more about it before deciding."
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from yaml.nodes import Node

from ..derived import PatternFacts
from ..model import RuleMeta
from ..schema import Invalid, Matcher, boolean, integer, make_matcher, pattern_list, phrase_list, plain
from .base import Field, Page


@dataclass(frozen=True, slots=True)
class LineRule:
    """Phrases compare case- and whitespace-insensitively with the whole paragraph (trailing
    punctuation such as ":" or "…" allowed), or with its start when `prefix` is true; patterns
    are regexes searched in the paragraph. `within_first`/`within_last` confine the rule to the
    first or last N paragraphs (when both are given, either admits a paragraph).

    A paragraph longer than `max_chars` is never dropped: furniture lines are short, and the
    limit lets the engine skip its trigger scan for long prose paragraphs (the longest line any
    shipped rule removes on the dev set is a 651-character photo caption; most are under 320).
    """

    FIELDS: ClassVar[dict[str, Field]] = {
        "phrases": Field(phrase_list, ()),
        "patterns": Field(pattern_list, ()),
        "prefix": Field(plain(boolean), False),
        "within_first": Field(plain(integer(1))),
        "within_last": Field(plain(integer(1))),
        "max_chars": Field(plain(integer(1)), 500),
    }

    meta: RuleMeta
    matcher: Matcher
    within_first: int | None
    within_last: int | None
    max_chars: int

    @classmethod
    def build(cls, meta: RuleMeta, values: dict[str, Any], node: Node, facts: PatternFacts) -> LineRule:
        if not values["phrases"] and not values["patterns"]:
            raise Invalid(node, "kind 'line' needs 'phrases' or 'patterns'")
        matcher = make_matcher(values["phrases"], values["patterns"], values["prefix"], facts)
        return cls(meta, matcher, values["within_first"], values["within_last"], values["max_chars"])

    def triggers(self) -> tuple[str, ...]:
        return self.matcher.sources

    def _in_bounds(self, index: int, count: int) -> bool:
        if self.within_first is None and self.within_last is None:
            return True
        if self.within_first is not None and index < self.within_first:
            return True
        return self.within_last is not None and index >= count - self.within_last

    def select(self, page: Page) -> Iterator[int]:
        texts, limit = page.texts, self.max_chars
        count = len(texts)
        for index in page.candidates:
            text = texts[index]
            if len(text) <= limit and self._in_bounds(index, count) and self.matcher.matches(text, page.timeout):
                yield index
