"""The literal text every match of a pattern must contain: a cheap test that rules out a pattern.

A trigger such as ``^(?:we|[\\w.-]+(?: [\\w.-]+){0,2}) (?:are )?moderat(?:e|es|ing) comments``
can open with any word, so the scan's dispatch by opening characters cannot keep it from any
paragraph, and asking it of every paragraph is the dearest part of the scan. Yet no paragraph
matches it that does not contain "moderat". Finding the strings a match cannot do without
(one of a small set, as with ``(?:newsletters?|inbox)``) lets the scan look for them instead:
one fast literal search across the whole document, which the regex engine runs at memory
speed, in place of one walk of the pattern per paragraph.

The analysis reads the pattern with the standard library's parser (``re._parser``); a pattern
that parser does not read (syntax only the ``regex`` module has) gets no literals and is
scanned as before. It is exact in one direction only, which is the one that matters: every
match contains one of the strings found, so searching for them (with the pattern's own flags,
so case folding agrees) never misses a paragraph the pattern could match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse as sre_parser  # type: ignore[no-redef]

__all__ = ["required_literals"]

# Strings shorter than this are too common to rule anything out ("the", "of "), unless they hold
# a character that prose seldom uses ("@" of an e-mail address, "©", "|", the "/" of a URL or a
# wire credit: 2% of the paragraphs of the bench's input.txt hold one).
MIN_LITERAL = 4
_RARE_IN_PROSE = frozenset("@©®™|#»«›‹•→←►▶/")
# More strings than this cost more searches than the pattern's own walk saves.
MAX_LITERALS = 2

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", None)
if _POSSESSIVE is not None:
    _REPEATS.add(_POSSESSIVE)
_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}

# Syntax the two engines read differently: the `regex` module's fuzzy constraints
# ("(?:word){e<=1}") and POSIX classes ("[[:alpha:]]") parse as plain literals in `re`, which
# would make a required string out of text a match need not contain.
_READ_DIFFERENTLY = re.compile(r"\{\s*[^\d\s,}]|\[:")

# A Unicode property class ("\p{Lu}", "\P{L}"), which only the `regex` module reads. It stands for
# one character and never for a literal, so the analysis reads it as "." (any character): the
# strings it finds are then still strings every match contains. An escaped backslash before it
# ("\\p{") is text, not a class, and is left alone.
_PROPERTY_CLASS = re.compile(r"(?<!\\)((?:\\\\)*)\\[pP]\{[^}]*\}")

# A set of strings at least one of which every match contains; None when nothing is required.
Required = frozenset[str] | None


def _better(first: Required, second: Required) -> Required:
    """The more selective of two requirements: one that `required_literals` can use (few
    enough strings, each selective) before one it cannot, then the longer shortest string, then
    fewer strings. A credit such as "(?:REUTERS|EPA|AFP)/Name" requires one of three names, too
    many to search for, and also "/", which one search finds."""
    if first is None:
        return second
    if second is None:
        return first
    key_first = (_usable(first), min(map(len, first)), -len(first))
    key_second = (_usable(second), min(map(len, second)), -len(second))
    return first if key_first >= key_second else second


def _usable(required: frozenset[str]) -> bool:
    return len(required) <= MAX_LITERALS and all(map(_selective, required))


def _sequence(items: Sequence[tuple[Any, Any]]) -> Required:
    """What a concatenation requires: the best of what each part requires, where neighbouring
    single characters form one string."""
    best: Required = None
    run: list[str] = []
    for op, value in items:
        if op is sre_constants.LITERAL:
            run.append(chr(value))
            continue
        if op in _ZERO_WIDTH:  # consumes nothing; a lookaround's own text is not required here
            if run:
                best = _better(best, frozenset(["".join(run)]))
                run = []
            continue
        if run:
            best = _better(best, frozenset(["".join(run)]))
            run = []
        best = _better(best, _item(op, value))
    if run:
        best = _better(best, frozenset(["".join(run)]))
    return best


def _item(op: Any, value: Any) -> Required:
    if op is sre_constants.SUBPATTERN:
        return _sequence(value[-1].data)
    if op is getattr(sre_constants, "ATOMIC_GROUP", None):
        return _sequence(value.data)
    if op in _REPEATS:
        low, _high, body = value
        return _sequence(body.data) if low >= 1 else None
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for branch in value[1]:
            required = _sequence(branch.data)
            if required is None:
                return None
            union |= required
        return frozenset(union)
    return None


def required_literals(source: str) -> frozenset[str] | None:
    """Strings (at most `MAX_LITERALS`, each at least `MIN_LITERAL` characters long or holding
    a character rare in prose) of which every match of `source` contains one, or None when the
    pattern requires none good enough.

    >>> sorted(required_literals(r"^(?:we|\\w+) moderat(?:e|es) comments\\b"))
    [' moderate']
    >>> sorted(required_literals(r"^(?:.*[.!?] )?(?:sign up|join)\\b.{0,160}\\b(?:newsletters?|inbox)\\b"))
    ['inbox', 'newsletter']
    >>> sorted(required_literals(r"^[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+$"))
    ['@']
    >>> required_literals(r"^\\d{1,2}:\\d{2}$") is None
    True
    >>> required_literals(r"(?:moderated){e<=1}") is None  # fuzzy: "moderatet" matches too
    True
    >>> sorted(required_literals(r"^(?-i:\\p{Lu})\\w* (?:may|can) be reached at\\b"))
    [' be reached at']
    """
    source = _PROPERTY_CLASS.sub(r"\1.", source)
    if _READ_DIFFERENTLY.search(source):
        return None
    try:
        parsed = sre_parser.parse(source, re.IGNORECASE)
    except (re.error, TypeError, ValueError, OverflowError, RecursionError):
        return None
    found = _sequence(parsed.data)
    if found is None or not _usable(found):
        return None
    return found


def _selective(literal: str) -> bool:
    """Whether searching for this string rules out most paragraphs: a long one, or one holding
    a character prose seldom uses."""
    return len(literal) >= MIN_LITERAL or not _RARE_IN_PROSE.isdisjoint(literal)
