r"""`caption`: a photo caption that ends in a credit, with the name label shown above it.

    - id: photo-credit-caption
      kind: caption
      why: Photo captions with an agency credit describe a picture, not the story.
      credit: {patterns: ['\(\s*[^()/]{2,60}/[^()]{2,60}\)$']}

FAIL (both dropped): "Sir Mark Rowley" / "Sir Mark Rowley has written to ... (James Manning/PA)"
PASS (kept):         "The Crown Prosecution Service (CPS) said it would review the case."
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from yaml.nodes import Node

from ..model import RuleMeta
from ..schema import Matcher, integer, matcher_field, plain
from ..shapes import is_title_like
from .base import AnyOf, Field, Page


@dataclass(frozen=True, slots=True)
class CaptionRule:
    """A paragraph of at most `max_chars` that matches `credit` is a caption. The paragraph just
    before it goes too when it is a label: at most `label_max_words` words, not a sentence, and
    named (case-insensitively) inside the caption. `max_chars` also lets the engine skip its
    trigger scan for longer paragraphs (the longest caption the shipped rules remove on the dev
    set is 301 characters).
    """

    FIELDS: ClassVar[dict[str, Field]] = {
        "credit": Field(matcher_field, required=True),
        "max_chars": Field(plain(integer(1)), 400),
        "label_max_words": Field(plain(integer(1)), 8),
    }

    meta: RuleMeta
    credit: Matcher
    max_chars: int
    label_max_words: int
    _credit: AnyOf = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_credit", AnyOf.of(self.credit))

    @classmethod
    def build(cls, meta: RuleMeta, values: dict[str, Any], node: Node) -> CaptionRule:
        return cls(meta, **values)

    def triggers(self) -> tuple[str, ...]:
        return self.credit.sources

    def _is_label_of(self, label: str, caption: str) -> bool:
        return (
            len(label.split()) <= self.label_max_words
            and is_title_like(label)
            and label.casefold() in caption.casefold()
        )

    def select(self, page: Page) -> Iterator[int]:
        texts = page.texts
        for index in page.candidates:
            caption = texts[index]
            if len(caption) > self.max_chars or not self._credit.matches(caption, page.timeout):
                continue
            if index > 0 and self._is_label_of(texts[index - 1], caption):
                yield index - 1
            yield index
