"""The fast candidate scan never misses a paragraph a rule could drop.

The engine flags candidates with `cleaner.scan`: one scan per length tier (start-anchored
triggers grouped by opening characters, line-local floating ones searched across the document,
`$`-anchored ones matched backwards, leading lookaheads left out); every rule then checks its
own patterns. Here the scan is checked against the slow,
obvious one: each trigger of each rule searched in each paragraph the rule may drop (at most its
`max_chars`), and whole results against a run in which every rule sees every paragraph.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from helpers import SEEDS, write_rules

from cleaner.derived import PatternFacts
from cleaner.engine import Cleaner
from cleaner.patterns import WIDE_OPENINGS, ends_anchored, group_end, relaxed, reversible, top_level_alternation
from cleaner.scan import (
    UNBOUNDED,
    LengthTiers,
    LiteralSearch,
    TriggerScan,
    _literal_search,
    _paragraphs_holding,
    _paragraphs_matching,
    _too_open,
)
from cleaner.schema import PATTERN_FLAGS, combine, make_matcher

BENCH = Path(__file__).parent / "data" / "bench"
DOCUMENTS = sorted(SEEDS.glob("*.txt")) + sorted(BENCH.glob("*/input*.txt"))


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def paragraphs(cleaner: Cleaner, path: Path) -> list[str]:
    lines = cleaner.normalize(path.read_text(encoding="utf-8")).split("\n")
    return [s for s in (line.strip() for line in lines) if s]


def test_documents_are_there() -> None:
    assert len(DOCUMENTS) >= 10


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_scan_flags_every_paragraph_a_trigger_matches(cleaner: Cleaner, path: Path) -> None:
    texts = paragraphs(cleaner, path)
    flagged = set(cleaner._tiers.candidates(texts))
    for rule in cleaner._droppers:
        limit = rule.max_chars
        triggers = [regex.compile(s, PATTERN_FLAGS) for s in rule.triggers()]
        for index, text in enumerate(texts):
            if len(text) <= limit and any(t.search(text) for t in triggers):
                assert index in flagged, (rule.meta.id, text)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("title", [True, False])
def test_same_result_as_when_every_rule_sees_every_paragraph(
    cleaner: Cleaner, path: Path, title: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_text(encoding="utf-8")
    fast = cleaner.clean(text, title=title)
    every_rule = frozenset(range(len(cleaner._droppers)))
    monkeypatch.setattr(Cleaner, "_candidates", lambda self, texts, *rest: dict.fromkeys(range(len(texts)), every_rule))
    assert cleaner.clean(text, title=title) == fast


def test_paragraphs_past_every_limit_are_not_scanned() -> None:
    tiers = LengthTiers.build([(20, ["^read more$"]), (60, ["photo"])])
    texts = ["Read more", "A photo of a cat", "x" * 40 + " photo", "x" * 70 + " photo", "read more " + "x" * 30]
    assert tiers.candidates(texts) == (0, 1, 2)


def test_a_rule_without_max_chars_sees_every_length() -> None:
    tiers = LengthTiers.build([(UNBOUNDED, ["photo"])])
    assert tiers.candidates(["x" * 10_000 + " photo", "no"]) == (0,)


def test_max_chars_bounds_what_a_rule_drops(tmp_path: Path) -> None:
    rules = write_rules(
        tmp_path,
        """
- id: credit
  kind: line
  why: A test rule.
  patterns: ['Credit: \\w+$']
  max_chars: 30
  examples:
    remove: ["Picture. Credit: ESA"]
    keep: ["A long caption that goes on and on past thirty characters. Credit: ESA"]
""",
    )
    cleaner = Cleaner([rules], defaults=False)
    result = cleaner.clean("Picture. Credit: ESA\nA long caption that goes on past thirty. Credit: ESA")
    assert [r.line for r in result.removed] == [1]


def test_zero_width_tests_are_left_out_of_the_scan_questions_only() -> None:
    """The dispatch asks partial-matching questions of `patterns.relaxed` forms: no
    boundary or lookaround, no atomic group or possessive quantifier (`^` and `$` stay), so it
    matches wherever the pattern does; a pattern with a group reference has no such form."""
    assert relaxed(r"^Read\b more(?!:)(?<!x)\Z") == "^Read more"
    assert relaxed(r"(?>a|b)+x*+y?+z{2}+\++[$^\b]\$") == r"(?:a|b)+x*y?z{2}\++[$^\b]\$"
    assert relaxed(r"^(?<name>a)(?P<other>b)$") == "^(?<name>a)(?P<other>b)$"
    assert relaxed("^(?=.{0,200}$)(?:Please )?enable") == "^(?:Please )?enable"
    assert relaxed("^(?=[)])x") == "^x"
    assert relaxed("(?=a)b") == "b"
    assert relaxed(r"^(?=(a))\1") == ""  # a group reference: no loosened form, every key meets it


def test_patterns_with_group_references_or_global_flags_are_not_joined() -> None:
    assert combine([r"(a)\1", "b"]) is None
    assert combine(["(?x) a", "b"]) is None
    joined = combine(["(?-i:A)b", "c"])
    assert joined is not None and joined.search("Ab") and not joined.search("ab") and joined.search("C")


def test_the_bracket_walker_skips_escapes_and_classes() -> None:
    assert top_level_alternation("a|b") and top_level_alternation("(a)|b")
    assert not top_level_alternation("(a|b)") and not top_level_alternation(r"[|]\|") and not top_level_alternation("[]|]")
    assert group_end("(a(b)c)d", 0) == 7
    assert group_end(r"(\)[)])x", 0) == 7
    assert group_end("(a", 0) == -1


def test_a_matcher_asks_its_patterns_in_as_few_anchored_calls_as_it_can() -> None:
    mixed = make_matcher(
        ("Read more",),
        tuple(regex.compile(p, PATTERN_FLAGS) for p in (r"^related\b", r"\(Photo: [^()]+\)$", r"\bGetty Images\b", r"(?<=x)y$")),
        prefix=False,
    )
    # the two start-anchored patterns in one call, the end-anchored one backwards, the rest searched
    assert [(p.anchored, p.pattern.flags & regex.REVERSE != 0) for p in mixed.probes] == [(True, False), (True, True), (False, False)]
    texts = ("READ MORE:", "Related stories", "We read more", "A dog (Photo: AP)", "(Photo: AP) A dog", "via Getty Images.", "xy")
    assert [mixed.matches(t) for t in texts] == [True, True, False, True, False, True, True]
    referring = make_matcher((), (regex.compile("^(a)x$", PATTERN_FLAGS), regex.compile(r"^(b)\1$", PATTERN_FLAGS)), prefix=False)
    assert len(referring.probes) == 2 and referring.matches("bb") and not referring.matches("ab")


def test_a_cleaner_takes_rule_paths_or_a_ruleset_not_both(tmp_path: Path) -> None:
    ruleset = Cleaner(defaults=False).ruleset
    with pytest.raises(TypeError):
        Cleaner([tmp_path], ruleset=ruleset)


def test_a_trigger_too_open_at_three_characters_is_listed_by_two() -> None:
    """A date opens with too many three-character strings ("12/", "1.5", "2024"...) to list,
    but few two-character ones: a paragraph opening "Meanwhile" meets no call for it, while one
    that opens like a date does, and neither is missed or wrongly flagged."""
    date = r"^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|(?:jan|mar|may)[a-z]*\.? \d{1,2},? \d{4})$"
    tiers = LengthTiers.build([(120, [date])])
    (scan,) = tiers.scans
    assert scan.by_pair and "12" in scan.by_pair and "Ma" in scan.by_pair
    assert "Me" not in scan.by_pair and not scan.by_opening_unlisted["M"]
    texts = ["Meanwhile, nothing.", "March 3, 2024", "12/03/2024", "May be"]
    assert tiers.candidates(texts) == (1, 2)


def _matchers(cleaner: Cleaner):
    """Every `Matcher` of the shipped rules, named by rule and field."""
    for rule in cleaner.ruleset.rules:
        for name in ("matcher", "start", "end", "marker", "items", "credit", "exempt"):
            value = getattr(rule, name, None)
            if hasattr(value, "probes"):
                yield f"{rule.meta.id}.{name}", value


def test_a_matcher_answers_as_its_patterns_searched_one_by_one(cleaner: Cleaner) -> None:
    """A matcher asks its patterns joined, anchored, backwards, or not at all when a paragraph's
    first or last character rules them out; on every paragraph of the seeds and bench cases (and
    each with its first or last word cut, so that other characters stand at its edges) and on
    every rule example, its answer is the answer of each pattern searched on its own."""
    texts = {t for path in DOCUMENTS for t in paragraphs(cleaner, path)}
    texts |= {t.split(" ", 1)[-1] for t in texts} | {t.rsplit(" ", 1)[0] for t in texts}
    matchers = list(_matchers(cleaner))
    assert sum(1 for _, m in matchers if any(p.first_chars or p.last_chars for p in m.probes)) >= 20
    for name, matcher in matchers:
        for text in texts:
            expected = any(p.search(text) for p in matcher.patterns)
            assert matcher.matches(text) == expected, (name, text)


def test_edge_characters_are_worked_out_by_the_regex_engine() -> None:
    (probe,) = make_matcher(("Read more",), (), prefix=False).probes
    assert {c for c in probe.first_chars if not c.isspace()} == {"R", "r"}
    assert {".", ":", "e", "E"} <= probe.last_chars and "d" not in probe.last_chars
    (floating,) = make_matcher((), (regex.compile(r"\bGetty Images\b", PATTERN_FLAGS),), prefix=False).probes
    assert floating.first_chars is None and floating.last_chars is None
    (only_start,) = make_matcher((), (regex.compile(r"^Photo:", PATTERN_FLAGS),), prefix=False).probes
    assert only_start.last_chars is None and only_start.first_chars is not None


def test_patterns_that_do_not_compile_as_one_alternation_are_asked_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.schema

    monkeypatch.setattr(cleaner.schema, "combine", lambda sources, flags=0: None)
    sources = (r"^related\b", r"\bGetty Images$", r"^see also$")
    probes = cleaner.schema.probes_for(sources)
    assert [p.pattern.pattern for p in probes] == list(sources) and not any(p.anchored for p in probes)
    matcher = make_matcher((), tuple(regex.compile(s, PATTERN_FLAGS) for s in sources), prefix=False)
    assert [matcher.matches(t) for t in ("Related stories", "Photo: Getty Images", "See also", "Plain.")] == [True, True, True, False]


def test_a_flagged_paragraph_is_put_down_to_the_rules_whose_triggers_it_may_match() -> None:
    """Rules are known by their position in what the tiers were built from; a rule without
    triggers (position 2) is never named, and an anchored trigger that cannot open a paragraph
    keeps its rule off that paragraph."""
    tiers = LengthTiers.build([(500, ["^read more$"]), (500, ["^see also$"]), (500, []), (500, [r"^(?:\w+ ){0,3}moderat(?:e|es) comments\b"])])
    flagged = tiers.flag(["Read more", "Plain prose.", "See also", "We moderate comments here."])
    assert set(flagged) == {0, 2, 3}
    assert flagged[0] == {0} and flagged[2] == {1} and 3 in flagged[3]
    assert all(2 not in owners for owners in flagged.values())


def test_a_rule_is_not_asked_about_paragraphs_flagged_for_other_rules(cleaner: Cleaner, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine gives each rule with triggers only the flagged paragraphs put down to it, and
    does not call it at all when there are none."""
    asked: dict[str, list[tuple[int, ...]]] = {}
    for kind in {type(rule) for rule in cleaner._droppers}:
        original = kind.select

        def spy(self, page, original=original):  # type: ignore[no-untyped-def]
            asked.setdefault(self.meta.id, []).append(page.candidates)
            return original(self, page)

        monkeypatch.setattr(kind, "select", spy)
    result = cleaner.clean("The council met on Tuesday.\nRead more:\nA link title\nThe article says this.")
    assert [r.rule_id for r in result.removed] == ["read-more-list", "read-more-list"]
    assert asked["read-more-list"] == [(1,)]
    assert "newsletter-prompt" not in asked and "photo-credit-line" not in asked  # not theirs to judge
    assert "duplicate-paragraphs" in asked  # a rule without triggers looks at every page


def test_the_key_memo_stops_growing_and_the_flags_stay_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `MEMO_KEYS` keys a paragraph's keys are worked out each time instead of kept: the
    memo is bounded whatever script the corpus is in, and the answer does not change."""
    from cleaner import scan

    fresh = Cleaner()
    expected = [fresh._tiers.flag(paragraphs(fresh, path)) for path in DOCUMENTS]
    monkeypatch.setattr(scan, "MEMO_KEYS", 8)
    capped = Cleaner()
    assert [capped._tiers.flag(paragraphs(capped, path)) for path in DOCUMENTS] == expected
    for tier in capped._tiers.scans:
        assert len(tier.by_opening_key) <= 8 and len(tier.by_ending_key) <= 8


def test_a_finer_opening_key_spares_prose_the_regex_call() -> None:
    """A paragraph whose first characters meet a group ("The" meets "^the cookie settings") but
    whose first `FINE_KEY_CHARS` open none of its sources is asked no forward pattern; one
    that can still match is asked only the sources its finer key opens."""
    cookie, themen = r"^the cookie settings on this site\b", r"^themen\s*$"
    scan = TriggerScan.build([cookie, themen])
    texts = ["The company said on Monday.", "The cookie settings on this site are set.", "Themen", "The"]
    assert scan.candidates(texts) == (1, 2)
    assert scan.by_fine_key["The comp"] == (None, ())
    assert scan.by_fine_key["The cook"][1] == (cookie,)
    assert scan.by_fine_key["Themen"][1] == (themen,)


def test_a_full_table_of_fine_keys_starts_again_and_the_flags_stay_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `FINE_KEYS` keys a table of finer keys is emptied and filled again: it stays bounded
    whatever the corpus, and every paragraph is flagged and put down to rules as before."""
    from cleaner import scan

    fresh = Cleaner()
    expected = [fresh._tiers.flag(paragraphs(fresh, path)) for path in DOCUMENTS]
    monkeypatch.setattr(scan, "FINE_KEYS", 8)
    capped = Cleaner()
    assert [capped._tiers.flag(paragraphs(capped, path)) for path in DOCUMENTS] == expected
    tiers = capped._tiers.scans
    assert all(len(tier.by_fine_key) <= 8 and len(tier.by_fine_ending) <= 8 for tier in tiers)
    assert any(tier.by_fine_key for tier in tiers) and any(tier.by_fine_ending for tier in tiers)
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        assert capped.clean(text) == fresh.clean(text)


def test_a_required_string_without_case_is_searched_without_case_folding() -> None:
    """"/" and "@" have no other case, and the engine finds them about four times faster without
    folding; a string with a letter, or a symbol outside ASCII ("ⓒ", "ɤ"), is still folded."""
    assert not _literal_search("/").flags & regex.IGNORECASE
    assert _literal_search("/").search("REUTERS/Jane Doe")
    assert _literal_search("ⓒ").search("Ⓒ 2019 Entermedia")
    assert _literal_search("Credit").search("CREDIT: AP")
    assert _literal_search("\u0264" * 4).flags & regex.IGNORECASE  # the engine folds it to U+A7CB


# Paragraphs that hold the shipped required strings in other cases, past the shorter strings'
# limits, several times, at the edges of the document.
LITERAL_TEXTS = [
    "Sign up for our NEWSLETTER to get the day's news in your inbox, every morning before six.",
    "Newsletter",
    "LETTER",
    "A letter to the editor",
    "REUTERS/Jane Doe",
    "Write to jane@example.com or to desk@example.com",
    "Photo: AP / Credit: Jane Doe",
    "Reporters may be reached at desk@example.com",
    "Read the comments",
    "... more Photo",
    "Emails",
    "Our Emails and newsletters",
]


@pytest.mark.parametrize("path", [None, *DOCUMENTS], ids=lambda p: "strings" if p is None else f"{p.parent.name}/{p.name}")
def test_each_required_string_flags_what_its_own_search_would(cleaner: Cleaner, path: Path | None) -> None:
    """The strings searched across the document (a string that holds another is asked only of
    the paragraphs the shorter one's search finds, one without case by `str.find`) put every
    paragraph down to the same rules as one engine search per string, paragraph by paragraph."""
    tiers = cleaner._tiers
    assert any(search.within for search in tiers.searches)  # "newsletter" holds "letter"
    assert sum(1 + len(search.within) for search in tiers.searches) == len(tiers.literals)
    texts = LITERAL_TEXTS + LITERAL_TEXTS[::-1] if path is None else paragraphs(cleaner, path)
    flagged = tiers.flag(texts)
    for index, text in enumerate(texts):
        for search in tiers.literals:
            if len(text) <= search.limit and search.pattern.search(text):
                assert search.owners <= flagged.get(index, frozenset()), (search.literal, text)


@pytest.mark.parametrize("literal", ["/", "ab", "\n"])
def test_a_string_is_found_by_str_find_in_the_paragraphs_the_engine_finds_it_in(literal: str) -> None:
    texts = ["a/b/c", "x", "ab/ab", "/", "y/", "no", "/z", "abab", "b"]
    literal = literal.replace("\\n", "\n")
    document = "\n".join(texts)
    expected = _paragraphs_matching(regex.compile(regex.escape(literal), regex.MULTILINE), texts, None, document)
    assert _paragraphs_holding(literal, document) == expected
    assert expected == sorted({i for i, t in enumerate(texts) if literal in t} | ({i for i in range(len(texts) - 1)} if literal == "\n" else set()))
    assert _paragraphs_holding(literal, "") == []


def test_a_string_within_another_is_asked_only_where_the_shorter_one_is() -> None:
    letter = LiteralSearch.build("letter", 60, frozenset({0}))
    newsletter = LiteralSearch.build("newsletter", 400, frozenset({1}))
    slash = LiteralSearch.build("/", 500, frozenset({2}))
    nested = LiteralSearch.nest([newsletter, letter, slash])
    assert [(s.literal, [w.literal for w in s.within]) for s in nested] == [("letter", ["newsletter"]), ("/", [])]
    assert slash.caseless and not letter.caseless


@pytest.mark.parametrize(
    ("trigger", "paragraph"),
    [
        # A test at the edge of a key looks past it: partial matching alone would fail it there.
        (r"^Anzeigen\B\w*:?$", "Anzeigenblatt"),
        (r"^Anzeigen(?!$)\W.{0,40}$", "Anzeigen: Jobs"),
        (r"^Ads\B\w*$", "Adserver"),
        (r"\w\b \(Getty\)$", "Bridge at night (Getty)"),
        (r"^[a-z]\B\w+ only$", "Members only"),
        # Asked from the end, a greedy quantifier that must give back before literal text:
        # the regex module's partial matching misses the ending "ab" of "aaab" unless lazy.
        (r"aab[ab]?$", "Xaaab"),
        (r"ba![^a]+!*$", " b.!ba!."),
        (r"ied!!*$", "He copied!"),
        # Atomic: forwards it matches, backwards (from the end) it would not.
        (r"\s\w(?>\w+)$", "The word is abc"),
        # A conditional names a group of its own pattern, like a back-reference.
        (r"^(y)?(?(1)ou|they) subscribed$", "you subscribed"),
    ],
)
def test_triggers_that_partial_matching_alone_would_miss_are_flagged(trigger: str, paragraph: str) -> None:
    """Each of these triggers matches its paragraph; the scan, its dispatch keys and the rule's
    own matcher must all say so (a reviewer's counterexamples)."""
    assert regex.search(trigger, paragraph, PATTERN_FLAGS)
    texts = ["The council met on Tuesday.", paragraph]
    assert TriggerScan.build([trigger, r"^(you subscribed) today$"]).candidates(texts) == (1,)
    assert LengthTiers.build([(UNBOUNDED, [trigger])]).candidates(texts) == (1,)
    assert make_matcher((), (regex.compile(trigger, PATTERN_FLAGS),), prefix=False).matches(paragraph)


def test_a_built_scan_answers_one_paragraph_as_the_plain_scan_does(cleaner: Cleaner) -> None:
    """A built scan keeps no whole alternation (its dispatch joins only the groups it meets), so
    its `__call__` asks the dispatch: it must agree with the plain scan, which asks the two
    joined patterns of every source, on every paragraph of the seeds and bench cases."""
    sources = [s for rule in cleaner._droppers for s in rule.triggers()]
    built, plain = TriggerScan.build(sources), TriggerScan.plain(sources)
    assert built.anchored is None and plain.anchored is not None
    texts = [t for path in DOCUMENTS for t in paragraphs(cleaner, path)]
    answers = [(built(t), plain(t)) for t in texts]
    assert all(b == p for b, p in answers)
    assert sum(p for _, p in answers) >= 10  # flagged paragraphs are there to agree on


def test_a_finer_ending_key_spares_prose_the_backward_call() -> None:
    """The same for patterns matched from a paragraph's end: a paragraph ending ")." meets the
    "(Name/Agency)" caption credit, but one whose last `FINE_KEY_CHARS` cannot end a credit
    (" (2019).") is asked nothing."""
    credit = r"\(\s*[^()/]{2,60}/\s*[^()]{2,60}\)\.?$"
    scan = TriggerScan.build([credit])
    texts = ["It opened in the spring (2019).", "The mayor at the site (John Smith/AP).", "(Jo/AP)."]
    assert scan.candidates(texts) == (1, 2)
    assert scan.by_fine_ending[" (2019)."] == (None, ())
    assert scan.by_fine_ending["Smith/AP)."[-8:]][1] == (credit,)


def test_every_shipped_trigger_is_loosened_not_given_up_on(cleaner: Cleaner) -> None:
    """A trigger `relaxed` gives up on is asked of every paragraph its opening or ending key
    meets: correct, but one regex call per paragraph. A "Read more[:：]" class once read as a
    POSIX class made six shipped triggers so, and `clean()` seven times slower with byte-identical
    output; only a benchmark would have shown it. No shipped trigger may be given up on."""
    sources = sorted(cleaner._tiers.owners)
    assert len(sources) > 100
    assert [source for source in sources if relaxed(source) == ""] == []
    assert relaxed(r"^read more[:：]\s*$") == r"^read more[:：]\s*$"
    assert relaxed(r"^[[:alpha:]]+$") == relaxed(r"^[[:^digit:]]$") == ""


def test_required_strings_that_only_full_case_folding_makes_equal_are_searched_apart() -> None:
    """"straße" and "strasse" are one string to `str.casefold` but not to the engine, which
    folds case one character to one: each rule's paragraphs are found by its own string. ASCII
    strings that differ only in case share one search."""
    tiers = LengthTiers.build([(200, [r"^(?=.{0,200}$).*\w straße \w"]), (200, [r"^(?=.{0,200}$).*\w strasse \w"])])
    assert sorted(search.literal for search in tiers.literals) == [" strasse ", " straße "]
    texts = ["Die Straße Nord ist hier", "Wir wohnen an der Strasse Nord", "Eine ruhige Gasse"]
    assert tiers.flag(texts) == {0: frozenset({0}), 1: frozenset({1})}
    shared = LengthTiers.build([(200, [r"^(?=.{0,200}$).*\w Credit \w"]), (200, [r"^(?=.{0,200}$).*\w credit \w"])])
    assert [search.owners for search in shared.literals] == [frozenset({0, 1})]


def test_no_shipped_trigger_is_asked_of_every_paragraph(cleaner: Cleaner) -> None:
    """A trigger that any character can open, that nothing anchors at the end and that needs no
    string one document search can look for (`cleaner.literals`) sits in every dispatch group of
    its tier: a regex call for nearly every paragraph. A footer pattern like that
    (`^(?=.{0,300}$)(?!.*[.!]$).*\\b(?:CNPJ|P\\.\\s?IVA|...)`, ten labels) once took the scan from
    1.4 to 22.6 forward calls a document with output unchanged; only a benchmark would have
    shown it. A trigger anchored at the end is matched backwards and dispatched by its last
    character instead, which keeps it from prose only if few characters can end it and it can
    be matched backwards at all (see `patterns.reversible`)."""
    facts = PatternFacts()

    def dispatched_by_ending(source: str) -> bool:
        return (
            ends_anchored(source)
            and reversible(source)
            and len(facts.endings(source)) < WIDE_OPENINGS
        )

    given_up = [
        source
        for source in sorted(cleaner._tiers.owners)
        if _too_open(source, facts) and facts.literals(source) is None and not dispatched_by_ending(source)
    ]
    assert given_up == []
    costly = r"^(?=.{0,300}$)(?!.*[.!]$).*\b(?:CNPJ|Partita IVA|USt-IdNr|SIRET|KvK)\s*:?\s*\d[\d./ -]{5,}"
    assert _too_open(costly, facts) and facts.literals(costly) is None and not ends_anchored(costly)
