"""`linklist`: a run of short paragraphs that read as link titles, dropped as a block.

    - id: link-title-run
      kind: linklist
      why: A run of Title-Case link titles is a menu or a recirculation widget.
      min_items: 4

FAIL (all four dropped): "Apple Pro Display XDR" / "Deals: MacBook Pro Hits New Low Price" /
                          "Amazon Offers Free Music Through Its App" / "Top Stories This Week"
PASS (kept):              one short subheading between two prose paragraphs; a list that a
                          line ending in ":" introduces; rows of data ("June 9 -- Tampa, FL")

Recirculation widgets rarely share a phrase, but they share a shape: several paragraphs in a
row, each short, none ending as a sentence, most words capitalised. Lists the article itself
holds look different, and each difference is a guard: they are introduced ("The dates:"),
their items are built alike (same opening word, "Q:"/"A:"), carry data (digits, "label: value",
"city, state"), or are written in lower case (ingredients, features).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..model import RuleMeta
from ..schema import Matcher, fraction, integer, matcher_field, plain
from ..shapes import (
    capitalised_share,
    has_digit,
    has_inner_separator,
    is_title_like,
    opening_word,
    without_bullet,
)
from .base import UNBOUNDED, BuiltFromFields, Field, Page, repeats_on_purpose


def _reads_as_data(item: str) -> bool:
    return "," in item or has_digit(item) or has_inner_separator(item)


def _share(items: Sequence[str], test: Any) -> float:
    return sum(1 for item in items if test(item)) / len(items)


@dataclass(frozen=True, slots=True)
class LinkListRule(BuiltFromFields):
    """A maximal run of at least `min_items` title-like paragraphs (at most `max_item_chars`,
    no sentence ending) is dropped when, over its items:

    - the mean share of capitalised words is at least `min_capitalised`;
    - at most `max_data_share` read as data: they hold a digit, a comma, or a label/value or
      listing separator (dates, prices, scores, addresses, "VIP : 60,000");
    - at most `max_same_opening` open with the same word (templated lists: "Q:", "Meal 1");
    - the paragraph before the run does not end in ":" (an introduced list is content).

    A paragraph that `exempt` matches is neither dropped nor counted: a run that reads as links
    loses its other paragraphs only when they alone are still `min_items` and still read as
    links. The signature under an embedded post ("— Name (@handle) November 18, 2019") reads as
    a title, and where a post closes the article the furniture after it would otherwise take it
    along. `exempt` is asked only about the paragraphs of a run that reads as links: asked of
    every title-like paragraph, it made the rule half as dear again.

    With `template_repeats`, a page that repeats that many different sentences three times or
    more (see `shapes.repeats_on_purpose`) is left alone: its lists are part of the template.
    """

    FIELDS: ClassVar[dict[str, Field]] = {
        "min_items": Field(plain(integer(2)), 4),
        "max_item_chars": Field(plain(integer(1)), 120),
        "min_capitalised": Field(plain(fraction), 0.6),
        "max_data_share": Field(plain(fraction), 0.4),
        "max_same_opening": Field(plain(fraction), 0.5),
        "template_repeats": Field(plain(integer(1))),
        "exempt": Field(matcher_field),
    }
    max_chars: ClassVar[int] = UNBOUNDED  # no triggers: it sees every paragraph

    meta: RuleMeta
    min_items: int
    max_item_chars: int
    min_capitalised: float
    max_data_share: float
    max_same_opening: float
    template_repeats: int | None
    exempt: Matcher | None

    def triggers(self) -> tuple[str, ...]:
        return ()

    def _runs(self, texts: Sequence[str]) -> Iterator[tuple[int, int]]:
        """(start, stop) of every maximal run of title-like paragraphs of `min_items` or more."""
        start = None
        for index, text in enumerate([*texts, ""]):
            if text and is_title_like(text, self.max_item_chars):
                if start is None:
                    start = index
                continue
            if start is not None and index - start >= self.min_items:
                yield start, index
            start = None

    def _reads_as_links(self, items: Sequence[str]) -> bool:
        """The three tests of the class docstring, each worked out only when the ones before it
        pass: on the dev set two runs in three fail the first or the second."""
        bare = [without_bullet(item) for item in items]
        if sum(capitalised_share(item) for item in bare) / len(bare) < self.min_capitalised:
            return False
        if _share(bare, _reads_as_data) > self.max_data_share:
            return False
        openings = Counter(opening_word(item) for item in bare)
        return openings.most_common(1)[0][1] / len(bare) <= self.max_same_opening

    def select(self, page: Page) -> Iterator[int]:
        texts = page.texts
        runs = list(self._runs(texts))
        if not runs:
            return
        if self.template_repeats is not None and repeats_on_purpose(page, 20, self.template_repeats):
            return
        for start, stop in runs:
            if start > 0 and texts[start - 1].rstrip().endswith(":"):
                continue
            if self._reads_as_links(texts[start:stop]):
                yield from self._dropped(texts, start, stop)

    def _dropped(self, texts: Sequence[str], start: int, stop: int) -> Sequence[int]:
        """The paragraphs of a run that reads as links, but for those `exempt` matches, which are
        neither dropped nor counted: the others go only if they are still `min_items` and still
        read as links on their own. So an exempt paragraph can only ever save its neighbours,
        never help them into a run."""
        if self.exempt is None:
            return range(start, stop)
        items = [i for i in range(start, stop) if not self.exempt.matches(texts[i])]
        if len(items) == stop - start:
            return items
        if len(items) >= self.min_items and self._reads_as_links([texts[i] for i in items]):
            return items
        return ()
