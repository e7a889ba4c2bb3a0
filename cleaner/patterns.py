"""What a rule pattern's text says before any paragraph is seen: how it is compiled, whether it
is anchored at the start or the end of a paragraph, and which characters a paragraph it matches
can open or end with.

Both the trigger scan (`cleaner.scan`) and each rule's own `Matcher` (`cleaner.schema`) use
these facts to skip regex calls that cannot succeed. Every answer that lists characters is asked
of the regex engine itself, by partial matching, so none that can open (end) a match is left out.

>>> starts_anchored(r"^Read more$"), ends_anchored(r"^Read more$"), starts_anchored(r"^a|b")
(True, True, False)
>>> sorted(openings(r"^Read more"))
['R', 'r']
>>> sorted(endings(r"^Read more[:.]?$"))
['.', ':', 'E', 'e']
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

# Patterns are compiled with these flags: case-insensitive, and Unicode-aware word classes
# (the regex module's VERSION0 keeps the `re` semantics users know).
PATTERN_FLAGS = regex.IGNORECASE | regex.VERSION0

# A group reference (\\1, \\g<name>, (?P=name)) names a group of its own pattern: it would name
# another pattern's group once patterns are joined into one alternation, and a leading lookahead
# cannot be left out of a pattern that refers to a group inside it.
GROUP_REFERENCE = regex.compile(r"\\(?:[1-9]|g<)|\(\?P=")
# A global inline flag ("(?x)", "(?m)") applies to the whole pattern, wherever it stands.
GLOBAL_FLAG = regex.compile(r"\(\?[a-zA-Z]+\)")
# An atomic group or a possessive quantifier gives up backtracking in the direction it is matched
# in, so it may match forwards and not backwards, or the reverse; nothing else in a pattern
# without group references does (lookarounds look the same way whichever way the pattern runs).
NOT_REVERSIBLE = regex.compile(r"\(\?>|[*+?}]\+")

# An anchored pattern that this many ASCII characters (of 128) can open gains nothing from a
# test of the opening character; if it ends in '$' it is matched backwards instead.
WIDE_OPENINGS = 64


def starts_anchored(source: str) -> bool:
    """True when a regex can only match at the start: it opens with '^' and has no top-level '|'."""
    return source.startswith("^") and not top_level_alternation(source)


def ends_anchored(source: str) -> bool:
    """True when a regex can only match at the end: it closes with an unescaped '$' and has no
    top-level '|'."""
    if not source.endswith("$"):
        return False
    backslashes = len(source[:-1]) - len(source[:-1].rstrip("\\"))
    return backslashes % 2 == 0 and not top_level_alternation(source)


def syntax(source: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth) of each character of a regex from `start` on that is neither
    escaped nor inside a character class; `depth` counts the groups around it, a group's own
    '(' and ')' included (so a top-level '|' is at depth 0, a group's brackets at depth 1)."""
    depth, index, in_class = 0, start, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if source[index + 1 : index + 2] == "]":
                index += 1
        else:
            depth += char == "("
            yield index, char, depth
            depth -= char == ")"
        index += 1


def top_level_alternation(source: str) -> bool:
    return any(char == "|" and depth == 0 for _, char, depth in syntax(source))


def group_end(source: str, start: int) -> int:
    """The index just past the group that opens at `source[start]` ('('), or -1 if unbalanced."""
    return next((index + 1 for index, char, depth in syntax(source, start) if char == ")" and depth == 1), -1)


def scan_source(source: str) -> str:
    """A pattern that opens with `^(?=...)` (a length guard such as `^(?=.{0,200}$)`) without
    that lookahead: it matches wherever the pattern does and more, so its opening characters
    include the pattern's. Partial matching cannot see past a lookahead to the end (every
    character could open `^(?=.{0,200}$)`), so the scan groups the pattern by these; it still
    searches with the pattern itself, whose guard rejects a long paragraph early."""
    if not source.startswith("^(?=") or GROUP_REFERENCE.search(source):
        return source
    end = group_end(source, 1)
    if end < 0:
        return source
    rest = "^" + source[end:]
    try:
        regex.compile(rest, PATTERN_FLAGS)
    except regex.error:
        return source
    return rest


def openings(source: str) -> frozenset[str]:
    """The ASCII characters a paragraph matched by this anchored pattern can open with.

    The regex engine itself answers, by a partial match of each one-character string: a match
    that could go on if the text did, so no character that can open a match is ever left out.
    """
    return _edge_characters(regex.compile(source, PATTERN_FLAGS))


def endings(source: str) -> frozenset[str]:
    """The ASCII characters a paragraph matched by this `$`-anchored pattern can end with: the
    regex engine answers, by a partial match from the end (REVERSE) of each one-character string."""
    return _edge_characters(regex.compile(source, PATTERN_FLAGS | regex.REVERSE))


def _edge_characters(pattern: regex.Pattern[str]) -> frozenset[str]:
    return frozenset(chr(code) for code in range(128) if pattern.match(chr(code), partial=True))
