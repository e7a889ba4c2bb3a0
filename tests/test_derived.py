"""The facts file (`cleaner.derived`) only ever saves time.

A build that reads what an earlier one worked out must be the build that works it all out again:
the same answers for every pattern text, the same dispatch tables, the same probes, the same
output. A file that is missing, corrupt, of the wrong shape, or cannot be written costs the time
it would have saved and nothing else; and no answer is read by code that would work it out
differently (the file's name changes with the code and the regex module).
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
import regex
from helpers import SEEDS

import cleaner.derived
from cleaner.derived import PatternFacts, default_cache_dir, facts_file
from cleaner.engine import Cleaner
from cleaner.patterns import ends_anchored, starts_anchored

# Every dispatch table a built trigger scan holds, and what a probe holds besides its pattern.
SCAN_TABLES = (
    "by_opening",
    "by_prefix",
    "by_pair",
    "by_opening_unlisted",
    "backward_by_suffix",
    "backward_by_ending",
    "backward_unlisted",
    "sources",
    "floating_sources",
)


def _shipped_sources() -> list[str]:
    ruleset = Cleaner(cache=False).ruleset
    sources = {s for rule in ruleset.rules for s in rule.triggers()}
    for rule in ruleset.rules:
        for name in ("matcher", "start", "end", "marker", "items", "credit", "exempt"):
            matcher = getattr(rule, name, None)
            sources.update(getattr(matcher, "sources", ()))
    return sorted(sources)


def _every_answer(facts: PatternFacts, sources: list[str]) -> list[tuple[str, object]]:
    answers: list[tuple[str, object]] = []
    for source in sources:
        answers.append((source, facts.literals(source)))
        if starts_anchored(source):
            answers.append((source, (facts.openings(source), facts.prefixes(source))))
        if ends_anchored(source):
            answers.append((source, facts.suffixes(source)))
    return answers


def _probes(built: Cleaner) -> list[tuple[str, object, object, bool]]:
    return [
        (probe.pattern.pattern, probe.first_chars, probe.last_chars, probe.anchored)
        for rule in built.ruleset.rules
        for name in ("matcher", "start", "end", "marker", "items", "credit", "exempt")
        for probe in getattr(getattr(rule, name, None), "probes", ())
    ]


def _tables(built: Cleaner) -> list[tuple[str, object]]:
    tiers = built._tiers
    tables: list[tuple[str, object]] = [("limits", tiers.limits), ("searches", [(s.literal, s.limit, s.owners) for s in tiers.searches])]
    for scan in tiers.scans:
        tables.extend((name, getattr(scan, name)) for name in SCAN_TABLES)
    return tables


def test_answers_read_back_are_the_answers_worked_out(tmp_path: Path) -> None:
    sources = _shipped_sources()
    worked_out = PatternFacts.load(tmp_path)
    expected = _every_answer(worked_out, sources)
    assert worked_out.save()
    read_back = PatternFacts.load(tmp_path)
    assert _every_answer(read_back, sources) == expected
    assert not read_back.save(), "every answer was in the file: nothing new to write"
    assert _every_answer(PatternFacts(), sources) == expected, "a memo without a file answers the same"


def test_a_build_from_the_file_is_the_build_without_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    cold = Cleaner(cache=False)
    first = Cleaner()  # works everything out and writes the file
    assert facts_file(tmp_path).exists()
    warm = Cleaner()  # reads it back
    assert _tables(warm) == _tables(cold) == _tables(first)
    assert _probes(warm) == _probes(cold)
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert warm.clean(text) == cold.clean(text)


def test_a_corrupt_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    path = facts_file(tmp_path)
    path.write_text('{"format": "cleaner-pattern-f', encoding="utf-8")
    facts = PatternFacts.load(tmp_path)
    assert facts.openings(r"^Read more") == frozenset("Rr")
    assert facts.save()
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["facts"][r"^Read more"]["openings"] == ["R", "r"]


@pytest.mark.parametrize("wrong", [5, "Rr", [1, 2], None, {"a": 1}])
def test_an_answer_of_the_wrong_shape_is_worked_out_again(tmp_path: Path, wrong: object) -> None:
    stored = {"format": "cleaner-pattern-facts-1", "facts": {r"^Read more$": {"openings": wrong, "prefixes": wrong, "suffixes": wrong}}}
    facts_file(tmp_path).write_text(json.dumps(stored), encoding="utf-8")
    facts, fresh = PatternFacts.load(tmp_path), PatternFacts()
    assert facts.openings(r"^Read more$") == fresh.openings(r"^Read more$") == frozenset("Rr")
    if wrong is None:  # null is an answer for these two ("too many to list")
        assert facts.prefixes(r"^Read more$") is None
    else:
        assert facts.prefixes(r"^Read more$") == fresh.prefixes(r"^Read more$") == frozenset({"Rea", "rea", "REA", "rEA", "ReA", "rEa", "REa", "reA"})
        assert facts.suffixes(r"^Read more$") == fresh.suffixes(r"^Read more$")


def test_a_folder_that_cannot_be_written_costs_only_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocked / "cache"))
    built = Cleaner()
    assert built.clean("Read more:\nA link title\nThe article says this.").text == "The article says this."
    facts = PatternFacts.load(blocked / "cache")
    facts.openings(r"^Read more")
    assert not facts.save()
    assert blocked.read_text(encoding="utf-8") == "not a folder"
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"], "no temporary file left behind"


def test_the_file_name_changes_with_the_regex_module_and_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = facts_file(tmp_path)
    monkeypatch.setattr(regex, "__version__", regex.__version__ + ".1")
    assert facts_file(tmp_path) != name
    monkeypatch.undo()
    assert facts_file(tmp_path) == name
    copy = tmp_path / "derived.py"
    copy.write_bytes(Path(cleaner.derived.__file__).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(cleaner.derived, "__file__", str(copy))
    assert facts_file(tmp_path) != name


def test_where_the_file_lives() -> None:
    home_cache = default_cache_dir({})
    assert home_cache is not None and home_cache.parts[-2:] == (".cache", "cleaner")
    assert default_cache_dir({"XDG_CACHE_HOME": "/x"}) == Path("/x/cleaner")
    assert default_cache_dir({"CLEANER_CACHE_DIR": "/y", "XDG_CACHE_HOME": "/x"}) == Path("/y")
    assert default_cache_dir({"CLEANER_CACHE_DIR": "/y", "CLEANER_NO_CACHE": "1"}) is None
    assert default_cache_dir({"CLEANER_CACHE_DIR": "/y", "CLEANER_NO_CACHE": "0"}) == Path("/y")


def test_no_cache_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    Cleaner(cache=False)
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    Cleaner()
    assert list(tmp_path.iterdir()) == []


def test_a_pickled_cleaner_keeps_its_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    copy = pickle.loads(pickle.dumps(Cleaner(cache=False)))
    assert copy.cache is False and list(tmp_path.iterdir()) == []
    copy = pickle.loads(pickle.dumps(Cleaner()))
    assert copy.cache is True and facts_file(tmp_path).exists()


def test_a_full_file_keeps_only_what_the_build_that_writes_it_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cleaner.derived, "MAX_SOURCES", 3)
    earlier = PatternFacts.load(tmp_path)
    for word in ("alpha", "beta", "gamma"):
        earlier.openings(f"^{word}")
    assert earlier.save()
    later = PatternFacts.load(tmp_path)
    later.openings("^beta")  # read back
    later.openings("^delta")  # new: four texts known, one over the cap
    assert later.save()
    stored = json.loads(facts_file(tmp_path).read_text(encoding="utf-8"))
    assert sorted(stored["facts"]) == ["^beta", "^delta"]
