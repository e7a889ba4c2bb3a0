"""Invariants of cleaning, checked by hypothesis over generated documents.

Documents are built from real article paragraphs (the seeds and the dev benchmark), real
furniture (the shipped rules' own examples), and random Unicode, joined by any kind of line
break. Whatever the mix, the cleaner must never invent or reorder text, must be idempotent and
deterministic, and must not raise.
"""

from __future__ import annotations

import json
import pickle
from functools import cache
from pathlib import Path

from helpers import SEEDS, SHARED, run_cli
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, default_cleaner

# Bounded so the default suite stays fast; raise it locally with --hypothesis-seed and a profile.
EXAMPLES = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def article_paragraphs() -> tuple[str, ...]:
    paths = sorted(SEEDS.glob("*.txt")) + sorted((SHARED / "bench" / "dev").glob("*/input.txt"))[:60]
    lines = {line for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    return tuple(sorted(lines))


@cache
def furniture_paragraphs() -> tuple[str, ...]:
    lines = {
        line
        for example in default_cleaner().ruleset.examples
        if example.expected is None
        for line in example.text.splitlines()
        if line.strip()
    }
    return tuple(sorted(lines))


line_breaks = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\n\n", "\n \n"])
paragraphs = st.one_of(
    st.sampled_from(article_paragraphs()),
    st.sampled_from(furniture_paragraphs()),
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30).map(lambda t: t + "\u00e2\u20ac\u2122s"),
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = draw(st.lists(paragraphs, max_size=40))
    if parts and draw(st.booleans()):  # repeat some paragraphs, as scrapers do
        parts += draw(st.lists(st.sampled_from(parts), max_size=5))
        parts = draw(st.permutations(parts))
    out = []
    for part in parts:
        out.append(part)
        out.append(draw(line_breaks))
    return "".join(out)


def normalised_paragraphs(cleaner: Cleaner, text: str) -> list[str]:
    """The paragraphs the engine works on: normalised, stripped, blank lines left out."""
    return [line.strip() for line in cleaner.normalize(text).split("\n") if line.strip()]


def is_subsequence(part: tuple[str, ...], whole: list[str]) -> bool:
    remaining = iter(whole)
    return all(any(item == candidate for candidate in remaining) for item in part)


@EXAMPLES
@given(documents())
def test_output_is_the_input_minus_removed_paragraphs_in_order(text: str) -> None:
    cleaner = default_cleaner()
    result = cleaner.clean(text)
    source = normalised_paragraphs(cleaner, text)
    assert is_subsequence(result.paragraphs, source)
    assert len(result.paragraphs) + len(result.removed) == len(source)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for removal in result.removed:  # each removal points at the input line it came from
        assert lines[removal.line - 1] == removal.text


@EXAMPLES
@given(documents())
def test_cleaning_is_idempotent(text: str) -> None:
    cleaner = default_cleaner()
    once = cleaner.clean(text).text
    assert cleaner.clean(once).text == once


@EXAMPLES
@given(documents(), st.booleans())
def test_cleaning_is_deterministic(text: str, title: bool) -> None:
    cleaner = default_cleaner()
    first = cleaner.clean(text, title=title)
    assert cleaner.clean(text, title=title) == first
    assert unpickled_cleaner().clean(text, title=title) == first


@cache
def unpickled_cleaner() -> Cleaner:
    """What a worker process gets: the rules pickled and compiled again."""
    return pickle.loads(pickle.dumps(default_cleaner()))


@EXAMPLES
@given(st.text(), st.one_of(st.none(), st.text(max_size=30)))
def test_no_input_string_raises(text: str, site: str | None) -> None:
    result = default_cleaner().clean(text, site=site)
    assert isinstance(result.text, str)


@settings(max_examples=5, deadline=None)
@given(st.lists(documents(), min_size=3, max_size=6))
@example(["", "", "\x1f\n"])  # once refused as binary: one control byte in two
def test_output_is_the_same_for_any_worker_count(tmp_path_factory, texts: list[str]) -> None:
    """The same outputs and the same failures (a generated file may be refused, say as binary:
    then by every run alike, and reported); every input is either written or reported."""
    folder = tmp_path_factory.mktemp("in")
    for number, text in enumerate(texts):
        (folder / f"{number:02}.txt").write_bytes(text.encode("utf-8"))
    outputs, failures = [], []
    for jobs in ("1", "2"):
        out = Path(tmp_path_factory.mktemp(f"out{jobs}"))
        errors = out.parent / f"{out.name}-errors.jsonl"
        run = run_cli("clean", str(folder), "-o", str(out), "-j", jobs, "-q", "--errors", str(errors))
        outputs.append({p.name: p.read_bytes() for p in sorted(out.rglob("*.txt"))})
        failures.append([json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()])
        assert run.code == (1 if failures[-1] else 0)
    assert outputs[0] == outputs[1]
    assert failures[0] == failures[1]
    failed = {Path(failure["source"]).name for failure in failures[0]}
    assert sorted([*outputs[0], *failed]) == [f"{number:02}.txt" for number in range(len(texts))]
