"""Hostile rules: a regex that backtracks without end, and a rule that would eat the article.

A pattern with catastrophic backtracking must not hang the batch: the regex module's per-call
timeout stops it, the error names the rule, and the document fails alone. A rule that would
remove most of a document's text trips the `max_removed_share` guard: the document is kept
whole, with a warning naming the rule, instead of being emptied.
"""

from __future__ import annotations

import pickle
import time
from dataclasses import replace
from pathlib import Path

import pytest
import regex
from helpers import EVERYTHING, PROSE, SEEDS, SHARED, run_cli, write_rules

from cleaner.engine import DEFAULT_REGEX_TIMEOUT, GUARD_MIN_PARAGRAPHS, Cleaner, guard_warning
from cleaner.model import DEFAULT_MAX_REMOVED_SHARE, DocumentError, RuleTimeout
from cleaner.schema import Matcher

# Exponential in the length of a run of "a" that is not followed by the end: at 40 characters
# it would run for hours without the timeout. (Not ending in '$': the scan matches patterns that
# end there backwards from the paragraph's end, where this run fails at once.)
EXPONENTIAL = "(a|aa)+(?:$|!!)"
RUN_OF_A = "a" * 40 + "!"


def line_rule(rule_id: str, pattern: str, remove: str, keep: str) -> str:
    return f"""
- id: {rule_id}
  kind: line
  why: A test rule.
  patterns: ['{pattern}']
  examples:
    remove: ["{remove}"]
    keep: ["{keep}"]
"""


@pytest.fixture
def slow_rule(tmp_path: Path) -> Path:
    return write_rules(tmp_path, line_rule("backtracks", EXPONENTIAL, "aaa", "bbb!"))


def test_catastrophic_pattern_times_out_and_names_its_rule(slow_rule: Path) -> None:
    cleaner = Cleaner([slow_rule])  # with the shipped rules too: the scan combines them all
    started = time.perf_counter()
    with pytest.raises(RuleTimeout) as caught:
        cleaner.clean("\n".join([PROSE[0], RUN_OF_A, PROSE[1]]))
    elapsed = time.perf_counter() - started
    assert caught.value.rule_id == "backtracks"
    assert caught.value.line == 2
    assert "backtracks" in str(caught.value) and "timed out" in str(caught.value)
    assert isinstance(caught.value, DocumentError)  # a batch treats it like any failed document
    assert elapsed < 10 * DEFAULT_REGEX_TIMEOUT


def test_timeout_inside_a_rule_names_the_rule(tmp_path: Path) -> None:
    """The trigger (the block's start) is harmless; the hang is in its `items` pattern, met only
    when the rule itself looks at the paragraphs after the header."""
    rules = write_rules(
        tmp_path,
        f"""
- id: slow-items
  kind: block
  why: A test rule.
  start: {{phrases: ["Further links"]}}
  items: ['^{EXPONENTIAL}']
  titles: false
  examples:
    remove: ["Further links\\naaaa"]
    keep: ["Further links\\nThe end of the story is here."]
""",
    )
    cleaner = Cleaner([rules], defaults=False, regex_timeout=0.1)
    with pytest.raises(RuleTimeout) as caught:
        cleaner.clean("\n".join([PROSE[0], "Further links", RUN_OF_A, PROSE[1]]))
    assert caught.value.rule_id == "slow-items"


def test_nested_quantifier_from_the_issue_is_bounded(tmp_path: Path) -> None:
    """`(a+)+$` against a long run of "a" and a "!": the regex module avoids the exponential
    blow-up, but a search still tries every start, each running to the end: quadratic, hours
    on 100,000 characters. The timeout bounds it like any other."""
    # max_chars above the run: past a rule's max_chars a paragraph is never scanned at all.
    rule = line_rule("nested", "(a+)+(?:$|!!)", "aaa", "bbb!").replace("kind: line", "kind: line\n  max_chars: 200000")
    rules = write_rules(tmp_path, rule)
    cleaner = Cleaner([rules], defaults=False)
    assert cleaner.clean("a" * 100 + "!\n" + PROSE[0]).removed == ()  # short runs are no problem
    started = time.perf_counter()
    with pytest.raises(RuleTimeout) as caught:
        cleaner.clean(PROSE[0] + "\n" + "a" * 100_000 + "!")
    assert caught.value.rule_id == "nested" and caught.value.line == 2
    assert time.perf_counter() - started < 10 * DEFAULT_REGEX_TIMEOUT


def test_other_documents_are_unaffected_by_a_slow_rule(slow_rule: Path) -> None:
    cleaner = Cleaner([slow_rule])
    document = "\n".join(PROSE)
    assert cleaner.clean(document).text == Cleaner().clean(document).text


def test_timeout_survives_pickling_to_a_worker(slow_rule: Path) -> None:
    cleaner = pickle.loads(pickle.dumps(Cleaner([slow_rule], regex_timeout=0.05)))
    assert cleaner.regex_timeout == 0.05
    with pytest.raises(RuleTimeout):
        cleaner.clean(RUN_OF_A)


def test_cli_fails_the_timed_out_file_alone(tmp_path: Path, slow_rule: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.txt").write_text(f"{PROSE[0]}\n{RUN_OF_A}\n", encoding="utf-8")
    (folder / "good.txt").write_text("\n".join(PROSE) + "\n", encoding="utf-8")
    run = run_cli("clean", str(folder), "-o", str(tmp_path / "out"), "--rules", str(slow_rule))
    assert run.code == 1
    errors = [line for line in run.err.splitlines() if "bad.txt" in line]
    assert len(errors) == 1 and "backtracks" in errors[0] and "timed out" in errors[0]
    assert (tmp_path / "out" / "good.txt").read_text(encoding="utf-8").splitlines() == PROSE


# --- the removal guard ------------------------------------------------------------------------


def test_guard_warning_counts_characters_not_paragraphs() -> None:
    texts = ["Share", "Tweet", "Email", "Print", "Save", PROSE[0]]
    # five of six paragraphs, but a fifth of the text: furniture, not the article
    assert guard_warning("buttons", [0, 1, 2, 3, 4], texts, 0.6) is None
    warning = guard_warning("eats", [4, 5], texts, 0.6)
    assert warning is not None and "'eats'" in warning and "kept whole" in warning


def test_guard_does_not_count_copies_whose_text_stays() -> None:
    # The article printed three times (a page's embedded copy extracted with it): removing two
    # copies is two thirds of the text, but every sentence is still there once.
    article = list(PROSE[:3])
    texts = article * 3
    copies = list(range(3, 9))
    assert guard_warning("duplicate-paragraphs", copies, texts, 0.6) is None
    # Removing the last copy too loses the text: that still trips the guard.
    assert guard_warning("duplicate-paragraphs", list(range(9)), texts, 0.6) is not None


def test_article_printed_three_times_is_cleaned_to_one_copy() -> None:
    cleaner = Cleaner()
    article = [p for p in PROSE if p.endswith(".")][:4]
    assert len(article) == 4
    result = cleaner.clean("\n".join(article * 3))
    assert result.text.split("\n") == article
    assert not result.warnings


def test_guard_leaves_short_documents_to_the_rules() -> None:
    texts = ["Read more:", "A link title"]
    assert len(texts) < GUARD_MIN_PARAGRAPHS
    assert guard_warning("read-more", [0, 1], texts, 0.6) is None


def test_dot_star_rule_keeps_the_document_whole(tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    shipped = Cleaner()
    every_paragraph = tuple(line.strip() for line in shipped.normalize(seed).split("\n") if line.strip())
    result = Cleaner([write_rules(tmp_path, EVERYTHING)]).clean(seed)
    assert result.removed == ()
    assert result.paragraphs == every_paragraph  # even the shipped rules' removals are held back
    assert len(shipped.clean(seed).paragraphs) < len(every_paragraph)
    assert len(result.warnings) == 1 and "'eats-everything'" in result.warnings[0]
    assert f"{DEFAULT_MAX_REMOVED_SHARE:.0%}" in result.warnings[0]


def test_literal_dot_star_trips_the_guard_too(tmp_path: Path) -> None:
    """The loader refuses `.*` (no `keep:` example can pass); a rule set built in code may hold it."""
    loaded = Cleaner([write_rules(tmp_path, EVERYTHING)], defaults=False).ruleset
    dot_star = replace(loaded.rules[0], matcher=Matcher((regex.compile(".*"),)))
    result = Cleaner(ruleset=replace(loaded, rules=(dot_star,))).clean("\n".join(PROSE))
    assert result.paragraphs == tuple(PROSE)
    assert result.warnings and "'eats-everything'" in result.warnings[0]


def test_tail_marker_near_the_top_keeps_the_document_whole(tmp_path: Path) -> None:
    rules = write_rules(
        tmp_path,
        """
- id: greedy-tail
  kind: tail
  why: A test rule with its own guards switched off.
  marker: {phrases: ["Top stories"]}
  max_fraction: 1
  min_title_share: 0.05
  examples:
    remove: ["Top stories\\nA headline"]
    keep: ["Top stories of the year were about the weather."]
""",
    )
    document = [PROSE[0], "Top stories", *PROSE[1:], "Bridge closure timeline"]
    result = Cleaner([rules], defaults=False).clean("\n".join(document))
    assert result.paragraphs == tuple(document)
    assert result.removed == ()
    assert any("'greedy-tail'" in w for w in result.warnings)


def test_pack_setting_raises_the_limit(tmp_path: Path) -> None:
    """`max_removed_share` in a mapping-form rule file overrides the default for the pack."""
    body = line_rule("first-four", "^(?:The council said|Engineers|Residents|A spokesperson)", "Residents say", "Others say")
    document = "\n".join(PROSE)  # the rule takes four of six similar-length paragraphs: ~2/3 of the text
    strict = Cleaner([write_rules(tmp_path, body, "strict.yaml")], defaults=False).clean(document)
    assert strict.removed == () and strict.warnings
    lenient_rules = write_rules(tmp_path, "max_removed_share: 0.9\nrules:\n" + body.replace("\n", "\n  "), "lenient.yaml")
    lenient = Cleaner([lenient_rules], defaults=False).clean(document)
    assert lenient.warnings == ()
    assert [r.line for r in lenient.removed] == [1, 2, 3, 4]


def test_pack_setting_applies_only_to_its_own_pack(tmp_path: Path) -> None:
    """A lenient pack loaded beside a strict one does not relax the strict pack's rules."""
    body = line_rule("first-four", "^(?:The council said|Engineers|Residents|A spokesperson)", "Residents say", "Others say")
    other = line_rule("nothing-much", "^Bridge closure timeline$", "Bridge closure timeline", "Others say")
    lenient = write_rules(tmp_path, "max_removed_share: 0.9\nrules:\n" + other.replace("\n", "\n  "), "a-lenient.yaml")
    strict = write_rules(tmp_path, body, "b-strict.yaml")
    cleaner = Cleaner([lenient, strict], defaults=False)
    assert cleaner.ruleset.by_id("first-four").meta.max_removed_share == DEFAULT_MAX_REMOVED_SHARE
    assert cleaner.ruleset.by_id("nothing-much").meta.max_removed_share == 0.9
    result = cleaner.clean("\n".join(PROSE))
    assert result.removed == () and any("'first-four'" in w for w in result.warnings)


def test_title_request_is_still_honoured_when_the_guard_trips(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, EVERYTHING)
    document = "Bridge to stay shut until spring\n" + "\n".join(PROSE)
    result = Cleaner([rules], defaults=False).clean(document, title=False)
    assert result.warnings
    assert [r.rule_id for r in result.removed] == ["title"]


@pytest.mark.skipif(not (SHARED / "bench" / "dev").is_dir(), reason="needs ../shared/bench/dev")
def test_guard_never_trips_on_real_pages_with_the_shipped_rules() -> None:
    """Both the extracted text and the furniture-heavy scraped text of every dev page."""
    cleaner = Cleaner()
    tripped = []
    for path in sorted((SHARED / "bench" / "dev").glob("*/input*.txt")):
        result = cleaner.clean(path.read_text(encoding="utf-8"))
        if result.warnings:
            tripped.append((path.parent.name, path.name, result.warnings))
    assert tripped == []
