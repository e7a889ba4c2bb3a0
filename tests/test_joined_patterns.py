"""Joined patterns (`schema.combine`) find what their patterns find one by one, both ways.

The scan and the probes ask one alternation instead of one pattern at a time. The regex module
merges alternation branches that come down to a negated class at the same place, and the merged
class matches less than the branches did; these tests generate such alternations and compare.
"""

from __future__ import annotations

import random

import pytest
import regex

from cleaner.patterns import PATTERN_FLAGS
from cleaner.schema import combine, joinable

ATOMS = ["a", "b", "x", "[^a]", "[^b]", "[^ab]", "[^.]", "[^!]", ".", "[ab]", r"\w", r"\W", r"[^\W]", r"\p{Lu}", r"[^\d]"]
QUANTIFIERS = ["", "", "+", "*", "?", "{1,2}"]


@pytest.mark.parametrize(
    ("sources", "text", "flags"),
    [
        (["[^a]", "[^b]"], "a", 0),
        (["x[^a]", "x[^b]"], "xa", 0),
        (["[^!]$", "[^b]$"], " !", regex.REVERSE),
        (["[^.]$", "[^!]$"], "end.", regex.REVERSE),
    ],
)
def test_branches_of_negated_classes_are_not_merged(sources: list[str], text: str, flags: int) -> None:
    joined = combine(sources, flags)
    assert joined is not None
    assert (joined.match(text) if flags & regex.REVERSE else joined.search(text)) is not None


@pytest.mark.parametrize("seed", range(3))
def test_a_joined_pattern_finds_what_one_of_its_patterns_finds(seed: int) -> None:
    rng = random.Random(seed)
    compared = 0
    for _ in range(2000):
        backwards = rng.random() < 0.5
        sources = [
            "".join(rng.choice(ATOMS) + rng.choice(QUANTIFIERS) for _ in range(rng.randint(1, 3)))
            + ("$" if backwards else rng.choice(["", "$"]))
            for _ in range(rng.randint(2, 3))
        ]
        try:
            singles = [regex.compile(s, PATTERN_FLAGS) for s in sources]
        except regex.error:
            continue
        joined = combine(sources, regex.REVERSE if backwards else 0)
        assert joined is not None
        for _ in range(8):
            text = "".join(rng.choice("abxA.! ") for _ in range(rng.randint(1, 5)))
            found = (joined.match(text) if backwards else joined.search(text)) is not None
            assert found == any(s.search(text) for s in singles), (sources, text, backwards)
            compared += 1
    assert compared > 10_000


@pytest.mark.parametrize("source", ["(a)(?1)", "(?P<x>a)(?&x)", "(?P<x>a)(?P>x)", "a(?R)?b", r"(a)\1", "(?i)a"])
def test_a_pattern_that_names_its_own_groups_is_not_joined(source: str) -> None:
    assert not joinable([source, "b"])
    assert combine([source, "b"]) is None
