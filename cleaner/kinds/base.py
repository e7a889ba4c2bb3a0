"""What every rule kind shares: how it declares its fields, and the view of a document it gets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, Self

from yaml.nodes import Node

from .. import shapes
from ..derived import PatternFacts
from ..model import RuleMeta
from ..schema import Context

# The `max_chars` of a rule that must see paragraphs of any length.
UNBOUNDED = 1 << 62


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
    of the paragraphs the engine's trigger scan flagged and put down to this rule, because one
    of its triggers may match them: a rule with triggers only has to look at those, which is
    what keeps plain prose, and furniture that is another rule's, cheap. `timeout` (seconds,
    None for none) is passed to every regex call a rule makes, so that a pattern that
    backtracks without end raises TimeoutError instead of hanging the batch.
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
    `select(page)` returns the indices of the paragraphs to drop. Both are pure. `max_chars` is
    the longest paragraph the triggers need to flag (`UNBOUNDED` for a rule without triggers or
    one that may drop paragraphs of any length): the engine skips the scan of longer ones.
    `build` makes the rule from its fields as read; `facts` is what the load works out about
    pattern texts (`cleaner.derived`), for a kind that builds a `Matcher` itself.
    """

    FIELDS: ClassVar[dict[str, Field]]
    meta: RuleMeta

    @classmethod
    def build(cls, meta: RuleMeta, values: dict[str, Any], node: Node, facts: PatternFacts) -> Kind: ...

    @property
    def max_chars(self) -> int: ...

    def triggers(self) -> tuple[str, ...]: ...

    def select(self, page: Page) -> Iterable[int]: ...


class BuiltFromFields:
    """The `build` of a kind whose dataclass fields, after `meta`, are its `FIELDS` as read: no
    check across fields, nothing derived."""

    __slots__ = ()

    @classmethod
    def build(cls, meta: RuleMeta, values: dict[str, Any], node: Node, facts: PatternFacts) -> Self:
        return cls(meta, **values)  # type: ignore[call-arg]
