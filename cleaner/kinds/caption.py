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
from dataclasses import dataclass
from typing import ClassVar

from ..model import RuleMeta
from ..schema import Matcher, integer, matcher_field, plain
from ..shapes import is_title_like
from .base import BuiltFromFields, Field, Page


@dataclass(frozen=True, slots=True)
class CaptionRule(BuiltFromFields):
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
            if len(caption) > self.max_chars or not self.credit.matches(caption, page.timeout):
                continue
            if index > 0 and self._is_label_of(texts[index - 1], caption):
                yield index - 1
            yield index
