"""What every rule kind shares: how it declares its fields, and the view of a document it gets."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import regex
from yaml.nodes import Node

from .. import shapes
from ..model import RuleMeta
from ..schema import PATTERN_FLAGS, Context, Matcher

# A group reference (\\1, \\g<name>, (?P=name)) would name another pattern's group once patterns
# are joined into one alternation, and a global inline flag ("(?x)") would apply to all of them,
# so patterns holding either are never joined.
_NOT_JOINABLE = regex.compile(r"\\(?:[1-9]|g<)|\(\?P=|\(\?[a-zA-Z]+\)")


def combine(sources: Sequence[str], flags: int = 0) -> regex.Pattern[str] | None:
    """One alternation that matches where any of `sources` (compiled with `PATTERN_FLAGS`)
    would, or None when there are none or they cannot be joined safely: one regex call then
    does the work of one call per pattern."""
    if not sources or any(_NOT_JOINABLE.search(s) for s in sources):
        return None
    try:
        return regex.compile("|".join(f"(?:{s})" for s in sources), PATTERN_FLAGS | flags)
    except regex.error:
        return None


@dataclass(frozen=True, slots=True)
class AnyOf:
    """A `Matcher` asked as one regex call per paragraph rather than one per pattern (a phrase
    list of forty phrases is forty patterns). Same answers as `Matcher.matches`."""

    matcher: Matcher
    pattern: regex.Pattern[str] | None

    @classmethod
    def of(cls, matcher: Matcher) -> AnyOf:
        same_flags = len({p.flags for p in matcher.patterns}) == 1
        return cls(matcher, combine(matcher.sources) if same_flags and len(matcher.patterns) > 1 else None)

    def matches(self, paragraph: str, timeout: float | None = None) -> bool:
        if self.pattern is None:
            return self.matcher.matches(paragraph, timeout)
        return self.pattern.search(paragraph, timeout=timeout) is not None


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a kind: how to read it from YAML, and its default when absent."""

    convert: Callable[[Node, Context], Any]
    default: Any = None
    required: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    """The document as a rule sees it.

    `texts` are the normalised paragraphs, in order. `candidates` are the indices (ascending)
    of the paragraphs the engine's combined trigger scan flagged: a rule with triggers only has
    to look at those, which is what keeps plain prose cheap. `timeout` (seconds, None for none)
    is passed to every regex call a rule makes, so that a pattern that backtracks without end
    raises TimeoutError instead of hanging the batch.
    """

    texts: tuple[str, ...] | list[str]
    candidates: tuple[int, ...]
    timeout: float | None = None
    # What several rules ask of the same page (see `repeats_on_purpose`), worked out once per page.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)


def repeats_on_purpose(page: Page, min_chars: int, distinct: int) -> bool:
    """`shapes.repeats_on_purpose` of the page's paragraphs, worked out once per page: the
    dedupe and linklist rules both ask it, with the same arguments, on every page."""
    key = ("repeats_on_purpose", min_chars, distinct)
    answer = page.memo.get(key)
    if answer is None:
        answer = page.memo[key] = shapes.repeats_on_purpose(page.texts, min_chars, distinct)
    return answer


class Kind(Protocol):
    """A rule kind: a frozen dataclass with a `meta` field and the fields in `FIELDS`.

    `triggers()` returns regex sources that any paragraph the rule can drop will match (the
    engine ORs them into one scan); an empty tuple means the rule must see every paragraph. A
    rule with triggers drops nothing from a page without candidates: what it drops hangs on a
    paragraph its triggers flag (a header, a marker), so the engine does not ask it then.
    `select(page)` returns the indices of the paragraphs to drop. Both are pure.
    """

    FIELDS: ClassVar[dict[str, Field]]
    meta: RuleMeta

    @classmethod
    def build(cls, meta: RuleMeta, values: dict[str, Any], node: Node) -> Kind: ...

    def triggers(self) -> tuple[str, ...]: ...

    def select(self, page: Page) -> Iterable[int]: ...
