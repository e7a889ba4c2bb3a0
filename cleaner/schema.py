"""Reading rule fields out of YAML nodes, keeping the position of every value for error messages.

Rule files are parsed with `yaml.compose`, which keeps each node's line and column. The
converters here turn a node into a typed value or report a `Problem` at that node: nothing is
guessed from the text of a library's error message, and every problem in a file is collected
before the load fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .derived import PatternFacts
from .model import Location, Problem
from .patterns import (
    GLOBAL_FLAG,
    GROUP_CALL,
    GROUP_REFERENCE,
    PATTERN_FLAGS,
    WIDE_OPENINGS,
    ends_anchored,
    reversible,
    starts_anchored,
)

# A pattern that refers to its own groups, or sets a global flag, cannot join an alternation.
_NOT_JOINABLE = regex.compile(GROUP_REFERENCE.pattern + "|" + GROUP_CALL.pattern + "|" + GLOBAL_FLAG.pattern)


def joinable(sources: Iterable[str]) -> bool:
    """Whether patterns can stand side by side in one alternation: none refers to or calls its
    own groups (the numbers would shift) or sets a global flag (it would apply to all of them)."""
    return not any(_NOT_JOINABLE.search(s) for s in sources)


def combine(sources: Sequence[str], flags: int = 0) -> regex.Pattern[str] | None:
    """One alternation that matches where any of `sources` (compiled with `PATTERN_FLAGS`)
    would, or None when there are none or they cannot be joined safely: one regex call then
    does the work of one call per pattern.

    Each pattern stands in a capturing group, not a plain one: the regex module (2026.11.19)
    merges plain branches that come down to a negated class at the same place, and the merged
    class matches less than the branches did (`[^a]|[^b]` finds nothing in "a", and from the
    end `(?:[^!]$)|(?:[^b]$)` nothing in " !"); a capturing group keeps each branch whole.
    Generated alternations found 8 such misses in 18,000 with plain groups, none with these.
    """
    if not sources or not joinable(sources):
        return None
    try:
        return regex.compile("|".join(f"({s})" for s in sources), PATTERN_FLAGS | flags)
    except (regex.error, ValueError):  # ValueError: a flag that clashes with ours, "(?V1)"
        return None


class Invalid(Exception):
    """A value that cannot be converted; carries the node so the problem can point at it."""

    def __init__(self, node: Node, message: str, column_offset: int = 0) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        self.column_offset = column_offset


@dataclass
class Context:
    """Where the loader is (file and rule id) and the problems found so far."""

    path: str
    rule_id: str | None = None
    problems: list[Problem] = field(default_factory=list)
    # What the matchers' probes work out about each pattern text (see `cleaner.derived`).
    facts: PatternFacts = field(default_factory=PatternFacts)

    def location(self, node: Node, column_offset: int = 0) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1 + column_offset)

    def report(self, node: Node, message: str, column_offset: int = 0) -> None:
        self.problems.append(Problem(self.location(node, column_offset), self.rule_id, message))

    def report_invalid(self, error: Invalid) -> None:
        self.report(error.node, error.message, error.column_offset)


_TYPE_NAMES = {
    "tag:yaml.org,2002:str": "a string",
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:seq": "a list",
    "tag:yaml.org,2002:map": "a mapping",
}


def describe(node: Node) -> str:
    return _TYPE_NAMES.get(node.tag, node.tag)


def scalar(node: Node) -> Any:
    """The Python value of a scalar node, as yaml.safe_load would give it."""
    if not isinstance(node, ScalarNode):
        raise Invalid(node, f"expected a single value, got {describe(node)}")
    try:
        return SafeConstructor().construct_object(node, deep=True)
    except ConstructorError as error:
        raise Invalid(node, f"cannot read value: {error.problem}") from None


def mapping_items(node: Node, what: str) -> list[tuple[str, ScalarNode, Node]]:
    """(key, key node, value node) triples of a mapping; duplicate or non-string keys are errors."""
    if not isinstance(node, MappingNode):
        raise Invalid(node, f"{what} must be a mapping, got {describe(node)}")
    seen: set[str] = set()
    items = []
    for key_node, value_node in node.value:
        key = scalar(key_node)
        if not isinstance(key, str):
            raise Invalid(key_node, f"field names must be strings, got {key!r}")
        if key in seen:
            raise Invalid(key_node, f"duplicate field '{key}'")
        seen.add(key)
        items.append((key, key_node, value_node))
    return items


def sequence(node: Node, what: str) -> list[Node]:
    if not isinstance(node, SequenceNode):
        raise Invalid(node, f"must be a list, got {describe(node)}")
    return list(node.value)


# --- converters: node -> typed value -------------------------------------------------------


def text(node: Node) -> str:
    value = scalar(node)
    if not isinstance(value, str):
        raise Invalid(node, f"expected a string, got {describe(node)}")
    if not value.strip():
        raise Invalid(node, "must not be empty")
    return value


def boolean(node: Node) -> bool:
    value = scalar(node)
    if not isinstance(value, bool):
        raise Invalid(node, f"expected true or false, got {describe(node)}")
    return value


def integer(minimum: int) -> Callable[[Node], int]:
    def convert(node: Node) -> int:
        value = scalar(node)
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(node, f"expected an integer, got {describe(node)}")
        if value < minimum:
            raise Invalid(node, f"must be at least {minimum}, got {value}")
        return value

    return convert


def fraction(node: Node) -> float:
    value = scalar(node)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(node, f"expected a number between 0 and 1, got {describe(node)}")
    if not 0 < value <= 1:
        raise Invalid(node, f"must be greater than 0 and at most 1, got {value}")
    return float(value)


def string_list(node: Node, what: str) -> tuple[str, ...]:
    items = sequence(node, what)
    if not items:
        raise Invalid(node, "must not be an empty list")
    return tuple(text(item) for item in items)


def _pattern_column(node: ScalarNode, position: int) -> int:
    """Column offset, inside the file, of character `position` of a scalar's value.

    Exact for plain and single-quoted one-line scalars; for double-quoted scalars the escapes
    before `position` are walked; for block scalars the start of the value is the best we know.
    """
    if node.style in (None, ""):
        return position
    if node.style == "'":
        raw = node.start_mark.buffer
        index = node.start_mark.pointer + 1 if raw is not None else 0
        offset, seen = 1, 0
        while raw is not None and seen < position and index < len(raw):
            step = 2 if raw[index : index + 2] == "''" else 1
            index += step
            offset += step
            seen += 1
        return offset if raw is not None else position + 1
    if node.style == '"':
        raw = node.start_mark.buffer
        if raw is None:
            return position + 1
        index = node.start_mark.pointer + 1
        offset, seen = 1, 0
        widths = {"x": 4, "u": 6, "U": 10}
        while seen < position and index < len(raw):
            step = widths.get(raw[index + 1], 2) if raw[index] == "\\" else 1
            index += step
            offset += step
            seen += 1
        return offset
    return 0


def compile_pattern(node: Node) -> regex.Pattern[str]:
    source = text(node)
    try:
        return regex.compile(source, PATTERN_FLAGS)
    except (regex.error, ValueError) as error:  # ValueError: a flag that clashes with ours, "(?V1)"
        position = getattr(error, "pos", None) or 0
        assert isinstance(node, ScalarNode)
        message = str(error).split(" at position")[0]
        raise Invalid(
            node, f"pattern does not compile: {message}", _pattern_column(node, position)
        ) from None


# In a phrase, a straight or a curly quote matches either style.
_QUOTE_CLASSES = {
    "'": "['\u2019]",
    "\u2019": "['\u2019]",
    '"': '["\u201c\u201d]',
    "\u201c": '["\u201c\u201d]',
    "\u201d": '["\u201c\u201d]',
}


def _phrase_source(phrase: str, prefix: bool) -> str:
    """A literal phrase as a regex: any case, any run of spaces, either style of quote.

    A whole-paragraph phrase also allows trailing punctuation such as "Read more:" or
    "Related…"; a prefix phrase must end at a word boundary.
    """
    parts = ["".join(_QUOTE_CLASSES.get(c) or regex.escape(c) for c in word) for word in phrase.split()]
    body = r"\s+".join(parts)
    ending = r"(?!\w)" if prefix else r"[\s:.\u2026!|>\u00bb\u203a\-\u2013\u2014]*$"
    return rf"^\s*{body}{ending}"


class Reported(Exception):
    """A problem (or several) already recorded in the context; the caller stops reading the value."""


Converter = Callable[[Node, Context], Any]


def pattern_list(node: Node, ctx: Context) -> tuple[regex.Pattern[str], ...]:
    """A non-empty list of regexes, each compiled now; every bad pattern is reported, not the first."""
    items = sequence(node, "patterns")
    if not items:
        raise Invalid(node, "must not be an empty list")
    compiled, bad = [], False
    for item in items:
        try:
            compiled.append(compile_pattern(item))
        except Invalid as error:
            ctx.report_invalid(error)
            bad = True
    if bad:
        raise Reported()
    return tuple(compiled)


def phrase_list(node: Node, ctx: Context) -> tuple[str, ...]:
    return string_list(node, "phrases")


@dataclass(frozen=True, slots=True)
class Probe:
    """One regex call a `Matcher` may make: a pattern anchored at the paragraph's start (asked
    with `match`), anchored at its end (compiled REVERSE, so that `match` starts from the end),
    or neither (asked with `search`). `first_chars` and `last_chars`, when known, are the ASCII
    characters a paragraph it matches can open and end with (`patterns.openings`, `endings`): a
    paragraph whose edge character is ASCII and not listed is answered without the call."""

    pattern: regex.Pattern[str]
    anchored: bool
    first_chars: frozenset[str] | None = None
    last_chars: frozenset[str] | None = None

    def matches(self, paragraph: str, timeout: float | None) -> bool:
        if paragraph:
            first, last = paragraph[0], paragraph[-1]
            if self.first_chars is not None and first.isascii() and not first.isspace() and first not in self.first_chars:
                return False
            if self.last_chars is not None and last.isascii() and not last.isspace() and last not in self.last_chars:
                return False
        if self.anchored:
            return self.pattern.match(paragraph, timeout=timeout) is not None
        return self.pattern.search(paragraph, timeout=timeout) is not None


def probes_for(sources: Sequence[str], facts: PatternFacts | None = None) -> tuple[Probe, ...]:
    """The fewest cheap regex calls that together answer whether any of `sources` (compiled with
    `PATTERN_FLAGS`) is found in a paragraph.

    Joining every pattern of a rule into one alternation and searching it was the dearest part
    of a rule's work: at each position of the paragraph the engine tries every branch, so a
    480-character paragraph cost 80 µs against one rule of eight patterns. Instead the
    start-anchored patterns are joined and matched at position 0 only; those anchored at the end
    are joined REVERSE and matched from the end only (so are those anchored at both ends that
    almost any character can open, such as "^.* 3 comments$": from the end they fail at once);
    the rest are joined and searched. A pattern that cannot be joined (it refers to its own
    groups, or sets a global flag) is searched on its own. A pattern the engine may match
    differently from the end (an atomic group, a possessive quantifier, a negated class where
    case counts) is never matched backwards (see `patterns.reversible`). The edge characters
    come from `facts` (`cleaner.derived`), worked out there or read back.
    """
    facts = facts if facts is not None else PatternFacts()
    one_by_one = tuple(Probe(regex.compile(s, PATTERN_FLAGS), anchored=False) for s in sources)
    if not sources or not joinable(sources):
        return one_by_one
    backwards = {s for s in sources if ends_anchored(s) and reversible(s)}
    first_chars = {s: facts.openings(s) for s in sources if starts_anchored(s)}
    at_start = [s for s in first_chars if s not in backwards or len(first_chars[s]) < WIDE_OPENINGS]
    at_end = [s for s in sources if s in backwards and s not in at_start]
    anywhere = [s for s in sources if s not in first_chars and s not in backwards]
    probes = []
    for group, flags in ((at_start, 0), (at_end, regex.REVERSE), (anywhere, 0)):
        if not group:
            continue
        pattern = _joined(group, flags)
        if pattern is None:  # does not compile as one alternation: each pattern on its own
            return one_by_one
        if group is at_start:
            first = frozenset().union(*(first_chars[s] for s in group))
            last = frozenset().union(*(facts.endings(s) for s in group)) if backwards.issuperset(group) else None
            probes.append(Probe(pattern, True, first, last))
        elif group is at_end:
            probes.append(Probe(pattern, True, None, frozenset().union(*(facts.endings(s) for s in group))))
        else:
            probes.append(Probe(pattern, False))
    return tuple(probes)


def _joined(sources: Sequence[str], flags: int = 0) -> regex.Pattern[str] | None:
    if len(sources) == 1:
        return regex.compile(sources[0], PATTERN_FLAGS | flags)
    return combine(sources, flags)


@dataclass(frozen=True, slots=True)
class Matcher:
    """Literal phrases and regex patterns, any of which can match a paragraph.

    The engine ORs the `sources` of every rule into one scan, so that a paragraph that no rule
    could match costs one search rather than one per rule. Inside one rule, `probes` are the
    same patterns as a few cheap calls (see `probes_for`): a list of forty phrases is one call,
    and most paragraphs are answered from their first or last character alone ("Read more"
    cannot match a paragraph that ends "said."), with no call at all.
    """

    patterns: tuple[regex.Pattern[str], ...]
    probes: tuple[Probe, ...] = field(default=(), compare=False, repr=False)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(p.pattern for p in self.patterns)

    def matches(self, paragraph: str, timeout: float | None = None) -> bool:
        """`timeout` bounds each regex call (seconds); past it the regex module raises TimeoutError."""
        if not self.probes:
            return any(p.search(paragraph, timeout=timeout) for p in self.patterns)
        return any(probe.matches(paragraph, timeout) for probe in self.probes)


def make_matcher(
    phrases: tuple[str, ...],
    patterns: tuple[regex.Pattern[str], ...],
    prefix: bool,
    facts: PatternFacts | None = None,
) -> Matcher:
    compiled = tuple(regex.compile(_phrase_source(p, prefix), PATTERN_FLAGS) for p in phrases) + patterns
    return Matcher(compiled, probes_for([p.pattern for p in compiled], facts))


_MATCHER_FIELDS = ("phrases", "patterns", "prefix")


def matcher_field(node: Node, ctx: Context) -> Matcher:
    """A nested `{phrases, patterns, prefix}` mapping, as used by `start`, `end` and `marker`."""
    values: dict[str, Any] = {}
    for key, key_node, value_node in mapping_items(node, "a matcher"):
        if key not in _MATCHER_FIELDS:
            raise Invalid(key_node, f"unknown field '{key}' (expected: {', '.join(_MATCHER_FIELDS)})")
        try:
            if key == "prefix":
                values[key] = boolean(value_node)
            elif key == "phrases":
                values[key] = phrase_list(value_node, ctx)
            else:
                values[key] = pattern_list(value_node, ctx)
        except Invalid as error:
            raise Invalid(error.node, f"{key}: {error.message}", error.column_offset) from None
    if not values.get("phrases") and not values.get("patterns"):
        raise Invalid(node, "needs 'phrases' or 'patterns'")
    return make_matcher(values.get("phrases", ()), values.get("patterns", ()), values.get("prefix", False), ctx.facts)


def plain(convert: Callable[[Node], Any]) -> Converter:
    """Adapt a converter that needs no context to the (node, ctx) shape."""
    return lambda node, ctx: convert(node)
