"""The registry of rule kinds: a rule's `kind` field names one of these, and nothing else."""

from __future__ import annotations

from .base import Field, Kind, Page
from .block import BlockRule
from .caption import CaptionRule
from .dedupe import DedupeRule
from .line import LineRule
from .linklist import LinkListRule
from .normalize import NormalizeRule
from .run import RunRule
from .tail import TailRule

KINDS: dict[str, type[Kind]] = {
    "normalize": NormalizeRule,
    "line": LineRule,
    "block": BlockRule,
    "tail": TailRule,
    "caption": CaptionRule,
    "dedupe": DedupeRule,
    "linklist": LinkListRule,
    "run": RunRule,
}

__all__ = ["KINDS", "Field", "Kind", "NormalizeRule", "Page"]
