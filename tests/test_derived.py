"""The facts file (`cleaner.derived`) only ever saves time.

A build that reads what an earlier one worked out must be the build that works it all out again:
the same answers for every pattern text, the same dispatch tables, the same probes, the same
output. A file that is missing, corrupt, of the wrong shape, too large, or cannot be written
costs the time it would have saved and nothing else; and no answer is read by code that would
work it out differently (the file's name is a hash of the code and the versions).
"""

from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path

import pytest
import regex
from helpers import SEEDS

import cleaner.derived
import cleaner.literals
import cleaner.patterns
from cleaner.derived import IDENTITY, PatternFacts, default_cache_dir, facts_file, identity
from cleaner.engine import Cleaner
from cleaner.patterns import ends_anchored, starts_anchored

MATCHER_FIELDS = ("matcher", "start", "end", "marker", "items", "credit", "exempt")
# Every dispatch table a built trigger scan holds.
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


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, which `Cleaner()` uses."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(folder))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    return folder


def _shipped_sources() -> list[str]:
    ruleset = Cleaner(use_cache=False).ruleset
    sources = {s for rule in ruleset.rules for s in rule.triggers()}
    for rule in ruleset.rules:
        for name in MATCHER_FIELDS:
            sources.update(getattr(getattr(rule, name, None), "sources", ()))
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
        for name in MATCHER_FIELDS
        for probe in getattr(getattr(rule, name, None), "probes", ())
    ]


def _tables(built: Cleaner) -> list[tuple[str, object]]:
    tiers = built._tiers
    tables: list[tuple[str, object]] = [("limits", tiers.limits), ("searches", [(s.literal, s.limit, s.owners) for s in tiers.searches])]
    for scan in tiers.scans:
        tables.extend((name, getattr(scan, name)) for name in SCAN_TABLES)
    return tables


def _no_working_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every answer's working out fail: a build that passes then read them all."""

    def fail(*args: object) -> None:
        raise AssertionError("worked out, not read from the file")

    for name in ("edge_characters", "_prefixes", "_suffixes", "required_literals"):
        monkeypatch.setattr(cleaner.derived, name, fail)


def test_answers_read_back_are_the_answers_worked_out(tmp_path: Path) -> None:
    sources = _shipped_sources()
    worked_out = PatternFacts.load(tmp_path)
    expected = _every_answer(worked_out, sources)
    assert worked_out.save()
    read_back = PatternFacts.load(tmp_path)
    assert _every_answer(read_back, sources) == expected
    assert not read_back.save(), "every answer was in the file: nothing new to write"
    # The reference definitions in `cleaner.patterns` answer the same.
    for source in sources:
        if starts_anchored(source):
            assert read_back.openings(source) == cleaner.patterns.openings(source)
        if ends_anchored(source):
            assert read_back.endings(source) == cleaner.patterns.endings(source)


def test_a_build_from_the_file_is_the_build_without_it(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = Cleaner(use_cache=False)
    first = Cleaner()  # works everything out and writes the file
    assert facts_file(cache).exists()
    _no_working_out(monkeypatch)
    warm = Cleaner()  # can only read it back
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


@pytest.mark.parametrize("content", ["[" * 200_000, '{"format": 1}', "[]", '"text"', "\udcff"])
def test_a_file_of_any_content_costs_only_time(tmp_path: Path, content: str) -> None:
    facts_file(tmp_path).write_bytes(content.encode("utf-8", "surrogateescape"))
    facts = PatternFacts.load(tmp_path)
    assert facts.openings(r"^Read more") == frozenset("Rr")


def test_a_file_of_another_format_is_not_read(tmp_path: Path) -> None:
    stored = {"format": "cleaner-pattern-facts-1", "facts": {"^Read more": {"openings": ["x"]}}}
    facts_file(tmp_path).write_text(json.dumps(stored), encoding="utf-8")
    facts = PatternFacts.load(tmp_path)
    assert facts.known == {}
    assert facts.openings("^Read more") == frozenset("Rr")


def test_a_file_that_is_read_is_not_stale(tmp_path: Path) -> None:
    facts = PatternFacts.load(tmp_path)
    facts.openings(r"^Read more")
    assert facts.save()
    long_ago = time.time() - 20 * 24 * 3600
    os.utime(facts_file(tmp_path), (long_ago, long_ago))
    assert PatternFacts.load(tmp_path).known
    assert time.time() - facts_file(tmp_path).stat().st_mtime < 3600


def test_a_file_too_large_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = PatternFacts.load(tmp_path)
    facts.openings(r"^Read more")
    assert facts.save()
    monkeypatch.setattr(cleaner.derived, "MAX_FILE_BYTES", 10)
    assert PatternFacts.load(tmp_path).known == {}


@pytest.mark.parametrize("wrong", [5, "Rr", [1, 2], None, {"a": 1}])
def test_an_answer_of_the_wrong_shape_is_worked_out_again_and_repaired(tmp_path: Path, wrong: object) -> None:
    source = r"^Read more$"
    stored = {"format": "cleaner-pattern-facts-2", "facts": {source: {"openings": wrong, "prefixes": wrong, "suffixes": wrong}}}
    facts_file(tmp_path).write_text(json.dumps(stored), encoding="utf-8")
    facts, fresh = PatternFacts.load(tmp_path), PatternFacts()
    assert facts.openings(source) == fresh.openings(source) == frozenset("Rr")
    if wrong is None:  # null is an answer for these two ("too many to list")
        assert facts.prefixes(source) is None
        return
    assert facts.prefixes(source) == fresh.prefixes(source) == frozenset({"Rea", "rea", "REA", "rEA", "ReA", "rEa", "REa", "reA"})
    assert facts.suffixes(source) == fresh.suffixes(source)
    assert facts.save(), "the repaired answers are written"
    repaired = json.loads(facts_file(tmp_path).read_text(encoding="utf-8"))["facts"][source]
    assert repaired["openings"] == ["R", "r"] and len(repaired["prefixes"]) == 8


def test_a_rule_with_a_lone_surrogate_is_kept_in_the_file(cache: Path, tmp_path: Path) -> None:
    rules = tmp_path / "surrogate.yaml"
    rules.write_text(
        '- id: sponsored\n  kind: line\n  why: A sponsor line.\n  patterns: ["^Sponsored( by)?[\\uD800x]?$"]\n'
        "  examples:\n    remove: [Sponsored]\n    keep: [The article says this.]\n",
        encoding="utf-8",
    )
    built = Cleaner([rules], defaults=False)
    assert built.clean("Sponsored\nThe article says this.").text == "The article says this."
    assert "^Sponsored( by)?[\ud800x]?$" in PatternFacts.load(cache).known


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


def test_a_write_that_fails_leaves_no_temporary_file(tmp_path: Path) -> None:
    facts_file(tmp_path).mkdir()  # the rename onto it fails
    facts = PatternFacts.load(tmp_path)
    facts.openings(r"^Read more")
    assert not facts.save()
    assert [p.name for p in tmp_path.iterdir()] == [facts_file(tmp_path).name]


def test_stale_files_are_deleted_and_fresh_ones_kept(tmp_path: Path) -> None:
    old_version, other_version = tmp_path / "pattern-facts-0123.json", tmp_path / "pattern-facts-4567.json"
    old_temporary, fresh_temporary = tmp_path / ".pattern-facts-a.tmp", tmp_path / ".pattern-facts-b.tmp"
    unrelated = tmp_path / "notes.json"
    for path in (old_version, other_version, old_temporary, fresh_temporary, unrelated):
        path.write_text("{}", encoding="utf-8")
    long_ago = time.time() - 40 * 24 * 3600
    for path in (old_version, old_temporary, unrelated):
        os.utime(path, (long_ago, long_ago))
    os.utime(fresh_temporary, (time.time() - 60, time.time() - 60))
    facts = PatternFacts.load(tmp_path)
    facts.openings(r"^Read more")
    assert facts.save()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([facts_file(tmp_path).name, other_version.name, fresh_temporary.name, unrelated.name])


def test_the_file_name_is_a_hash_of_the_code_and_every_version() -> None:
    sources = [b"derived", b"patterns", b"literals"]
    versions = ["3.11.7 (main)", "cpython-311", "2024.11.6", "258"]
    name = identity(sources, *versions)
    assert identity(list(sources), *versions) == name
    assert identity([b"derived", b"patterns", b"literals # changed"], *versions) != name
    for changed in range(len(versions)):
        other = [v + "x" if i == changed else v for i, v in enumerate(versions)]
        assert identity(sources, *other) != name
    assert identity([b"ab", b"c"], *versions) != identity([b"a", b"bc"], *versions), "parts are kept apart"


def test_this_process_is_named_by_the_code_it_imported() -> None:
    expected = identity(
        [cleaner.derived._source(module) for module in (cleaner.derived, cleaner.patterns, cleaner.literals)],
        __import__("sys").version,
        __import__("sys").implementation.cache_tag,
        regex.__version__,
        str(int(cleaner.patterns.PATTERN_FLAGS)),
    )
    assert IDENTITY == expected
    assert facts_file(Path("/x")) == Path(f"/x/pattern-facts-{IDENTITY}.json")


def test_the_code_that_works_answers_out_is_in_the_hashed_modules() -> None:
    """Moving a function that decides an answer into a module the name does not hash (into
    `cleaner.scan`, say) would let old answers be read by new code."""
    hashed = {"cleaner.derived", "cleaner.patterns", "cleaner.literals"}
    deciders = (
        cleaner.derived._prefixes,
        cleaner.derived._suffixes,
        cleaner.derived.edge_characters,
        cleaner.derived.question_pattern,
        cleaner.derived.required_literals,
        cleaner.patterns.relaxed,
    )
    assert {f.__module__ for f in deciders} <= hashed


def test_a_genuine_rule_error_loads_the_rules_once(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback of a rule error reloads only when answers came from the file."""
    from cleaner import engine
    from cleaner.model import RuleError

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- id: wrong\n  kind: line\n  why: An example it fails.\n  patterns: ['^Sponsored$']\n"
        "  examples:\n    remove: [Advertisement]\n",
        encoding="utf-8",
    )
    calls = []
    load = engine.load_rules
    monkeypatch.setattr(engine, "load_rules", lambda *args, **kwargs: calls.append(1) or load(*args, **kwargs))
    for use_cache in (False, True):
        calls.clear()
        with pytest.raises(RuleError):
            Cleaner([bad], defaults=False, use_cache=use_cache)
        assert len(calls) == 1
    Cleaner()  # fills the file
    calls.clear()
    with pytest.raises(RuleError):
        Cleaner([bad])  # answers came from the file: worked out again, then the same error
    assert len(calls) == 2


def test_where_the_file_lives(tmp_path: Path) -> None:
    assert default_cache_dir({"HOME": str(tmp_path)}) == tmp_path / ".cache" / "cleaner"
    assert default_cache_dir({"XDG_CACHE_HOME": "/x", "HOME": "/h"}) == Path("/x/cleaner")
    assert default_cache_dir({"XDG_CACHE_HOME": "relative", "HOME": "/h"}) == Path("/h/.cache/cleaner")
    assert default_cache_dir({"CLEANER_CACHE_DIR": "/y", "XDG_CACHE_HOME": "/x"}) == Path("/y")
    assert default_cache_dir({"CLEANER_CACHE_DIR": "~/y", "HOME": "/h"}) == Path("/h/y")
    for off in ("1", "yes", "true"):
        assert default_cache_dir({"CLEANER_CACHE_DIR": "/y", "CLEANER_NO_CACHE": off}) is None
    for on in ("0", "false", "no", "off", ""):
        assert default_cache_dir({"CLEANER_CACHE_DIR": "/y", "CLEANER_NO_CACHE": on}) == Path("/y")


def test_no_cache_writes_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Cleaner(use_cache=False)
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    Cleaner()
    assert not cache.exists()


def test_a_pickled_cleaner_keeps_its_choice_and_reads_the_file(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = pickle.loads(pickle.dumps(Cleaner(use_cache=False)))
    assert copy.use_cache is False and not cache.exists()
    pickled = pickle.dumps(Cleaner())
    facts_file(cache).unlink()
    copy = pickle.loads(pickled)  # works the answers out again and writes them
    assert copy.use_cache is True and facts_file(cache).exists()
    _no_working_out(monkeypatch)
    assert pickle.loads(pickled).clean("Read more:\nA link title\nThe article says this.").text == "The article says this."


def test_a_pickle_made_before_the_choice_existed_still_loads(cache: Path) -> None:
    built = Cleaner()
    old = Cleaner.__new__(Cleaner)
    old.__setstate__((built.ruleset, built.regex_timeout))
    assert old.use_cache is True and old.clean("Read more:\nA link title\nThe article says this.").text == "The article says this."


def test_wrong_answers_in_the_file_never_become_a_rule_error(cache: Path) -> None:
    """A shipped rule's example that fails with answers from the file (a hand-edited one here:
    no opening is listed for any pattern) makes the build work everything out again."""
    Cleaner()
    path = facts_file(cache)
    stored = json.loads(path.read_text(encoding="utf-8"))
    for answers in stored["facts"].values():
        for name in ("openings", "endings", "prefixes", "suffixes"):
            if name in answers:
                answers[name] = ["\x01"]
    path.write_text(json.dumps(stored), encoding="utf-8")
    built = Cleaner()
    assert built.clean("Read more:\nA link title\nThe article says this.").text == "The article says this."
    assert json.loads(path.read_text(encoding="utf-8"))["facts"] != stored["facts"], "the file is repaired"


def test_a_full_file_keeps_the_texts_asked_about_most_recently(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cleaner.derived, "MAX_SOURCES", 3)
    earlier = PatternFacts.load(tmp_path)
    for word in ("alpha", "beta", "gamma"):
        earlier.openings(f"^{word}")
    assert earlier.save()
    later = PatternFacts.load(tmp_path)
    later.openings("^delta")  # new
    later.openings("^beta")  # read back
    assert later.save()
    stored = json.loads(facts_file(tmp_path).read_text(encoding="utf-8"))
    assert list(stored["facts"]) == ["^delta", "^beta", "^alpha"]
