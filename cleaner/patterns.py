"""What a rule pattern's text says before any paragraph is seen: how it is compiled, whether it
is anchored at the start or the end of a paragraph, and which characters a paragraph it matches
can open or end with.

Both the trigger scan (`cleaner.scan`) and each rule's own `Matcher` (`cleaner.schema`) use
these facts to skip regex calls that cannot succeed. Every answer that lists characters is asked
of the regex engine itself, by partial matching on the pattern's `relaxed` form, so none that can
open (end) a match is left out.

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

# A group reference (\\1, \\g<name>, (?P=name), a conditional's "(?(1)") names a group of its
# own pattern: it would name another pattern's group once patterns are joined into one
# alternation, and a leading lookahead cannot be left out of a pattern that refers to a group
# inside it.
GROUP_REFERENCE = regex.compile(r"\\(?:[1-9]|g<)|\(\?P=|\(\?\(")
# A global inline flag ("(?x)", "(?m)") applies to the whole pattern, wherever it stands.
GLOBAL_FLAG = regex.compile(r"\(\?[a-zA-Z]+\)")
# An atomic group or a possessive quantifier gives up backtracking in the direction it is matched
# in, so it may match forwards and not backwards, or the reverse; nothing else in a pattern
# without group references does (lookarounds look the same way whichever way the pattern runs),
# but for blind spots of the engine's (see `reversible`).
NOT_REVERSIBLE = regex.compile(r"\(\?>|[*+?}]\+")
# Inline flags: those a group switches on (group 1) and off (group 2), for its own part when
# they end in a colon ("(?-i:", "(?s-i:", "(?V0a:"), else to the end of the group they stand in
# ("(?-i)"); `reversible` asks which. And a negated class or property ("[^ab]", "\P{Lu}",
# "\p{^Lu}", "[[:^upper:]]", "\p{Uppercase=No}").
_FLAGS = regex.compile(r"\(\?([a-zA-Z0-9]*)(?:-([a-zA-Z0-9]*))?[:)]")
_NEGATED = regex.compile(r"\[\^|\\P|\\p\{\^|\[:\^|\\p\{[^}]*(?:!=|=\s*(?i:no|n|false|f)\s*\})")

# What else the regex module (2026.11.19) matches differently from the end than forwards, found
# by a generated-pattern search (about 1.9 million patterns; see `reversible`):
# - a Unicode property or POSIX class where case-insensitivity is on, but for the names below,
#   for which both of the engine's ways of asking agree on every code point;
_PROPERTY = regex.compile(r"\\[pP](?:\{\^?([^}]*)\}|([A-Za-z]))|\[:\^?([^:\]]+):\]")
_SAFE_PROPERTIES = frozenset(
    "n nd number decimalnumber p punctuation punct z separator s symbol latin latn cyrillic cyrl "
    "han hani alpha alphabetic alnum word cased digit space whitespace xdigit".split()
)
# - a class escape in an ASCII-only group ("(?a:\W)"), full case folding (flag "f": "(?f:ßa)x??"),
#   "\X", "\G", fuzzy matching ("(x){i}"), backtracking verbs ("(*PRUNE)"), "\K" inside a
#   lookaround, and a group call in a pattern with a lookaround.
_CLASS_ESCAPE = regex.compile(r"\\[wWsSdDpP]|\[:")
_NEVER_REVERSIBLE = regex.compile(
    r"(?<!\\)(?:\\\\)*\\[XG]|\(\*|(?<!\\[pPNx])\{(?:[^{}]*[\d,+<=\s])?[eids](?=[}<=,+:\s])[^{}]*\}"
)
_KEEP_OUT = regex.compile(r"(?<!\\)(?:\\\\)*\\K")
_LOOKAROUND = regex.compile(r"\(\?<?[=!]")
# A call of a group by number or name ("(?1)", "(?&name)", "(?P>name)", "(?R)"), which, like a
# reference, names a group of its own pattern (so `schema.joinable` says no to it too).
GROUP_CALL = regex.compile(r"\(\?(?:R|[+-]?\d+|&\w+|P>\w+)\)")

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


def reversible(source: str) -> bool:
    r"""True when the regex module finds the same matches of `source` from the end (REVERSE) as
    forwards, so that the scan and a rule's probes may match it backwards and ask the engine
    which characters can end a match.

    Three kinds of pattern are not. An atomic group or a possessive quantifier gives up
    backtracking in the direction it is matched in (`NOT_REVERSIBLE`). Constructs a
    generated-pattern search found the engine answering differently from the end, listed at
    `_PROPERTY` and `_NEVER_REVERSIBLE` (a property where case is ignored, "\X", a verb...).
    And a negated class or property where case-insensitivity is switched off: with IGNORECASE
    set, the regex module (2026.11.19) then answers differently from the end than forwards, in
    full and partial matching alike. Mostly the REVERSE match misses (`(?-i:[^ab]+)x*` finds "A"
    forwards, nothing backwards, and "A" is missing from its endings); sometimes the forward
    search does (`^[-*]?(?-i)[^\p{Lu}]{2,40}$` does not find "share this story"). A rule's
    pattern means what the forward search finds, so such a pattern is matched forwards only.
    Generated patterns showed it for `[^ab]`, `\P{Lu}`, `[^\p{Lu}]` and `\p{Uppercase=No}`,
    never without the flags nor for a class that is not negated. The part looked at is the
    flags' group, or, for flags without a colon or a group the walk cannot bound (a POSIX class,
    a comment), the rest of the pattern; any negation there is taken for the bug, escaped or
    not, which is never wrong, only slower.

    >>> reversible(r"\b(?-i:REUTERS)/(?-i:\p{Lu})\w+$"), reversible(r"(?-i:[^\p{Lu}]+)x*$")
    (True, False)
    >>> reversible(r"^(?:(?-i)[^\p{Lu}]{2,40})\.?$"), reversible(r"(?-i:Credit)s?:\s*[^.!?]{2,60}$")
    (False, True)
    """
    if NOT_REVERSIBLE.search(source) or _NEVER_REVERSIBLE.search(source):
        return False
    for flags in _FLAGS.finditer(source):
        on, off, scope = flags.group(1), flags.group(2) or "", (flags.start(), _scope_end(source, flags))
        if "f" in on or ("i" in off and _NEGATED.search(source, *scope)):
            return False
        if "a" in on and flags.group().endswith(":") and _CLASS_ESCAPE.search(source, *scope):
            return False
    if _LOOKAROUND.search(source) and (
        GROUP_CALL.search(source)
        or any(_inside(source, _LOOKAROUND, keep.start()) for keep in _KEEP_OUT.finditer(source))
    ):
        return False
    return not any(
        _normal_name(found.group(1) or found.group(2) or found.group(3)) not in _SAFE_PROPERTIES
        and not _case_sensitive_at(source, found.start())
        for found in _PROPERTY.finditer(source)
    )


def _scope_end(source: str, flags: regex.Match[str]) -> int:
    """Where the part that `flags` ("(?-i:", "(?a:", "(?-i)") governs ends, or the end of the
    pattern when the opening does not end in a colon (flags without one, a lookaround's "(?=")
    or the walk cannot bound the group (a POSIX class, a comment): never short of it."""
    if not flags.group().endswith(":") or _UNRELAXABLE.search(source):
        return len(source)
    end = group_end(source, flags.start())
    return end if end > 0 else len(source)


def _inside(source: str, opener: regex.Pattern[str], index: int) -> bool:
    """Whether `index` may fall in a group that `opener` opens ("(?=", "(?<!", ...): a group
    reaches as far as `_scope_end` says, so the answer may be yes too often, never too seldom."""
    return any(group.start() < index < _scope_end(source, group) for group in opener.finditer(source))


def _case_sensitive_at(source: str, index: int) -> bool:
    """Whether case-insensitivity is surely off at `index`: inside a real "(?-i:...)" group (not
    text in a class, an escape or a comment), in a pattern where no flags switch it on again or
    off without a colon, and whose groups the walk can bound. Any doubt answers no, which is
    never wrong: unlike `_scope_end`, the scope here may only ever be too short."""
    if _UNRELAXABLE.search(source):
        return False
    flags = list(_FLAGS.finditer(source))
    if any("i" in (f.group(1) or "") or (f.group().endswith(")") and "i" in (f.group(2) or "")) for f in flags):
        return False
    groups = {at for at, char, _ in syntax(source) if char == "("}
    return any(
        f.start() in groups and "i" in (f.group(2) or "") and f.start() < index < group_end(source, f.start())
        for f in flags
    )


def _normal_name(name: str) -> str:
    return regex.sub(r"[\s_-]", "", name).lower()


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


# What `relaxed` cannot loosen soundly: a reference to a group (by number, name, or in a
# conditional), recursion, and backtracking verbs.
# Syntax the loosening walk does not read (a POSIX class "[[:alpha:]]", a comment "(?#...)",
# verbose mode's "#" comments) is given up on as well, never guessed at: any "[:" closed by ":]"
# before a "]", as the regex module reads a POSIX class ("[[:alpha:]]", "[[:Script=Latin:]]",
# "[[:L&:]]"). A class that merely opens with a colon ("[:：]", as "Read more:" rules write it)
# is read, not given up on.
_UNRELAXABLE = regex.compile(
    GROUP_REFERENCE.pattern
    + r"|\(\?[R&+-]?\d*\)|\(\?&|\(\*|\[:[^\]]*:\]|\(\?#|\(\?[a-zA-Z-]*x[a-zA-Z-]*[:)]"
)
# Zero-width escapes: word boundaries, string edges, `\G` and `\K`.
_ZERO_WIDTH_ESCAPES = frozenset("bBmMAZzGK")
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
# A counted quantifier: "{2}", "{1,3}", "{,5}", "{2,}".
_BRACES = regex.compile(r"\{(?:\d+(?:,\d*)?|,\d+)\}")
# The quantifiers that make an atom optional, and nothing more: "?", "{0,1}", "{,1}".
_OPTIONAL = frozenset(("?", "{0,1}", "{,1}"))
# One escape, whole: "\x41", "\u00e9", "\N{...}", "\p{L}", "\pL", "\012" are one atom each.
_ESCAPE = regex.compile(
    r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[pP](?:\{[^}]*\}|.)|0[0-7]{0,2}|[0-7]{3}|.)?",
    regex.DOTALL,
)


def relaxed(source: str, *, lazy: bool = False) -> str:
    r"""The pattern without its zero-width tests (word boundaries, lookarounds, `\A`, `\Z`) and
    with its atomic groups and possessive quantifiers made plain: it matches every string
    `source` matches, and more. This is the pattern every edge question is asked of by partial
    matching (`openings`, `endings`, the scan's dispatch keys): a test that looks past the end of
    a partial string ("Anzeigen" then `\B`, `(?!$)`) fails there instead of waiting for the next
    character, and would leave out a key the full text does match. `^` and `$` stay: at the
    edge of a partial string they hold (more often than in the full text, never less), and a
    pattern that keeps its own text is one the regex module has compiled already. A pattern
    that cannot be loosened so (it refers to its own groups) becomes the empty pattern, which
    every key meets.

    With `lazy`, every quantifier is made lazy, which matches the same strings: the regex
    module's partial matching from the end (REVERSE) can miss a key when a greedy quantifier must
    give back what it took before a run of literal characters ("aab[ab]?$" and the ending "ab"
    of "aaab"); tried lazily first, it does not (none missed in 130,000 generated cases). A "?"
    becomes an alternation that tries nothing first, "(?:|x)": the same strings in the same
    order, without the module's lazy "??", which partial matching from the end inside an
    alternation takes for a match of almost any ending.

    >>> relaxed(r"^(?=.{0,200}$)Read\b more(?!:)$"), relaxed(r"(?>a|b)+x*+[$^]\$")
    ('^Read more$', '(?:a|b)+x*[$^]\\$')
    >>> relaxed(r"aab[ab]?x{1,2}y*?$", lazy=True)
    'aab(?:|[ab])x{1,2}?y*?$'
    """
    if _UNRELAXABLE.search(source):
        return ""
    kept: list[str] = []
    # Whether the last token kept can take a quantifier (a character, class, escape or group),
    # and where in `kept` that token opens; the openings of the groups not yet closed.
    index, in_class, quantifiable, atom, groups = 0, False, False, 0, []
    while index < len(source):
        char = source[index]
        if char == "\\":
            escape = _ESCAPE.match(source, index).group()
            if not in_class and escape[1:] in _ZERO_WIDTH_ESCAPES and len(escape) == 2:
                index = _past_quantifier(source, index + 2)
                continue
            if not in_class:
                atom = len(kept)
            kept.append(escape)
            index += max(len(escape), 2)
            quantifiable = not in_class
            continue
        if in_class:
            kept.append(char)
            in_class = char != "]"
            quantifiable = not in_class
            index += 1
            continue
        if char == "[":
            in_class, atom = True, len(kept)
            kept.append(char)
            if source[index + 1 : index + 2] == "]":
                kept.append("]")
                index += 1
            elif source[index + 1 : index + 3] == "^]":
                kept.append("^]")
                index += 2
            index += 1
            continue
        if char == "(" and source.startswith(_LOOKAROUNDS, index):
            end = group_end(source, index)
            if end < 0:
                return ""
            index = _past_quantifier(source, end)
            continue
        if char == "(" and source.startswith("(?>", index):
            groups.append(len(kept))
            kept.append("(?:")
            index += 3
            quantifiable = False
            continue
        quantifier, mode = _quantifier_at(source, index) if quantifiable else ("", "")
        if quantifier in _OPTIONAL and lazy:
            # "x??" as "(?:|x)": the same strings, tried in the same order, but the regex
            # module's partial matching from the end takes a lazy "?" in an alternation for a
            # match of nearly anything ("(?:comments??|replies)$" meets " CONCEPT"). A lazy
            # "*", "+" or "{m,n}" there does the same, and stays: spelt without a lazy
            # quantifier, it could miss a key instead (see above).
            kept[atom:] = ["(?:|", *kept[atom:], ")"]
        elif quantifier:
            kept.append(quantifier)
            if lazy or mode == "?":  # lazy already, or made lazy; a possessive "+" is made plain
                kept.append("?")
        if quantifier:
            index += len(quantifier) + len(mode)
            quantifiable = False
            continue
        if char == "(":
            groups.append(len(kept))
        elif char == ")" and groups:
            atom = groups.pop()
        else:
            atom = len(kept)
        kept.append(char)
        quantifiable = char not in "(|"
        index += 1
    return "".join(kept)


def _quantifier_at(source: str, index: int) -> tuple[str, str]:
    """The quantifier that opens at `index` ("*", "+", "?" or a counted one, "{1,3}"; "" when
    none does) and the mark after it: "?" (lazy), "+" (possessive) or ""."""
    braces = _BRACES.match(source, index)
    char = source[index : index + 1]
    quantifier = braces.group() if braces else char if char in ("*", "+", "?") else ""
    end = index + len(quantifier)
    mark = source[end : end + 1] if quantifier and source[end : end + 1] in ("?", "+") else ""
    return quantifier, mark


def _past_quantifier(source: str, index: int) -> int:
    """Where the text goes on after a quantifier (with its lazy or possessive mark) that opens at
    `index`, or `index` when none does: a removed zero-width test takes its quantifier with it
    ("(?=c){2}" is "(?=c)", "(?=c){0}" nothing), which would otherwise fall on the atom before."""
    quantifier, mark = _quantifier_at(source, index)
    return index + len(quantifier) + len(mark)


def question_pattern(source: str, flags: int = 0) -> regex.Pattern[str]:
    """`relaxed(source)` compiled (with `PATTERN_FLAGS` and `flags`), for partial-matching
    questions: the pattern the scan's dispatch and the edge tests ask, which matches wherever
    `source` does and more, so no key a match can open (end) with is left out; every search
    uses `source` itself. Asked from the end (REVERSE), its quantifiers are lazy (see
    `relaxed`). The empty pattern, which every key meets, when the loosened text does not
    compile."""
    question = relaxed(source, lazy=bool(flags & regex.REVERSE))
    try:
        return regex.compile(question, PATTERN_FLAGS | flags)
    except (regex.error, ValueError):  # ValueError: a flag that clashes with ours, "(?V1)"
        return regex.compile("", PATTERN_FLAGS | flags)


def openings(source: str) -> frozenset[str]:
    """The ASCII characters a paragraph matched by this anchored pattern can open with.

    The regex engine itself answers, by a partial match of each one-character string: a match
    that could go on if the text did, so no character that can open a match is ever left out.
    """
    return edge_characters(question_pattern(source))


def endings(source: str) -> frozenset[str]:
    """The ASCII characters a paragraph matched by this `$`-anchored pattern can end with: the
    regex engine answers, by a partial match from the end (REVERSE) of each one-character string."""
    return edge_characters(question_pattern(source, regex.REVERSE))


def edge_characters(pattern: regex.Pattern[str]) -> frozenset[str]:
    """The ASCII characters a question pattern (`question_pattern`, REVERSE for endings) meets
    as a one-character partial match."""
    return frozenset(chr(code) for code in range(128) if pattern.match(chr(code), partial=True))
