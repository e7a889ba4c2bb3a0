"""`dedupe`: repeated, nearly repeated and truncated copies of a paragraph within one document.

    - id: duplicate-paragraphs
      kind: dedupe
      why: Scrapers repeat headlines and quotes, and leave cut-off copies of a paragraph.

FAIL (second copy dropped): the headline, then the same headline again
PASS (kept):                two different paragraphs that open with the same few words

Only the document at hand is looked at: text repeated across documents is content.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..model import RuleMeta
from ..schema import Matcher, boolean, fraction, integer, matcher_field, plain
from ..shapes import ends_sentence
from .base import UNBOUNDED, BuiltFromFields, Field, Page, repeats_on_purpose

_ELLIPSES = ("\u2026", "...")


def _without_ellipsis(text: str) -> str:
    for mark in _ELLIPSES:
        if text.endswith(mark):
            return text[: -len(mark)].rstrip()
    return text


@dataclass(frozen=True, slots=True)
class DedupeRule(BuiltFromFields):
    """A paragraph of at least `min_chars` that equals an earlier one is dropped. Paragraphs of at
    least `key_chars` that open with the same `key_chars` characters are compared further: with
    `truncated`, one that is a prefix of the other (an ellipsis at its end ignored) and does not
    end a sentence is a cut-off copy and is dropped, wherever it stands; with `near`, a later one
    whose similarity (difflib ratio) to the earlier is at least `near` is dropped (the same quote
    with another attribution). Grouping by opening characters keeps this linear: only paragraphs
    that share an opening are ever compared.

    Some pages repeat on purpose: an interview series asks each guest the same questions, a meal
    plan lists the same portions day after day. With `template_repeats`, a page on which at least
    that many different sentence-ending paragraphs occur three times or more is such a page, and
    the rule leaves it alone (furniture repeats as short labels, not as sentences).

    Paragraphs that match `exempt` are never taken for copies: list items repeat on purpose
    ("- See it now: Amazon" under every product), and so do the signature lines of embedded
    posts ("— Name (@handle) date").
    """

    FIELDS: ClassVar[dict[str, Field]] = {
        "min_chars": Field(plain(integer(1)), 20),
        "key_chars": Field(plain(integer(8)), 40),
        "truncated": Field(plain(boolean), True),
        "near": Field(plain(fraction)),
        "template_repeats": Field(plain(integer(1))),
        "exempt": Field(matcher_field),
    }
    max_chars: ClassVar[int] = UNBOUNDED  # no triggers: it sees every paragraph

    meta: RuleMeta
    min_chars: int
    key_chars: int
    truncated: bool
    near: float | None
    template_repeats: int | None
    exempt: Matcher | None

    def triggers(self) -> tuple[str, ...]:
        return ()

    def _copy_to_drop(self, earlier: str, later: str) -> str | None:
        """'earlier' or 'later' when one of the two is a copy of the other, else None."""
        if self.truncated:
            short, long_, which = (
                (earlier, later, "earlier") if len(earlier) < len(later) else (later, earlier, "later")
            )
            stem = _without_ellipsis(short)
            if stem != short or not ends_sentence(short):
                if long_.startswith(stem):
                    return which
        if self.near is not None:
            # difflib's real_quick_ratio, worked out before building the matcher (which indexes
            # every character of `later`): most pairs differ in length enough to stop here.
            shorter, total = min(len(earlier), len(later)), len(earlier) + len(later)
            if 2.0 * shorter / total < self.near:
                return None
            matcher = difflib.SequenceMatcher(None, earlier, later, autojunk=False)
            if matcher.quick_ratio() >= self.near:
                if matcher.ratio() >= self.near:
                    return "later"
        return None

    def _may_hold_copies(self, texts: Sequence[str]) -> bool:
        """False when no two paragraphs of `min_chars` or more are equal and no two of `key_chars`
        or more share their opening: then `select` has nothing to compare. Most pages are such,
        and sets answer it far faster than the loop below walks them.

        Two equal paragraphs long enough to have an opening share it, so whole paragraphs are
        compared only below `key_chars`: hashing the openings of the long ones costs less than
        hashing all of their text."""
        min_chars, key_chars = self.min_chars, self.key_chars
        keyed = max(min_chars, key_chars)
        openings = [t[:key_chars] for t in texts if len(t) >= keyed]
        if len(set(openings)) < len(openings):
            return True
        shorter = [t for t in texts if min_chars <= len(t) < keyed]
        return len(set(shorter)) < len(shorter)

    def select(self, page: Page) -> Iterator[int]:
        """Whether a paragraph is `exempt` is asked only when it matters: when it equals an
        earlier one, or is compared with one that shares its opening. Most paragraphs are
        neither, and asking every one cost a regex call each (about a sixth of the cleaning
        time). Exemption depends on the text alone, so an exempt paragraph may stand in `seen`
        and in the groups: a copy of it is exempt as well, and a group member that is exempt is
        passed over, exactly as if it had never been put there."""
        texts, timeout = page.texts, page.timeout
        if not self._may_hold_copies(texts):
            return
        if self.template_repeats is not None and repeats_on_purpose(page, self.min_chars, self.template_repeats):
            return
        exempt_matcher = self.exempt
        exempt_by_text: dict[str, bool] = {}

        def is_exempt(text: str) -> bool:
            if exempt_matcher is None:
                return False
            answer = exempt_by_text.get(text)
            if answer is None:
                answer = exempt_by_text[text] = exempt_matcher.matches(text, timeout)
            return answer

        seen: set[str] = set()
        openings: dict[str, list[int]] = {}
        for index, text in enumerate(texts):
            if len(text) < self.min_chars:
                continue
            if text in seen:
                if not is_exempt(text):
                    yield index
                continue
            seen.add(text)
            if len(text) < self.key_chars:
                continue
            group = openings.setdefault(text[: self.key_chars], [])
            if group and is_exempt(text):
                continue
            for position, other in enumerate(group):
                if is_exempt(texts[other]):
                    continue
                verdict = self._copy_to_drop(texts[other], text)
                if verdict == "later":
                    yield index
                    break
                if verdict == "earlier":
                    yield other
                    group[position] = index
                    break
            else:
                group.append(index)
