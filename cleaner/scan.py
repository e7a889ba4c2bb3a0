"""Which paragraphs of a document any rule could drop, found at as little cost per paragraph as can be.

The one contract: the candidates always include every paragraph a rule could drop, that is every
paragraph in which one of the rule's triggers matches and that is at most the rule's `max_chars`
long, and each is put down to (`LengthTiers.flag`) every rule whose trigger matches it. They may
include more, and name more rules (every rule checks its own patterns again); they never miss
one. tests/test_fast_path.py checks this against the obvious scan on every seed and bench
document, and checks that handing every paragraph to every rule changes no result.

The layers, each there to spare plain prose a regex call:

- length tiers (`LengthTiers`): a paragraph meets only the triggers of the rules whose
  `max_chars` it fits under, and one longer than every limit meets none;
- first-characters dispatch (`TriggerScan`): start-anchored patterns are grouped by the first
  `PREFIX_CHARS` characters (or two, when three give too many keys) a paragraph they match can
  open with (asked of the regex engine by partial matching, so none is left out), and a
  paragraph is matched against its group only; an opening outside ASCII gets its group worked
  out when first met; line-local floating patterns are searched across the whole document at
  once;
- required literals (`LengthTiers`, `cleaner.literals`): a trigger that any word can open but
  that cannot match without "newsletter" or "inbox" is found by searching for those strings
  across the whole document, not by walking the pattern over every paragraph;
- a finer key on demand (`TriggerScan.by_fine_key`, `by_fine_ending`): a paragraph whose
  first (last) characters do meet a group ("The" meets "^the cookie settings") is keyed again
  by its first (last) `FINE_KEY_CHARS` ("The comp"), and the group cut to the sources that
  key can still open (end), by partial matching again, worked out once per key: most often
  none is left;
- reverse matching: `$`-anchored patterns that any character can open are compiled REVERSE and
  matched from the paragraph's end, where a paragraph that does not end right fails at once;
  they too are grouped, by the last `SUFFIX_CHARS` characters a paragraph they match can end
  with, so that a paragraph ending as prose does ("said.") costs no call at all for them.

When the triggers cannot be joined into one pattern (a back-reference, a global flag), each is
searched on its own: slower, never wrong. A built scan holds no document state; its only mutable
parts are caches, filled on first need and bounded: the joined pattern of each group
(`TriggerScan.compiled`, `compiled_backward`), the groups of non-ASCII openings and endings
(`lazy_forward`, `lazy_backward`), and what each opening and ending key comes to
(`by_opening_key`, `by_ending_key`, `by_fine_key`, `by_fine_ending`).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from .derived import PREFIX_CHARS, SUFFIX_CHARS, PatternFacts
from .kinds.base import UNBOUNDED
from .patterns import (
    PATTERN_FLAGS,
    WIDE_OPENINGS,
    ends_anchored,
    reversible,
    starts_anchored,
)
from .schema import combine, joinable

__all__ = ["UNBOUNDED", "LengthTiers", "TriggerScan"]


# What a trigger may contain and still be searched for across the whole document at once (see
# `TriggerScan`): no assertion whose verdict can change when the paragraph's edge becomes a
# line break (\\A, \\Z, negative lookarounds, scoped flags), no atomic or possessive part that
# could swallow the line break, and no escape that can name one.
_NOT_LINE_LOCAL = regex.compile(r"\\[AZzGnNxuU0-9]|\(\?(?![:=|#]|<=|P?<[A-Za-z_])|[*+?}]\+")


def _line_local(source: str) -> bool:
    """True when the pattern finds the same matches in a paragraph as in that paragraph set on its
    own line of a longer text (MULTILINE), or more: then one search covers a whole document."""
    return not _NOT_LINE_LOCAL.search(source)



@dataclass(frozen=True, slots=True)
class TriggerScan:
    """Which paragraphs of a document any rule could match, at as little cost per paragraph as can be.

    Patterns anchored at the start are grouped by the characters a paragraph they match can open
    with (`PREFIX_CHARS`, then `FINE_KEY_CHARS` of them), so a paragraph costs a few dict
    lookups and at most one `match` against the few patterns its opening can still meet; those
    anchored at the end, likewise by its ending. The other patterns, when they are line-local,
    are searched across the document (the paragraphs joined by line breaks, MULTILINE) and only
    the paragraphs holding a match are flagged: one regex call per hit rather than per
    paragraph. Every grouping is asked of the regex engine by partial matching, on the
    `patterns.relaxed` form of each pattern, so none is left out. Either way a paragraph may be
    flagged that no rule then drops (every rule checks its own pattern again), but none that a
    rule would drop is missed. If the sources cannot be combined (a pattern with
    back-references, say), the scan tries each pattern: slower, never wrong.

    A scan made by `plain` holds only the two joined patterns below (for a rule's examples); one
    made by `build` holds only the dispatch, and `__call__` asks that.
    """

    # All the start-anchored patterns, and all the others, as one pattern each: what `__call__`
    # asks of one paragraph in a scan made by `plain` (None in one made by `build`).
    anchored: regex.Pattern[str] | None
    floating: regex.Pattern[str] | None
    # Each pattern on its own, when they cannot be joined; then nothing else is set.
    fallback: tuple[regex.Pattern[str], ...] = ()
    # ASCII opening character -> the anchored patterns a paragraph opening with it can match
    # (compiled on first use, like `by_prefix`); for an opening with any other character the
    # group is worked out on first meeting it (`lazy_forward`).
    by_opening: dict[str, tuple[str, ...]] | None = None
    # The line-local `floating` patterns compiled MULTILINE for the whole-document search, and
    # the others, searched paragraph by paragraph.
    floating_document: regex.Pattern[str] | None = None
    floating_paragraph: regex.Pattern[str] | None = None
    # Patterns that end in '$' and are not anchored at the start, or are but any character can
    # open them ("^(?=.{0,200}$).* \d+ comments$", "\(\s*[^()/]{2,60}/[^()]{2,60}\)$"), compiled
    # REVERSE: matched from the paragraph's end (a REVERSE `match` is anchored there), a
    # paragraph that does not end right fails at once instead of after a walk along it. Whether
    # a match exists does not depend on the direction it is looked for in.
    backward: regex.Pattern[str] | None = None
    # The same dispatch for `backward`, by a paragraph's last `SUFFIX_CHARS` characters (then its
    # last one): most prose ends with "." and no backward pattern can end a match with "t." or
    # "s.", so most paragraphs no longer cost this regex call. A paragraph that ends with a
    # non-ASCII character meets all of `backward`.
    backward_by_suffix: dict[str, tuple[str, ...]] | None = None
    backward_by_ending: dict[str, tuple[str, ...]] | None = None
    backward_unlisted: dict[str, tuple[str, ...]] | None = None
    # Finer than `by_opening`: the first `PREFIX_CHARS` characters of a paragraph (printable
    # ASCII) -> the anchored patterns it can match; for a paragraph whose opening is no key, the
    # few patterns too open to list (`by_opening_unlisted`, by first character) are all it can
    # match. Each key's pattern is compiled the first time a paragraph needs it.
    by_prefix: dict[str, tuple[str, ...]] | None = None
    by_opening_unlisted: dict[str, tuple[str, ...]] | None = None
    # For a paragraph whose opening is no key of `by_prefix`: its first two characters -> the
    # sources listed by two characters that it can match, with the too open ones it can; an
    # opening that is no key here either meets only `by_opening_unlisted`.
    by_pair: dict[str, tuple[str, ...]] | None = None
    # The joined pattern of each group of `by_prefix`, `by_opening_unlisted` and `by_opening`,
    # and of each group those are narrowed to by a finer key, compiled the first time a
    # paragraph needs it: a compile cache, shared by the threads that use this scan. `setdefault`
    # keeps the first pattern stored, so all of them use one object. It holds at most one entry
    # per subset of a dispatch group (groups hold a few sources each), and on the dev set 366
    # entries before finer keys, about 470 after.
    compiled: dict[tuple[str, ...], regex.Pattern[str] | None] = field(default_factory=dict)
    # The same for the groups of the `backward` dispatch, compiled REVERSE.
    compiled_backward: dict[tuple[str, ...], regex.Pattern[str] | None] = field(default_factory=dict)
    # For a paragraph that opens (or, for `backward`, ends) with a character outside ASCII ("“",
    # "—", Cyrillic...), which the tables above cannot list, the group is worked out when first
    # needed, by partial matching as at build time, and kept (see `_lazy_group`): each anchored
    # (backward) source with its pattern for that test, which the finer keys ask too (`_narrowed`),
    # and the groups found so far by key.
    partial_forward: dict[str, regex.Pattern[str]] = field(default_factory=dict)
    partial_backward: dict[str, regex.Pattern[str]] = field(default_factory=dict)
    lazy_forward: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lazy_backward: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # What the tables above come to for each opening key (a paragraph's first `PREFIX_CHARS`
    # characters) and each ending key (its last `SUFFIX_CHARS`): the group of sources it meets,
    # worked out on first meeting the key (`_forward_for`, `_backward_for`) and kept, up to
    # `MEMO_KEYS` keys. A paragraph then costs a slice and a dict lookup at each edge before
    # its finer keys, whatever path its keys took through the tables.
    by_opening_key: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    by_ending_key: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The anchored group of a paragraph's opening key, cut to the sources that can open with its
    # first `FINE_KEY_CHARS` characters (`_narrowed`), by those characters (at most `FINE_KEYS`
    # of them, see `_kept`). Prose opens with a few words that many triggers share the first
    # three letters of ("The", "For", "- A"), and almost never with a trigger's first eight: on
    # input.txt this takes the forward regex calls from 1,856 to 343.
    by_fine_key: dict[str, tuple[regex.Pattern[str] | None, tuple[str, ...]]] = field(default_factory=dict)
    # The same for the `backward` group of a paragraph's ending key, by its last
    # `FINE_KEY_CHARS` characters: backward calls on input.txt 553 -> 114.
    by_fine_ending: dict[str, tuple[regex.Pattern[str] | None, tuple[str, ...]]] = field(default_factory=dict)
    # Every source of this scan, and those neither anchored nor matched backwards: what a flagged
    # paragraph is put down to when its dispatch group does not say (see `flag`).
    sources: tuple[str, ...] = ()
    floating_sources: tuple[str, ...] = ()

    @classmethod
    def plain(cls, sources: Iterable[str]) -> TriggerScan:
        """Only the scan of one paragraph at a time (`__call__`), without the dispatch tables
        that `candidates` needs and that take a moment to build: for a few short texts (a rule's
        examples)."""
        unique = list(dict.fromkeys(sources))
        anchored_sources = [s for s in unique if starts_anchored(s)]
        floating_sources = [s for s in unique if not starts_anchored(s)]
        anchored, floating = combine(anchored_sources), combine(floating_sources)
        if (anchored_sources and anchored is None) or (floating_sources and floating is None):
            fallback = tuple(regex.compile(s, PATTERN_FLAGS) for s in unique)
            return cls(anchored=None, floating=None, fallback=fallback, sources=tuple(unique))
        return cls(anchored=anchored, floating=floating, sources=tuple(unique))

    @classmethod
    def build(cls, sources: Iterable[str], facts: PatternFacts | None = None) -> TriggerScan:
        """`facts` carries what one build works out (openings, prefixes, suffixes, literals, the
        patterns partial matching asks) to the next, when several scans over overlapping sources
        are built together (`LengthTiers`), and from earlier runs (see `cleaner.derived`)."""
        facts = facts if facts is not None else PatternFacts()
        unique = list(dict.fromkeys(sources))
        if not joinable(unique):
            return cls.plain(unique)
        # The whole alternations of `plain` are not compiled here (a third of the build): the
        # dispatch joins only the groups it meets, and `__call__` asks `flag`.
        anchored_sources = [s for s in unique if facts.starts_anchored(s)]
        floating_sources = [s for s in unique if not facts.starts_anchored(s)]
        by_opening = None
        opened = {s: facts.openings(s) for s in anchored_sources}
        # A pattern the engine may match differently from the end (an atomic group, say) is
        # never matched from there (see `patterns.reversible`).
        backward_sources = [
            s
            for s in unique
            if ends_anchored(s)
            and reversible(s)
            and (s not in opened or len(opened[s]) >= WIDE_OPENINGS)
        ]
        backward = combine(backward_sources, regex.REVERSE)
        if backward is not None:
            anchored_sources = [s for s in anchored_sources if s not in backward_sources]
            floating_sources = [s for s in floating_sources if s not in backward_sources]
        backward_by_suffix, backward_by_ending, backward_unlisted = None, None, None
        partial_backward: dict[str, regex.Pattern[str]] = {}
        if backward is not None:
            suffixes = {s: facts.suffixes(s) for s in backward_sources}
            too_open_end = [s for s in backward_sources if suffixes[s][1] is None]
            reversed_open = {s: facts.question(s, regex.REVERSE) for s in too_open_end}
            keys = {key for s in backward_sources for key in suffixes[s][1] or ()}
            backward_by_suffix = {
                key: tuple(
                    s
                    for s in backward_sources
                    if key in (suffixes[s][1] or ()) or (s in reversed_open and reversed_open[s].match(key, partial=True))
                )
                for key in keys
            }
            backward_by_ending = {
                chr(code): tuple(s for s in backward_sources if chr(code) in suffixes[s][0]) for code in range(128)
            }
            backward_unlisted = {
                chr(code): tuple(s for s in too_open_end if chr(code) in suffixes[s][0]) for code in range(128)
            }
            partial_backward = {s: facts.question(s, regex.REVERSE) for s in backward_sources}
        by_prefix, by_pair, unlisted = None, None, None
        partial_forward: dict[str, regex.Pattern[str]] = {}
        if anchored_sources:
            by_opening = {
                chr(code): tuple(s for s in anchored_sources if chr(code) in opened[s]) for code in range(128)
            }
            prefixes = {s: facts.prefixes(s) for s in anchored_sources}
            too_open = [s for s in anchored_sources if prefixes[s] is None]
            # Sources listed by two characters (`by_pair`) or not at all are asked of each key
            # by partial matching, as `derived._prefixes` asked of theirs.
            coarse = [s for s in anchored_sources if prefixes[s] is None or len(next(iter(prefixes[s]), "")) < PREFIX_CHARS]
            patterns = {s: facts.question(s) for s in coarse}
            coarse_set = set(coarse)
            listed: dict[str, list[str]] = {}
            paired: dict[str, list[str]] = {}
            for source in anchored_sources:
                for key in prefixes[source] or ():
                    (listed if len(key) == PREFIX_CHARS else paired).setdefault(key, []).append(source)
            # A key is asked only of the sources that can open with its first character
            # (`by_opening`, in the order of `anchored_sources`): no other can match it.
            by_prefix = {
                key: tuple(
                    s for s in by_opening[key[0]] if s in group or (s in patterns and patterns[s].match(key, partial=True))
                )
                for key, group in listed.items()
                for group in [set(group)]
            }
            by_pair = {
                key: tuple(
                    s
                    for s in by_opening[key[0]]
                    if s in coarse_set and (s in group or (s in too_open and patterns[s].match(key, partial=True)))
                )
                for key, group in paired.items()
                for group in [set(group)]
            }
            unlisted = {chr(code): tuple(s for s in too_open if chr(code) in opened[s]) for code in range(128)}
            partial_forward = {s: facts.question(s) for s in anchored_sources}
        local = [s for s in floating_sources if _line_local(s)]
        rest = [s for s in floating_sources if not _line_local(s)]
        return cls(
            anchored=None,
            floating=None,
            by_opening=by_opening,
            floating_document=combine(local, regex.MULTILINE),
            floating_paragraph=combine(rest),
            backward=backward,
            backward_by_suffix=backward_by_suffix,
            backward_by_ending=backward_by_ending,
            backward_unlisted=backward_unlisted,
            by_prefix=by_prefix,
            by_opening_unlisted=unlisted,
            by_pair=by_pair,
            partial_forward=partial_forward,
            partial_backward=partial_backward,
            sources=tuple(unique),
            floating_sources=tuple(local + rest),
        )

    def __call__(self, text: str, timeout: float | None = None) -> bool:
        """Whether some trigger matches in this one paragraph: a plain scan asks its two joined
        patterns, a built one its dispatch (`flag`), which for one paragraph answers the same."""
        if self.anchored is None and self.floating is None and not self.fallback:
            return bool(self.flag([text], timeout))
        if self.anchored is not None and self.anchored.match(text, timeout=timeout):
            return True
        if self.floating is not None and self.floating.search(text, timeout=timeout):
            return True
        return any(p.search(text, timeout=timeout) for p in self.fallback)

    def candidates(self, texts: Sequence[str], timeout: float | None = None) -> tuple[int, ...]:
        """Indices (ascending) of the paragraphs that some trigger may match."""
        return tuple(sorted(self.flag(texts, timeout)))

    def _forward_for(self, key: str) -> tuple[str, ...] | None:
        """For a paragraph opening with `key` (its first `PREFIX_CHARS` characters, or all of a
        shorter one): the anchored sources it can meet; None when the scan has none at all."""
        if self.by_opening is None:
            return None
        group = (self.by_prefix or {}).get(key)
        if group is None:
            if len(key) == PREFIX_CHARS and key.isascii() and key.isprintable():
                group = (self.by_pair or {}).get(key[:2])
                if group is None:
                    group = (self.by_opening_unlisted or {})[key[0]]
            elif key[0].isascii():
                group = self.by_opening[key[0]]
            else:
                group = _lazy_group(self.lazy_forward, self.partial_forward, key)
        return group

    def _joined(self, group: tuple[str, ...], backward: bool = False) -> regex.Pattern[str] | None:
        """The joined pattern of a group of anchored sources (of `backward` sources, compiled
        REVERSE), compiled the first time a paragraph is asked it (`compiled`,
        `compiled_backward`); None for an empty group."""
        cache = self.compiled_backward if backward else self.compiled
        pattern = cache.get(group, False)
        if pattern is False:
            joined = combine(group, regex.REVERSE) if backward else combine(group)
            if joined is None and backward and group:
                joined = self.backward
            pattern = cache.setdefault(group, joined)
        return pattern  # type: ignore[return-value]

    def _narrowed(
        self, fine: str, group: tuple[str, ...], backward: bool = False
    ) -> tuple[regex.Pattern[str] | None, tuple[str, ...]]:
        """The sources of `group` (an opening key's anchored group, or an ending key's backward
        one) that a paragraph opening (ending) with `fine` can match, by partial matching as at
        build time, and their joined pattern (None when there are none: then the paragraph costs
        no regex call at that edge)."""
        partial = self.partial_backward if backward else self.partial_forward
        narrowed = tuple(source for source in group if partial[source].match(fine, partial=True))
        return self._joined(narrowed, backward), narrowed

    def _backward_for(self, end: str) -> tuple[str, ...]:
        """For a paragraph ending with `end` (its last `SUFFIX_CHARS` characters): the `backward`
        sources it can meet."""
        ending = (self.backward_by_suffix or {}).get(end)
        if ending is None:
            if len(end) == SUFFIX_CHARS and end.isascii() and end.isprintable():
                ending = (self.backward_unlisted or {})[end[-1]]
            elif end[-1].isascii():
                ending = (self.backward_by_ending or {})[end[-1]]
            else:
                ending = _lazy_group(self.lazy_backward, self.partial_backward, end, at_end=True)
        return ending

    def flag(self, texts: Sequence[str], timeout: float | None = None) -> dict[int, tuple[tuple[str, ...], ...]]:
        """The paragraphs that some trigger may match, each with the groups of sources it was
        asked (or would have been): every trigger that can match it is in one of them, so the
        rules they belong to are the only ones it can concern. `texts` are stripped and
        non-empty, so a paragraph's first character is the one an anchored pattern meets."""
        if self.fallback:
            return {i: (self.sources,) for i, t in enumerate(texts) if self(t, timeout)}
        flagged: dict[int, tuple[tuple[str, ...], ...]] = {}
        rest, backward = self.floating_paragraph, self.backward
        if self.by_opening is not None or rest is not None or backward is not None:
            opening_memo, ending_memo, fine_memo = self.by_opening_key, self.by_ending_key, self.by_fine_key
            fine_end_memo = self.by_fine_ending
            everything = self.sources
            for index, text in enumerate(texts):
                key = text[:PREFIX_CHARS]
                # The group of a paragraph's opening key; a paragraph longer than the key is
                # asked only the part of it that its finer key can still open (`_narrowed`), so
                # the whole group's pattern is compiled only for paragraphs as short as a key.
                group = opening_memo.get(key, _UNKNOWN)
                if group is _UNKNOWN:
                    group = _remember(opening_memo, key, self._forward_for(key))
                pattern = None
                if group:
                    if len(text) > PREFIX_CHARS:
                        fine = text[:FINE_KEY_CHARS]
                        refined = fine_memo.get(fine)
                        if refined is None:
                            refined = _kept(fine_memo, fine, self._narrowed(fine, group))
                        pattern, group = refined
                    else:
                        pattern = self._joined(group)
                backward_pattern, ending = None, ()
                if backward is not None:
                    end = text[-SUFFIX_CHARS:]
                    ending = ending_memo.get(end, _UNKNOWN)
                    if ending is _UNKNOWN:
                        ending = _remember(ending_memo, end, self._backward_for(end))
                    if ending:
                        if len(text) > SUFFIX_CHARS:
                            fine_end = text[-FINE_KEY_CHARS:]
                            refined = fine_end_memo.get(fine_end)
                            if refined is None:
                                refined = _kept(fine_end_memo, fine_end, self._narrowed(fine_end, ending, backward=True))
                            backward_pattern, ending = refined
                        else:
                            backward_pattern = self._joined(ending, backward=True)
                if (
                    (pattern is not None and pattern.match(text, timeout=timeout))
                    or (backward_pattern is not None and backward_pattern.match(text, timeout=timeout))
                    or (rest is not None and rest.search(text, timeout=timeout))
                ):
                    # No anchored group (a scan without anchored patterns) stands for every
                    # source: never too few.
                    flagged[index] = (everything if group is None else group, ending, self.floating_sources)
        if self.floating_document is not None:
            for index in _paragraphs_matching(self.floating_document, texts, timeout):
                flagged[index] = (*flagged.get(index, ()), self.floating_sources)
        return flagged


# A memo's answer for a key it does not hold (None is an answer: no anchored source at all).
_UNKNOWN: Any = object()

# How many keys `_lazy_group` keeps before it works by a paragraph's edge character alone: text in
# a script with thousands of letters must not grow the cache without bound.
LAZY_KEYS = 1 << 14


def _lazy_group(
    cache: dict[str, tuple[str, ...]],
    partials: dict[str, regex.Pattern[str]],
    key: str,
    *,
    at_end: bool = False,
) -> tuple[str, ...]:
    """The sources a paragraph opening (ending) with `key` can match, by partial matching of the
    key against each source's pattern (forward, or REVERSE for a paragraph's end), worked out
    once per key. Once the cache holds `LAZY_KEYS` keys, a new key is cut to its edge character
    (the first for an opening, the last for an ending): a coarser group, never a smaller one."""
    group = cache.get(key)
    if group is not None:
        return group
    if len(cache) >= LAZY_KEYS:
        key = key[-1] if at_end else key[0]
        group = cache.get(key)
        if group is not None:
            return group
    group = tuple(source for source, pattern in partials.items() if pattern.match(key, partial=True))
    return cache.setdefault(key, group)


# How many keys `TriggerScan.by_opening_key` and `by_ending_key` keep: past it, a new key is
# worked out each time it is met (no slower than before there was a memo), so that text in a
# script with thousands of letters cannot grow them without bound.
MEMO_KEYS = 1 << 13

# The finer keys of `TriggerScan.by_fine_key` and `by_fine_ending`, and how many each of those
# tables holds before it starts again (about 150 bytes a key: at most 5 MB for the two tables of
# a length tier, 26 MB for the five tiers of the shipped rules). Eight characters take the
# forward calls on input.txt to 343 (six: 448, four: 997) and the backward ones from 553 to 114;
# longer keys gain little and fill the tables sooner.
FINE_KEY_CHARS = 8
FINE_KEYS = 1 << 14


def _kept(memo: dict[str, Any], key: str, value: Any) -> Any:
    """`value`, kept in `memo` under `key`; a memo that holds `FINE_KEYS` keys is emptied first.
    Starting again, rather than keeping the first keys met, lets the table follow a corpus
    whose paragraphs change (another site, another language); working a key out again costs
    about what the coarser group's regex call it saves does, so a miss is never dear."""
    if len(memo) >= FINE_KEYS:
        memo.clear()
    return memo.setdefault(key, value)


def _remember(memo: dict[str, Any], key: str, value: Any) -> Any:
    """`value`, kept in `memo` under `key` while the memo holds fewer than `MEMO_KEYS` keys; a
    full memo stops growing (see `_kept` for the finer keys, whose tables start again)."""
    if len(memo) >= MEMO_KEYS:
        return value
    return memo.setdefault(key, value)


# A leading length guard, `^(?=.{0,N}$)`: the pattern cannot match a paragraph (one line, no line
# break) longer than N characters.
_LENGTH_GUARD = regex.compile(r"\^\(\?=\.\{0,(\d+)\}\$\)")


def _tier_limit(source: str, limit: int, limits: Sequence[int]) -> int:
    """The length tier of a trigger: its rule's `limit` (`max_chars`), or, when a leading length
    guard (`^(?=.{0,120}$)`) says the pattern cannot match anything that long, the lowest of
    the rules' `limits` that is at least the guard's bound, so that longer paragraphs never meet
    it. Only the rules' limits are used: every extra tier is one more scan to compile (about
    0.05 s each), for little gain."""
    guard = _LENGTH_GUARD.match(source) if starts_anchored(source) else None  # "^(?=.{0,9}$)a|b" guards only "a"
    if guard is None:
        return limit
    bound = int(guard.group(1))
    return min(limit, limits[bisect.bisect_left(limits, bound)]) if bound <= limits[-1] else limit


def _too_open(source: str, facts: PatternFacts) -> bool:
    """True when the dispatch tables of `TriggerScan` cannot keep this trigger from most
    paragraphs: an anchored pattern with too many openings to list, a backward one with too many
    endings, or one anchored at neither end."""
    if facts.starts_anchored(source):
        openings = facts.openings(source)
        if len(openings) < WIDE_OPENINGS or not ends_anchored(source):
            return facts.prefixes(source) is None
    if ends_anchored(source):
        return facts.suffixes(source)[1] is None
    return True


def _caseless(literal: str) -> bool:
    """True for a string of ASCII characters that are not letters ("/", "@"): no character folds
    to one of them, so case folding cannot change what matches it. (A symbol outside ASCII may
    have a case the engine's Unicode tables know and Python's do not, so it is not caseless.)"""
    return literal.isascii() and not any(c.isalpha() for c in literal)


def _literal_key(literal: str) -> str:
    """What two required strings share when one search finds both: an ASCII string in lower case
    ("Credit" and "credit"), any other as it is. The engine folds case simply (one character to
    one), so "straße" and "strasse", which `str.casefold` makes equal, find different text."""
    return literal.lower() if literal.isascii() else literal


def _literal_search(literal: str) -> regex.Pattern[str]:
    """The search for a required string across a document: with the triggers' own flags, so
    that case folding agrees, except for a `_caseless` string, which the engine finds about four
    times faster case-sensitively."""
    flags = PATTERN_FLAGS & ~regex.IGNORECASE if _caseless(literal) else PATTERN_FLAGS
    return regex.compile(regex.escape(literal), flags)


@dataclass(frozen=True, slots=True)
class LiteralSearch:
    """One string some too-open triggers cannot match without (see `LengthTiers`), searched for
    across a whole document: the paragraphs holding it, if at most `limit` long, are put down to
    the rules `owners`.

    A `_caseless` string ("/", "@") is found with `str.find`, which runs at memory speed (a
    tenth of the engine's case-sensitive search on a 5 KB page). A string that holds another
    one exactly ("newsletter" holds "letter") is not searched for across the document at all:
    every paragraph holding it holds the shorter one, so it is `within` the shorter one's
    search and asked only of the few paragraphs that search finds.
    """

    literal: str
    pattern: regex.Pattern[str]
    limit: int
    owners: frozenset[int]
    within: tuple[LiteralSearch, ...] = ()
    # Whether the string is `_caseless`, so that `str.find` finds what `pattern` does.
    caseless: bool = False

    @classmethod
    def build(cls, literal: str, limit: int, owners: frozenset[int]) -> LiteralSearch:
        return cls(literal, _literal_search(literal), limit, owners, caseless=_caseless(literal))

    def found_in(self, text: str) -> bool:
        """Whether one paragraph holds the string."""
        if self.caseless:
            return self.literal in text
        return self.pattern.search(text) is not None

    def paragraphs(self, texts: Sequence[str], document: str) -> Iterable[int]:
        """Indices (ascending) of the paragraphs of `texts`, joined by line breaks into
        `document`, that hold the string. No time limit: a plain string cannot backtrack, so its
        search is linear, and a limit costs more per call (a clock read) than most of these
        searches take."""
        if self.caseless:
            return _paragraphs_holding(self.literal, document)
        return _paragraphs_matching(self.pattern, texts, None, document)

    @staticmethod
    def nest(searches: Sequence[LiteralSearch]) -> tuple[LiteralSearch, ...]:
        """The searches to run across a document: those whose string holds no other's, each
        with the searches whose strings hold its own `within` it. Every match of a string that
        holds another exactly contains a match of that other: the characters are the same, and
        they are matched with the same flags, or the other is `_caseless` and no character
        folds to its characters, so case-sensitive matching of them is no stricter."""
        return tuple(
            dataclasses.replace(outer, within=tuple(s for s in searches if s is not outer and outer.literal in s.literal))
            for outer in searches
            if not any(s is not outer and s.literal in outer.literal for s in searches)
        )


# The longest paragraph length `LengthTiers.tier_of_length` lists (the shipped rules' highest
# limit is 1,000; a rule without one has `UNBOUNDED`).
TIER_TABLE = 1 << 12


@dataclass(frozen=True, slots=True)
class LengthTiers:
    """The trigger scan, split by the longest paragraph each trigger can flag: its rule's
    `max_chars`, or less when its own leading length guard says so (see `_tier_limit`).

    `limits` are the distinct limits, ascending; `scans[k]` holds the triggers whose limit is at
    least `limits[k]`. A paragraph is scanned only by the tier of the smallest limit it fits
    under, so it meets exactly the triggers that can flag it, and a prose paragraph longer than
    every limit costs no regex call at all.

    A trigger that the tiers' dispatch cannot keep from most paragraphs (`_too_open`) but that
    cannot match without one of a few strings (`cleaner.literals`) is left out of the tiers:
    instead, each such string is searched for once across the whole document (`literals`, each
    with the longest paragraph it may flag and the rules it stands for; see `LiteralSearch`),
    and the paragraphs holding it are candidates.
    """

    limits: tuple[int, ...]
    scans: tuple[TriggerScan, ...]
    # Every required string, and the searches that are run across a document (`LiteralSearch.nest`).
    literals: tuple[LiteralSearch, ...] = ()
    searches: tuple[LiteralSearch, ...] = ()
    # The rules (by position in what `build` was given) each trigger source belongs to: `flag`
    # puts a paragraph down to the rules whose triggers it met.
    owners: dict[str, frozenset[int]] = field(default_factory=dict)
    # The rules of each group of sources met so far (a compile cache, like `TriggerScan.compiled`).
    group_owners: dict[tuple[str, ...], frozenset[int]] = field(default_factory=dict)
    # The tier (index into `limits`) of a paragraph of each length up to the highest limit (at
    # most `TIER_TABLE` lengths; a longer paragraph under a higher limit is bisected): a tuple
    # index instead of a bisection for every paragraph.
    tier_of_length: tuple[int, ...] = ()

    @classmethod
    def build(cls, rules: Iterable[tuple[int, Sequence[str]]], facts: PatternFacts | None = None) -> LengthTiers:
        """From (max_chars, trigger sources) per rule; a rule is known by its position here."""
        facts = facts if facts is not None else PatternFacts()
        numbered = [(position, limit, sources) for position, (limit, sources) in enumerate(rules) if sources]
        rule_limits = sorted({limit for _, limit, _ in numbered})
        owners: dict[str, set[int]] = {}
        for position, _, sources in numbered:
            for source in sources:
                owners.setdefault(source, set()).add(position)
        with_triggers = [(_tier_limit(s, limit, rule_limits), s) for _, limit, sources in numbered for s in sources]
        literal_limits: dict[str, tuple[str, int]] = {}
        literal_owners: dict[str, set[int]] = {}
        tiered: list[tuple[int, str]] = []
        for limit, source in with_triggers:
            literals = facts.literals(source) if _too_open(source, facts) else None
            if literals is None:
                tiered.append((limit, source))
                continue
            for literal in literals:
                key = _literal_key(literal)
                known = literal_limits.get(key, (literal, 0))
                literal_limits[key] = (known[0], max(known[1], limit))
                literal_owners.setdefault(key, set()).update(owners[source])
        limits = tuple(sorted({limit for limit, _ in tiered}))
        scans = tuple(
            TriggerScan.build((s for limit, s in tiered if limit >= tier), facts) for tier in limits
        )
        literal_searches = tuple(
            LiteralSearch.build(literal, limit, frozenset(literal_owners[key]))
            for key, (literal, limit) in literal_limits.items()
        )
        return cls(
            limits,
            scans,
            literal_searches,
            LiteralSearch.nest(literal_searches),
            owners={source: frozenset(positions) for source, positions in owners.items()},
            tier_of_length=tuple(
                bisect.bisect_left(limits, length) for length in range(min(limits[-1], TIER_TABLE) + 1 if limits else 0)
            ),
        )

    def candidates(self, texts: Sequence[str], timeout: float | None = None) -> tuple[int, ...]:
        """Indices (ascending) of the paragraphs that some trigger may match."""
        return tuple(sorted(self.flag(texts, timeout)))

    def flag(self, texts: Sequence[str], timeout: float | None = None) -> dict[int, frozenset[int]]:
        """The paragraphs that some trigger may match, each with the rules (by position) whose
        triggers it may match: every rule that a trigger of the paragraph belongs to is among
        them, so a rule needs to look only at the paragraphs put down to it."""
        flagged: dict[int, frozenset[int]] = {}
        limits = self.limits
        if limits:
            tier_of_length, highest = self.tier_of_length, limits[-1]
            listed = len(tier_of_length)
            tiers: list[list[int]] = [[] for _ in limits]
            for index, text in enumerate(texts):
                length = len(text)
                if length < listed:
                    tiers[tier_of_length[length]].append(index)
                elif length <= highest:
                    tiers[bisect.bisect_left(limits, length)].append(index)
            for scan, indices in zip(self.scans, tiers, strict=True):
                if indices:
                    found = scan.flag([texts[i] for i in indices], timeout)
                    for n, groups in found.items():
                        flagged[indices[n]] = frozenset().union(*map(self._owners_of, groups))
        if self.searches:
            document = "\n".join(texts)
            for search in self.searches:
                for index in search.paragraphs(texts, document):
                    text = texts[index]
                    if len(text) <= search.limit:
                        flagged[index] = flagged.get(index, frozenset()) | search.owners
                    for inner in search.within:
                        if len(text) <= inner.limit and inner.found_in(text):
                            flagged[index] = flagged.get(index, frozenset()) | inner.owners
        return flagged

    def _owners_of(self, group: tuple[str, ...]) -> frozenset[int]:
        found = self.group_owners.get(group)
        if found is None:
            found = self.group_owners.setdefault(group, frozenset().union(*(self.owners[s] for s in group)))
        return found


def _paragraphs_hit(document: str, next_hit: Callable[[int], int]) -> list[int]:
    """Indices (ascending) of the paragraphs (the lines of `document`) that hold a hit, where
    `next_hit(position)` is where the next hit at or after `position` starts (-1: none). After
    a hit the walk resumes at the next paragraph, and a hit's paragraph is found by counting the
    line breaks since the last one, not by summing every paragraph's length."""
    found: list[int] = []
    index = position = 0
    while (start := next_hit(position)) >= 0:
        index += document.count("\n", position, start)
        found.append(index)
        position = document.find("\n", start) + 1
        if not position:
            break
        index += 1
    return found


def _paragraphs_holding(literal: str, document: str) -> list[int]:
    """The paragraphs of `document` in which `literal` occurs, found with `str.find`."""
    return _paragraphs_hit(document, functools.partial(document.find, literal))


def _paragraphs_matching(
    pattern: regex.Pattern[str], texts: Sequence[str], timeout: float | None, document: str | None = None
) -> list[int]:
    """Indices (ascending) of the paragraphs in which a (line-local, MULTILINE) pattern finds a
    match, searched in the joined document (`document`, when the caller has joined `texts`
    already)."""
    joined = "\n".join(texts) if document is None else document

    def next_match(position: int) -> int:
        match = pattern.search(joined, position, timeout=timeout)
        return -1 if match is None else match.start()

    return _paragraphs_hit(joined, next_match)
