"""What every rule kind shares: how it declares its fields, and the view of a document it gets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from yaml.nodes import Node

from ..model import RuleMeta
from ..schema import Context


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


class Kind(Protocol):
    """A rule kind: a frozen dataclass with a `meta` field and the fields in `FIELDS`.

    `triggers()` returns regex sources that any paragraph the rule can drop will match (the
    engine ORs them into one scan); an empty tuple means the rule must see every paragraph.
    `select(page)` returns the indices of the paragraphs to drop. Both are pure.
    """

    FIELDS: ClassVar[dict[str, Field]]
    meta: RuleMeta

    @classmethod
    def build(cls, meta: RuleMeta, values: dict[str, Any], node: Node) -> Kind: ...

    def triggers(self) -> tuple[str, ...]: ...

    def select(self, page: Page) -> Iterable[int]: ...
