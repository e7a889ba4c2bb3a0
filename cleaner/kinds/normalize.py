"""`normalize`: ordered text transforms, applied to the document before any rule looks at it.

    - id: normalise-text
      kind: normalize
      why: Invisible and odd whitespace and mojibake make equal text compare unequal.
      transforms: [mojibake, nfc, spaces, zero-width, collapse-whitespace, trim]

CHANGED: "including\u00a0 Scotland Yard" -> "including Scotland Yard"
KEPT:    "“Typographic quotes” stay – as do dashes."
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from yaml.nodes import Node

from ..derived import PatternFacts
from ..model import RuleMeta
from ..normalize import TRANSFORMS, Untouched, apply_transforms
from ..schema import Context, Invalid, sequence, text
from .base import UNBOUNDED, Field, Page


def transform_list(node: Node, ctx: Context) -> tuple[str, ...]:
    items = sequence(node, "transforms")
    if not items:
        raise Invalid(node, "must not be an empty list")
    names = []
    for item in items:
        name = text(item)
        if name not in TRANSFORMS:
            raise Invalid(item, f"unknown transform '{name}' (expected: {', '.join(TRANSFORMS)})")
        names.append(name)
    return tuple(names)


@dataclass(frozen=True, slots=True)
class NormalizeRule:
    """Transforms come from the table in `cleaner.normalize`; each keeps the line count, so input
    line numbers stay true. This kind changes text and drops nothing.
    """

    FIELDS: ClassVar[dict[str, Field]] = {"transforms": Field(transform_list, required=True)}
    max_chars: ClassVar[int] = UNBOUNDED  # no triggers: it sees every paragraph

    meta: RuleMeta
    transforms: tuple[str, ...]
    # Whether a document needs none of the transforms (see `normalize.Untouched`).
    untouched: Untouched = field(compare=False, repr=False)

    @classmethod
    def build(cls, meta: RuleMeta, values: dict[str, Any], node: Node, facts: PatternFacts) -> NormalizeRule:
        return cls(meta, values["transforms"], Untouched.of(values["transforms"]))

    def triggers(self) -> tuple[str, ...]:
        return ()

    def select(self, page: Page) -> Iterator[int]:
        return iter(())

    def transform(self, document: str) -> str:
        if self.untouched(document):
            return document
        return apply_transforms(document, self.transforms)
