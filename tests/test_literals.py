"""`required_literals`: every match of a pattern contains one of the strings it names.

The scan searches for these strings instead of asking a too-open trigger of every paragraph,
so a wrong answer would hide a paragraph from every rule. Checked here on hand-made patterns
(what each regex construct requires), on syntax the `re` parser reads differently from the
`regex` module (it must give up), and on real text: every trigger of the default rules, on
every paragraph of the seeds and the bench cases it matches.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from helpers import SEEDS

from cleaner.engine import Cleaner
from cleaner.literals import required_literals
from cleaner.scan import LengthTiers
from cleaner.schema import PATTERN_FLAGS

BENCH = Path(__file__).parent / "data" / "bench"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("^read more about", {"read more about"}),
        (r"^(?:we|\w+) are moderating\b", {" are moderating"}),
        (r"(?:newsletters?|inbox)\b", {"newsletter", "inbox"}),  # a branch: one of its strings
        (r"^(?:sign up|join)\b.{0,160}\bnewsletter", {"newsletter"}),  # the most selective part
        (r"(?:breaking )+\d+", {"breaking "}),  # a repeat of at least one
        (r"(?-i:Credit)s?:\s*\w+", {"Credit"}),  # scoped flags: still required
        (r"(?>getty images)", {"getty images"}),  # atomic group
        (r"(?:copyright|©)", {"copyright", "©"}),  # short, but a character prose seldom uses
        (r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$", {"@"}),
        # Three names are too many strings to search for, but every match holds the "/" too.
        (r"\b(?-i:REUTERS|EPA|AFP)/\w+$", {"/"}),
    ],
)
def test_what_each_construct_requires(source: str, expected: set[str]) -> None:
    assert required_literals(source) == frozenset(expected)


@pytest.mark.parametrize(
    "source",
    [
        r"^\d{1,2}:\d{2}$",  # nothing literal
        r"(?:newsletter)?\s+\w+",  # optional: not required
        r"(?:copyright|\(c\))",  # one branch too short
        r"(?:alpha|bravo|charlie)",  # too many strings to search for
        r"(?:abc|abcd)",  # "abc" is too short
        r"(?=.*newsletter).{0,300}$",  # inside a lookahead: not searched, not claimed
        r"(?:newsletter){e<=1}",  # regex fuzzy matching: "newsleter" matches too
        r"[[:alpha:]]newsletter",  # a POSIX class, which `re` reads as a set and "]newsletter"
        r"\p{Lu}newsletter\L<words>",  # regex-only escapes: `re` cannot read it
        r"(?V1)newsletter",  # regex-only flag
        r"(unclosed",
    ],
)
def test_no_claim_where_none_is_safe(source: str) -> None:
    assert required_literals(source) is None


def test_the_search_folds_case_as_the_pattern_does() -> None:
    """The literal is searched with the pattern's own flags, so what the pattern matches under
    case folding (the Kelvin sign folds to "k") the search finds too."""
    text = "\u212aeep an eye on your inbox"
    assert regex.search("keep an eye", text, PATTERN_FLAGS)
    (literal,) = required_literals("keep an eye")
    assert regex.search(regex.escape(literal), text, PATTERN_FLAGS)


def real_paragraphs() -> list[str]:
    cleaner = Cleaner()
    found: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")) + sorted(BENCH.glob("*/input*.txt")):
        lines = cleaner.normalize(path.read_text(encoding="utf-8")).split("\n")
        found += [s for s in (line.strip() for line in lines) if s]
    return found


def test_every_real_match_holds_a_required_literal() -> None:
    paragraphs = real_paragraphs()
    cleaner = Cleaner()
    checked = 0
    for rule in cleaner._droppers:
        for source in rule.triggers():
            literals = required_literals(source)
            if literals is None:
                continue
            pattern = regex.compile(source, PATTERN_FLAGS)
            searches = [regex.compile(regex.escape(s), PATTERN_FLAGS) for s in literals]
            for text in paragraphs:
                if pattern.search(text):
                    checked += 1
                    assert any(s.search(text) for s in searches), (rule.meta.id, source, text)
    assert checked >= 10  # the check ran on real matches, not on none


def test_too_open_triggers_go_to_the_literal_search() -> None:
    """A trigger that any word can open is searched by its literal; a well-anchored one stays in
    the dispatch, where most paragraphs never meet it."""
    open_trigger = r"^(?:we|[\w.-]+(?: [\w.-]+){0,2}) (?:are )?moderat(?:e|es|ing) comments\b"
    anchored = r"^read more\b"
    tiers = LengthTiers.build([(500, [open_trigger, anchored])])
    assert [s.pattern.pattern for s in tiers.literals] == [regex.escape(" comments")]
    assert tiers.literals[0].limit == 500
    texts = ["The editors moderate comments here.", "Read more", "Plain prose without it."]
    assert tiers.candidates(texts) == (0, 1)
    assert tiers.candidates(["x" * 501 + " moderate comments"]) == ()  # longer than the rule's limit
