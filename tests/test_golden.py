"""The seed articles, cleaned by the CLI, must equal their expected outputs byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SEEDS, run_cli

from cleaner import Cleaner

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def test_there_are_five_seeds_each_with_an_expected_output() -> None:
    assert len(SEED_FILES) == 5
    assert all((SEEDS / "expected" / path.name).is_file() for path in SEED_FILES)


def test_cli_output_equals_expected_byte_for_byte(tmp_path: Path) -> None:
    result = run_cli("clean", str(SEEDS), "-o", str(tmp_path / "out"))
    assert result.code == 0, result.err
    for seed in SEED_FILES:
        expected = (SEEDS / "expected" / seed.name).read_bytes()
        actual = (tmp_path / "out" / seed.name).read_bytes()
        assert actual == expected, seed.name


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_expected_outputs_are_fixed_points(seed: Path) -> None:
    """Cleaning a clean article changes nothing (idempotence on real text)."""
    expected = (SEEDS / "expected" / seed.name).read_text(encoding="utf-8")
    assert Cleaner().clean(expected).text + "\n" == expected


REMOVED = {
    "000": {"read-more-list": 3},
    "001": {"read-more-list": 5, "contact-newsroom": 1, "more-stories-prompt": 1, "source-read-full-article": 1},
    "002": {"duplicate-paragraphs": 1, "photo-credit-caption": 4},
    "003": {"byline-top": 1, "duplicate-paragraphs": 2},
    "004": {"video-player-prompt": 1, "story-being-updated": 2, "alerts-newsletter-social": 1, "you-may-like-tail": 6},
}


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_each_removal_is_explained_by_the_expected_rule(seed: Path) -> None:
    result = Cleaner().clean(seed.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for removal in result.removed:
        counts[removal.rule_id] = counts.get(removal.rule_id, 0) + 1
    assert counts == REMOVED[seed.name[:3]]


def test_text_repeated_across_documents_is_kept() -> None:
    """Seeds 000, 001 and 004 quote the same letter: per-document dedupe must keep each copy."""
    cleaner = Cleaner()
    sentence = "I have been clear on this in all areas of policing, and the use of force must be no exception."
    for name in ("000", "001", "004"):
        (seed,) = [p for p in SEED_FILES if p.name.startswith(name)]
        assert sentence in cleaner.clean(seed.read_text(encoding="utf-8")).text
