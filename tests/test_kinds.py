"""Each rule kind, on its own: it fires on furniture, and ordinary article prose stays.

Rules are written here as YAML, as a user would, and loaded without the shipped rules, so
each test sees exactly one kind at work.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_rules

from cleaner import Cleaner
from cleaner.normalize import Untouched, apply_transforms

PROSE = "He said he would read more about it before deciding."
STORY = [
    "The council approved the budget on Tuesday after a long debate.",
    "Opposition members said the cuts went too far and would hurt schools.",
    "The mayor said the plan was the only way to balance the books this year.",
    "A final vote on the details is expected next month.",
]


def cleaner_with(tmp_path: Path, body: str) -> Cleaner:
    return Cleaner([write_rules(tmp_path, body)], defaults=False)


def kept(cleaner: Cleaner, paragraphs: list[str], **options) -> list[str]:
    return cleaner.clean("\n".join(paragraphs), **options).text.split("\n")


LINE = """
- id: read-more-line
  kind: line
  why: A bare "Read more" link.
  phrases: ["Read more"]
  patterns: ['^Share on \\w+$']
  examples: {remove: ["Read more"], keep: ["He read more."]}
"""


def test_line_drops_phrases_and_patterns_but_not_prose(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, LINE)
    assert kept(cleaner, ["READ   MORE:", PROSE, "Share on Facebook", "Read more about it"]) == [
        PROSE,
        "Read more about it",
    ]


def test_line_prefix_phrase_needs_a_word_boundary(tmp_path: Path) -> None:
    cleaner = cleaner_with(
        tmp_path,
        """
- id: read-more-prefix
  kind: line
  why: Read more links.
  phrases: ["Read more"]
  prefix: true
  examples: {remove: ["Read more: the full letter"], keep: ["Readers wrote in."]}
""",
    )
    assert kept(cleaner, ["Read more: the letter", "Read moreover this", PROSE]) == ["Read moreover this", PROSE]


def test_line_phrases_fold_quote_styles(tmp_path: Path) -> None:
    cleaner = cleaner_with(
        tmp_path,
        """
- id: dont-miss
  kind: line
  why: Teaser header.
  phrases: ["Don't miss"]
  examples: {remove: ["Don’t miss"], keep: ["Don't go."]}
""",
    )
    assert kept(cleaner, ["Don’t miss", "DON'T MISS", PROSE]) == [PROSE]


def test_line_position_bounds(tmp_path: Path) -> None:
    cleaner = cleaner_with(
        tmp_path,
        """
- id: share-top
  kind: line
  why: Share bar.
  phrases: ["Share"]
  within_first: 1
  within_last: 1
  examples: {remove: ["Share"], keep: ["Shared."]}
""",
    )
    assert kept(cleaner, ["Share", STORY[0], "Share", STORY[1], "Share"]) == [STORY[0], "Share", STORY[1]]


BLOCK = """
- id: latest-news
  kind: block
  why: A list of other stories.
  start: {patterns: ['^Latest \\w+ news$']}
  items: ['^- ']
  max_items: 3
  end: {patterns: ['^To get the latest news']}
  examples:
    remove: ["Latest London news\\n- One\\n- Two"]
    keep: ["Latest London news\\nThe council met on Tuesday."]
"""


def test_block_takes_start_items_and_end(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, BLOCK)
    doc = [STORY[0], "Latest London news", "- First story", "- Second story", "To get the latest news visit us.", STORY[1]]
    assert kept(cleaner, doc) == [STORY[0], STORY[1]]


def test_block_stops_at_prose_and_at_max_items(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, BLOCK)
    doc = ["Latest London news", "- One", "- Two", "- Three", "- Four", STORY[0]]
    assert kept(cleaner, doc) == ["- Four", STORY[0]]


def test_block_without_items_is_not_a_list_header(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, BLOCK)
    doc = [STORY[0], "Latest London news", STORY[1]]
    assert kept(cleaner, doc) == doc


TAIL = """
- id: you-may-like
  kind: tail
  why: Recirculation at the end of the page.
  marker: {phrases: ["Articles You May Like"]}
  examples:
    remove:
      - text: "One.\\nTwo.\\nThree.\\nArticles You May Like\\nA title"
        removed: [4, 5]
    keep: ["Articles You May Like\\nA title\\nOne.\\nTwo.\\nThree."]
"""


def test_tail_cuts_from_marker_to_end(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, TAIL)
    doc = [*STORY, "Articles You May Like", "Walliams agrees settlement", "Michigan installs a charging road"]
    assert kept(cleaner, doc) == STORY


def test_tail_is_guarded_by_position(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, TAIL)
    doc = [STORY[0], "Articles You May Like", "A title", *STORY[1:]]
    assert kept(cleaner, doc) == doc


def test_tail_needs_titles_after_the_marker(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, TAIL)
    doc = [*STORY, "Articles You May Like", STORY[0] + " Again.", STORY[1]]
    assert kept(cleaner, doc) == doc


CAPTION = r"""
- id: credit-caption
  kind: caption
  why: Photo caption.
  credit: {patterns: ['\([^()/]+/[^()]+\)$']}
  examples:
    remove: ["A man walks (John Smith/PA)"]
    keep: ["The CPS (Crown Prosecution Service) said so."]
"""


def test_caption_takes_its_label_when_the_caption_names_it(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, CAPTION)
    doc = [STORY[0], "Sir Mark Rowley", "Sir Mark Rowley has written to the Home Secretary (James Manning/PA)", STORY[1]]
    assert kept(cleaner, doc) == [STORY[0], STORY[1]]


def test_caption_leaves_an_unrelated_previous_paragraph(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, CAPTION)
    doc = ["Background", "Chris Kaba died in September (Inquest/PA Media)", STORY[1]]
    assert kept(cleaner, doc) == ["Background", STORY[1]]


def test_caption_ignores_prose_with_brackets(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, CAPTION)
    doc = ["The Crown Prosecution Service (CPS) charged him.", "Prices rose (by 3/4 of a point)."]
    assert kept(cleaner, doc) == doc


DEDUPE = """
- id: dedupe
  kind: dedupe
  why: Copies.
  near: 0.9
  examples:
    remove:
      - text: "The same headline of this story\\nThe same headline of this story"
        removed: [2]
    keep: ["One paragraph of the story here.\\nAnother paragraph of the story."]
"""


def test_dedupe_exact_near_and_truncated(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, DEDUPE)
    quote = "“We are in ongoing discussions with those officers to support them,” a spokesperson said."
    near = "“We are in ongoing discussions with those officers to support them,” the spokesperson added."
    full = "The Met has a significant firearms capability and we continue to have armed teams deployed."
    cut = "The Met has a significant firearms capability and we continue to have a"
    doc = [STORY[0], STORY[0], quote, cut, full, near, STORY[1]]
    assert kept(cleaner, doc) == [STORY[0], quote, full, STORY[1]]


def test_dedupe_keeps_a_complete_sentence_that_opens_a_longer_paragraph(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, DEDUPE)
    doc = ["The minister resigned on Tuesday evening.", "The minister resigned on Tuesday evening. Then the rest followed."]
    assert kept(cleaner, doc) == doc


def test_dedupe_counts_an_ellipsis_cut_as_truncated(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, DEDUPE)
    doc = ["The minister resigned on Tuesday evening after a long row with…", "The minister resigned on Tuesday evening after a long row with the party."]
    assert kept(cleaner, doc) == [doc[1]]


def test_dedupe_carries_no_state_between_documents(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, DEDUPE)
    assert kept(cleaner, [STORY[0]]) == [STORY[0]]
    assert kept(cleaner, [STORY[0]]) == [STORY[0]]


NORMALIZE = """
- id: norm
  kind: normalize
  why: Whitespace.
  transforms: [mojibake, nfc, spaces, zero-width, collapse-whitespace]
  examples:
    change: [{input: "a\\u00a0 b", output: "a b"}]
    keep: ["“quotes” – dashes"]
"""


def test_normalize_fixes_text_and_keeps_typography(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, NORMALIZE)
    text = "  The force\u00e2\u20ac\u2122s  chief\u200b said\u00a0“no” – twice.\t\n"
    assert cleaner.clean(text).text == "The force\u2019s chief said “no” – twice."


def test_normalize_ascii_punctuation_is_opt_in(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, NORMALIZE.replace("collapse-whitespace]", "collapse-whitespace, ascii-punctuation]").replace('keep: ["“quotes” – dashes"]', 'keep: ["plain"]'))
    assert cleaner.clean("“no” – twice…").text == '"no" - twice...'


def test_title_is_the_first_paragraph_when_it_reads_as_a_headline(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, LINE)
    doc = ["Army stood down after armed police return to work", *STORY]
    result = cleaner.clean("\n".join(doc))
    assert result.title == doc[0] and result.text.split("\n") == doc
    without = cleaner.clean("\n".join(doc), title=False)
    assert without.text.split("\n") == STORY
    assert [(r.line, r.rule_id) for r in without.removed] == [(1, "title")]
    assert cleaner.clean("\n".join(STORY)).title is None


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n"])
def test_empty_documents(tmp_path: Path, text: str) -> None:
    result = cleaner_with(tmp_path, LINE).clean(text)
    assert result.text == "" and result.removed == () and result.title is None


def test_dedupe_leaves_exempt_paragraphs_alone(tmp_path: Path) -> None:
    cleaner = cleaner_with(tmp_path, DEDUPE.replace("  near: 0.9\n", "  near: 0.9\n  exempt: {patterns: ['^- ']}\n"))
    item = "- See it now: Amazon for the best deal today"
    doc = [STORY[0], item, STORY[1], item, STORY[1]]
    assert kept(cleaner, doc) == [STORY[0], item, STORY[1], item]


UNTOUCHED_CASES = [
    "Plain text, one space between words.",
    "\u201cTypographic quotes\u201d stay \u2013 and so do dashes.",
    "Na\u00efve caf\u00e9 cr\u00e8me br\u00fbl\u00e9e",
    "a\u00a0b",  # a non-breaking space
    "two  spaces",
    "zero\u200bwidth",
    "The force\u00e2\u20ac\u2122s commissioner",  # mojibake
    "cafe\u0301",  # decomposed: not NFC
    "tab\there",
    "\u00c3 alone, a lead byte with nothing after it",
]


SHIPPED_TRANSFORMS = ("mojibake", "nfc", "spaces", "zero-width", "collapse-whitespace")


@pytest.mark.parametrize("text", UNTOUCHED_CASES)
@pytest.mark.parametrize(
    "names",
    [SHIPPED_TRANSFORMS, ("spaces",), ("collapse-whitespace", "ascii-punctuation"), ("nfc", "zero-width")],
)
def test_a_document_said_to_be_untouched_comes_out_of_the_transforms_unchanged(text: str, names: tuple[str, ...]) -> None:
    """`Untouched` lets the normalize kind skip its transforms: it may say no when they would
    change nothing (a lone lead byte), never yes when they would change something."""
    if Untouched.of(names)(text):
        assert apply_transforms(text, names) == text


def test_untouched_says_yes_to_clean_text_and_no_to_each_repair() -> None:
    shipped = Untouched.of(SHIPPED_TRANSFORMS)
    assert shipped(UNTOUCHED_CASES[0]) and shipped(UNTOUCHED_CASES[1])
    assert not any(map(shipped, UNTOUCHED_CASES[3:]))
    assert not Untouched.of(("ascii-punctuation",))(UNTOUCHED_CASES[1])
    assert not Untouched.of(("spaces", "a-transform-it-does-not-know"))(UNTOUCHED_CASES[0])


@pytest.mark.parametrize("names", [SHIPPED_TRANSFORMS, ("spaces", "zero-width", "mojibake", "ascii-punctuation")])
@pytest.mark.parametrize("other", ["", "\u00e9", "\u0416", "\U0001f600"], ids=["ascii", "latin-1", "ucs2", "ucs4"])
def test_untouched_finds_each_needed_character_as_a_search_for_any_of_them_does(names: tuple[str, ...], other: str) -> None:
    """`Untouched` looks for the characters one at a time, and for the ASCII ones alone in an
    ASCII document: each of them, anywhere in a document of any width, still says no."""
    untouched = Untouched.of(names)
    assert untouched("Plain text " + other)
    assert sorted(untouched.needed) == sorted(set(untouched.needed))
    assert set(untouched.needed_ascii) == {c for c in untouched.needed if c.isascii()}
    for char in untouched.needed:
        for text in (char + "Plain text " + other, "Plain " + char + " text" + other, "Plain text " + other + char):
            assert not untouched(text), (hex(ord(char)), other)


@pytest.mark.parametrize(("min_chars", "key_chars"), [(20, 40), (40, 40), (60, 40), (1, 8)])
def test_dedupe_sees_copies_to_compare_as_a_check_of_whole_paragraphs_and_openings_does(min_chars: int, key_chars: int) -> None:
    """`_may_hold_copies` compares whole paragraphs only below `key_chars`: it answers as the
    plain check (equal paragraphs of `min_chars` or more, or a shared opening) does."""
    from cleaner.kinds.dedupe import DedupeRule

    rule = DedupeRule(None, min_chars, key_chars, True, 0.9, None, None)  # type: ignore[arg-type]

    def plain(texts: list[str]) -> bool:
        compared = [t for t in texts if len(t) >= min_chars]
        openings = [t[:key_chars] for t in compared if len(t) >= key_chars]
        return len(set(compared)) < len(compared) or len(set(openings)) < len(openings)

    words = ["a", "b" * 7, "c" * 19, "d" * 30, "e" * 39, "f" * 45, "g" * 70]
    pages = [[w] for w in words] + [[w, w] for w in words] + [[w, w + "x"] for w in words] + [[w + "x", w + "y"] for w in words]
    pages += [["x" * 50 + " one", "x" * 50 + " two"], ["plain", "text", "only"], []]
    for texts in pages:
        assert rule._may_hold_copies(texts) == plain(texts), texts


def test_a_template_repeats_sentences_a_copy_repeats_passages() -> None:
    from cleaner.shapes import repeats_on_purpose

    questions = ["What is your favourite book this year?", "Where do you go to get away from it all?"]
    interview = []
    for guest in ("Ann", "Bob", "Cy"):
        for question in questions:
            interview += [question, f"{guest} answers this one in a way nobody else does, at length."]
    assert repeats_on_purpose(interview, 20, 2)  # each question before a different answer
    article = [
        "The council said on Tuesday that the bridge would stay closed until the spring.",
        "Engineers found cracks in two of the supporting piers during an inspection.",
        "Residents have complained that the detour adds twenty minutes to every journey.",
    ]
    assert not repeats_on_purpose(article * 3, 20, 2)  # the same passage three times: copies
    # A plan whose line comes before the same heading on half the days, not more, is a template.
    portions = "Portion: 1 green, 1 red, 1 yellow."
    plan = [portions, "Meal 1", portions, "Meal 2", portions, "Meal 1", portions, "Snack"] * 2
    assert repeats_on_purpose(plan, 20, 1)
    assert not repeats_on_purpose(plan[:4] + [portions, "Meal 2"] * 3, 20, 1)


SHAPE_TEXTS = [
    "",
    ".",
    '")',
    "Read more",
    "He said so.",
    'He said "so."',
    "She asked: (why?)",
    "A list follows:",
    "Ends in an ellipsis\u2026",
    "It ended.\u201d]",
    "\u653f\u5e9c\u306f\u767a\u8868\u3057\u305f\u3002\u300d",
    "Apple Pro Display XDR review",
    "ligne de d\u00e9part: \u00c9t\u00e9 \u00e0 Paris",
    "\u01c5ungla and \u1f88 Title-case openings",
    "\u00aa ordinal, \u00df, \u0130stanbul, \u0416\u0443\u0440\u043d\u0430\u043b \u0434\u043d\u044f",
    "12 angry men and 3_little pigs, o'Neil and \u2019tis",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645 Hello",
]


@pytest.mark.parametrize("text", SHAPE_TEXTS)
def test_shape_tests_answer_as_their_plain_definitions_do(text: str) -> None:
    """`ends_sentence` reads the last character after closing marks instead of searching with
    a regex, and `capitalised_share` counts ASCII openings in C: both must answer exactly as the
    plain forms they stand for, for any script (titlecase letters such as "ǅ" have a case and
    are not capitals; "ª" is lower case and has none)."""
    import re

    from cleaner.shapes import capitalised_share, ends_sentence

    sentence_end = re.compile(r"[.!:;,\u2026\u3002\uff01\uff0e\uff1a][\"'\u2019\u201d\u300d\u300f)\]]*$")
    assert ends_sentence(text) == (sentence_end.search(text) is not None)
    words = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", text) if w[0].lower() != w[0].upper()]
    plain = sum(1 for w in words if w[0].isupper()) / len(words) if words else 0.0
    assert capitalised_share(text) == plain
