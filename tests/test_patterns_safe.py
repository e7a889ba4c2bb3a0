"""The shipped patterns run in linear time on hostile paragraphs: no nested quantifier over
overlapping characters (`(?:[\\w.-]+ ?){1,4}`) that lets a long word be split every which way.

The regex timeout would stop such a pattern, but the document would then be failed; better
that no shipped pattern needs it. Each pattern meets the lines of its rule's own examples with
long runs of word characters, spaces and punctuation spliced in (the shapes that make nested
quantifiers backtrack), each call bounded by a timeout that a linear match never comes near.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from collections.abc import Iterator

import regex

from cleaner.loader import load_rules
from cleaner.schema import PATTERN_FLAGS

# The pattern read-more-list shipped with, and the input that kept it busy for minutes.
OLD_READ_MORE = r"^More (?:from|on|about) (?:[\w'’&.-]+ ?){1,4}:?$"
ISSUE_INPUT = "More from " + "a" * 1000 + " " + "b" * 1000 + "!"

RUN = 1500  # characters of filler: enough for a quadratic pattern to show, cheap for a linear one
FILLERS = ("a", "a ", "1.", "a-", " ")
ENDINGS = ("", "!")
# A linear match of ~1,500 characters takes microseconds; the timeout only has to tell a
# pattern that backtracks from one that does not, on a loaded machine too.
CALL_TIMEOUT = 0.5


def compiled_patterns(value: object) -> Iterator[regex.Pattern[str]]:
    """Every compiled regex a rule holds, however its kind nests them."""
    if isinstance(value, regex.Pattern):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from compiled_patterns(getattr(value, field.name))
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from compiled_patterns(item)


def hostile_lines(line: str) -> Iterator[str]:
    """The line with a long run spliced in at its start, its end and each space."""
    cuts = sorted({0, len(line), *(i + 1 for i, c in enumerate(line) if c == " ")})
    for cut in cuts:
        for filler in FILLERS:
            run = filler * (RUN // len(filler))
            for ending in ENDINGS:
                yield line[:cut] + run + line[cut:] + ending


def slowest(source: str, lines: list[str]) -> tuple[float, str]:
    """The longest a pattern takes on the hostile lines (forward search as the rules ask, and a
    REVERSE match as the trigger scan asks an end-anchored pattern), and on which line."""
    forward = regex.compile(source, PATTERN_FLAGS)
    backward = regex.compile(source, PATTERN_FLAGS | regex.REVERSE)
    worst = (0.0, "")
    for line in lines:
        for text in hostile_lines(line):
            started = time.perf_counter()
            try:
                forward.search(text, timeout=CALL_TIMEOUT)
                backward.match(text, timeout=CALL_TIMEOUT)
            except TimeoutError:
                return (float("inf"), text)
            worst = max(worst, (time.perf_counter() - started, text))
    return worst


def shipped() -> list[tuple[str, str, list[str]]]:
    """(rule id, pattern source, the first lines of the rule's examples) for every shipped pattern."""
    ruleset = load_rules([], defaults=True)
    lines: dict[str, list[str]] = {}
    for example in ruleset.examples:
        lines.setdefault(example.rule_id, []).extend(example.text.split("\n")[:3])
    found = []
    for rule in ruleset.rules:
        sources = sorted({p.pattern for p in compiled_patterns(rule)})
        found += [(rule.meta.id, source, lines.get(rule.meta.id, [])) for source in sources]
    return found


def test_the_scan_catches_the_pattern_from_the_issue() -> None:
    """The check has teeth: the old read-more pattern fails it."""
    seconds, text = slowest(OLD_READ_MORE, ["More from the newsroom"])
    assert seconds == float("inf") and text.startswith("More from")


def test_every_shipped_pattern_is_linear_on_hostile_lines() -> None:
    patterns = shipped()
    assert len(patterns) > 100  # every kind's patterns were found, not just a few
    slow = []
    for rule_id, source, lines in patterns:
        seconds, text = slowest(source, lines)
        if seconds > CALL_TIMEOUT / 5:
            slow.append((rule_id, source[:80], f"{seconds:.2f} s", text[:40]))
    assert slow == []


def test_read_more_pattern_is_as_it_was_and_fast_on_the_issue_input() -> None:
    ruleset = load_rules([], defaults=True)
    rule = ruleset.by_id("read-more-list")
    new = next(p for p in compiled_patterns(rule) if p.pattern.startswith("^More (?:from"))
    old = regex.compile(OLD_READ_MORE, PATTERN_FLAGS)
    same = [
        "More from BBC News", "More on this: ", "more about Ukraine war:", "More from the Guardian's team",
        "More from A B C D", "More from A B C D E", "More from  two spaces", "More from trailing ",
        "More from x:", "More from x :", "More from x: y", "More from O’Brien & Co.", "More from",
    ]
    assert [bool(new.search(s)) for s in same] == [bool(old.search(s)) for s in same]
    started = time.perf_counter()
    assert new.search(ISSUE_INPUT) is None  # no timeout: the pattern itself must be fast
    assert time.perf_counter() - started < 0.1


def test_cleaner_without_a_time_limit_cleans_the_issue_input_fast() -> None:
    """Through the whole engine, with no regex timeout at all; in a subprocess, so that a
    regression fails the test after a minute instead of hanging the suite."""
    code = (
        "import sys, time; from cleaner.engine import Cleaner\n"
        "cleaner = Cleaner(regex_timeout=None)\n"
        f"text = 'The article.\\n' + {ISSUE_INPUT!r} + '\\nThe end of it.'\n"
        "started = time.perf_counter(); result = cleaner.clean(text)\n"
        "print(time.perf_counter() - started, len(result.paragraphs))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    seconds, paragraphs = done.stdout.split()
    assert float(seconds) < 1.0 and int(paragraphs) == 3
