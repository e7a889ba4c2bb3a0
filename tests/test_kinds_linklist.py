"""The `linklist` kind: runs of link titles go as a block; subheadings and article lists stay."""

from __future__ import annotations

import pytest
from helpers import write_rules

from cleaner import Cleaner

RULE = """
- id: links
  kind: linklist
  why: A run of capitalised link titles is a menu or a recirculation widget.
  min_items: 4
  template_repeats: 2
  examples:
    remove:
      - |
        Home
        World News
        Business
        Sport
    keep: ["The council approved the budget on Tuesday after a long debate."]
"""

PROSE = [
    "The council approved the budget on Tuesday after a long debate in the chamber.",
    "Opposition members said the cuts went too far and would hurt schools across the city.",
]
TITLES = [
    "Why Farmers May Want To Paint Their Cows",
    "How Apollo Moon Rocks Reveal The History Of The Cosmos",
    "Former Consulate Worker Says He Was Tortured",
    "These Senators Are Going After Climate Villains",
]


@pytest.fixture(scope="module")
def cleaner(tmp_path_factory: pytest.TempPathFactory) -> Cleaner:
    return Cleaner([write_rules(tmp_path_factory.mktemp("rules"), RULE)], defaults=False)


def kept(cleaner: Cleaner, paragraphs: list[str]) -> list[str]:
    return [p for p in cleaner.clean("\n".join(paragraphs), title=True).text.split("\n") if p]


def test_a_run_of_titles_after_the_article_goes_as_a_block(cleaner: Cleaner) -> None:
    assert kept(cleaner, [*PROSE, *TITLES]) == PROSE


def test_a_run_of_titles_between_paragraphs_goes_and_the_prose_stays(cleaner: Cleaner) -> None:
    assert kept(cleaner, [PROSE[0], *TITLES, PROSE[1]]) == PROSE


def test_fewer_than_min_items_stay(cleaner: Cleaner) -> None:
    document = [PROSE[0], *TITLES[:3], PROSE[1]]
    assert kept(cleaner, document) == document


def test_a_lone_subheading_between_prose_paragraphs_stays(cleaner: Cleaner) -> None:
    document = [PROSE[0], "What Happens Next", PROSE[1], "The Reaction", *PROSE]
    assert kept(cleaner, document) == document


def test_a_sentence_inside_the_run_breaks_it(cleaner: Cleaner) -> None:
    document = [*TITLES[:2], "The mayor said the plan was the only way to balance the books.", *TITLES[2:]]
    assert kept(cleaner, document) == document


def test_a_list_introduced_by_a_colon_stays(cleaner: Cleaner) -> None:
    document = [*PROSE, "Among the stories the paper ran that week:", *TITLES]
    assert kept(cleaner, document) == document


@pytest.mark.parametrize(
    "items",
    [
        # rows of data: dates, places, prices
        [
            "June 9 -- West Palm Beach, FL",
            "June 10 -- Tampa, FL",
            "June 14 -- Alpharetta, GA",
            "June 17 -- Nashville, TN",
        ],
        # one template: same opening word
        ["Q: Favorite Childhood Memory?", "A: Trip To Disney World", "Q: Favorite Apps?", "Q: Favorite Books?"],
        # lower-case items: ingredients, features
        ["ripe pears, cored and peeled", "fruit pectin powder", "ground ginger to taste", "a jar of honey"],
        # scripts without case are never judged by capitals
        ["東京のニュース", "大阪のニュース", "経済の話題", "スポーツの話題"],
    ],
)
def test_article_lists_that_do_not_read_as_links_stay(cleaner: Cleaner, items: list[str]) -> None:
    document = [*PROSE, *items]
    assert kept(cleaner, document) == document


def test_a_page_that_repeats_sentences_on_purpose_keeps_its_lists(cleaner: Cleaner) -> None:
    question = "What inspired you to start cooking online?"
    other = "Which dish do you cook most often?"
    document = [*PROSE, question, other, question, other, question, other, *TITLES]
    assert kept(cleaner, document) == document


def test_the_block_is_reported_with_the_rule(cleaner: Cleaner) -> None:
    result = cleaner.clean("\n".join([*PROSE, *TITLES]))
    assert [(r.line, r.rule_id) for r in result.removed] == [(3, "links"), (4, "links"), (5, "links"), (6, "links")]
