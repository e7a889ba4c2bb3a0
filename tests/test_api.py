"""The Python API: clean(), clean_html(), and the reusable, thread-safe, picklable Cleaner."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from helpers import SEEDS, write_rules

import cleaner
from cleaner import Cleaned, Cleaner, Removal, clean, clean_html

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def test_public_api_is_listed_and_typed() -> None:
    for name in ("clean", "clean_html", "Cleaner", "Cleaned", "Removal", "RuleError", "load_rules"):
        assert name in cleaner.__all__
    assert (Path(cleaner.__file__).parent / "py.typed").is_file()


def test_clean_returns_kept_paragraphs_without_final_newline() -> None:
    text = "Read more:\nA link title\nThe article says this.\n\nAnd this.\n"
    assert clean(text) == "The article says this.\nAnd this."


def test_prose_with_furniture_words_stays() -> None:
    prose = "He said he would read more about it before deciding."
    assert clean(prose) == prose


def test_result_explains_every_removal() -> None:
    result = Cleaner().clean(SEED_TEXTS[1])
    assert isinstance(result, Cleaned)
    assert result.title == "Army stood down after enough armed police return to work following protest"
    first = result.removed[0]
    assert isinstance(first, Removal)
    assert (first.line, first.text, first.rule_id) == (8, "Latest London news", "read-more-list")
    assert first.why.startswith("A \"Read more\" or \"Related\" header")


def test_removal_keeps_the_original_line_text_and_number() -> None:
    text = "First paragraph of the story.\r\n\r\nSource:\u00a0 Read Full Article\r\n"
    (removal,) = Cleaner().clean(text).removed
    assert removal.line == 3 and removal.text == "Source:\u00a0 Read Full Article"


def test_title_false_leaves_the_headline_out() -> None:
    with_title = clean(SEED_TEXTS[4]).split("\n")
    without = clean(SEED_TEXTS[4], title=False).split("\n")
    assert with_title[0] == "Armed officers from other UK forces to help Met Police after revolt"
    assert without == with_title[1:]


def test_site_rules_apply_only_to_their_site(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    write_rules(
        sites,
        """
- id: example-promo
  kind: line
  why: The site's own promo line.
  phrases: ["Download the Example app"]
  examples: {remove: ["Download the Example app"], keep: ["He downloaded the app."]}
""",
        name="example.com.yaml",
    )
    scoped = Cleaner([tmp_path])
    text = "The story.\nDownload the Example app"
    assert scoped.clean(text).text == text
    assert scoped.clean(text, site="example.com").text == "The story."
    assert scoped.clean(text, site="www.example.com").text == "The story."
    assert scoped.clean(text, site="notexample.com").text == text


def test_cleaner_is_picklable_and_gives_the_same_results() -> None:
    original = Cleaner()
    copy = pickle.loads(pickle.dumps(original))
    assert [copy.clean(t) for t in SEED_TEXTS] == [original.clean(t) for t in SEED_TEXTS]


def test_cleaner_is_thread_safe() -> None:
    shared = Cleaner()
    expected = [shared.clean(t) for t in SEED_TEXTS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(shared.clean, SEED_TEXTS * 20))
    assert results == expected * 20


def test_clean_html_extracts_then_cleans() -> None:
    paragraphs = [
        "The council approved the budget on Tuesday after a debate that lasted well into the night.",
        "Opposition members said the cuts went too far and would hurt schools across the borough.",
        "The mayor said the plan was the only way to balance the books this year and next.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        "<html><head><title>Budget approved</title></head><body><article><h1>Council approves budget after long debate</h1>"
        f"{body}<p>Source: Read Full Article</p></article></body></html>"
    )
    out = clean_html(html, url="https://www.example.com/news/budget", title=False)
    assert out.split("\n") == paragraphs


def test_every_output_line_is_an_input_line() -> None:
    engine = Cleaner()
    for text in SEED_TEXTS:
        normalized = {line.strip() for line in engine.normalize(text).split("\n")}
        for line in engine.clean(text).text.split("\n"):
            assert line in normalized
