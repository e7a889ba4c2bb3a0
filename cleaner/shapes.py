"""What a paragraph looks like, independent of what it says.

Furniture often shares a shape rather than a phrase: a link list is a run of short lines that end
without a full stop. These tests are the shared vocabulary of the rule kinds that look at shape.

>>> is_title_like("Will armed officer’s murder charge force change?")
True
>>> is_title_like("He said he would read more about it before deciding.")
False
>>> is_title_like("政府は火曜日、新しい予算案を発表した。")  # a Japanese sentence ends in "。"
False
>>> is_headline("Army stood down after enough armed police return to work")
True
>>> is_headline("CLICK FOR FULL STATE SWIM RESULTS")
False
>>> round(capitalised_share("Apple Pro Display XDR review"), 2)
0.8
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

# A line that ends as a sentence or an introduction does ("." "!" ":" ";" "," "…", and the
# full-width "。" "！" "．" "：" of Chinese and Japanese), perhaps followed by closing quotes or
# brackets. A question mark is allowed: headlines ask questions.
_SENTENCE_ENDS = ".!:;,\u2026\u3002\uff01\uff0e\uff1a"
_CLOSERS = "\"'\u2019\u201d\u300d\u300f)]"
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
# The same words, each found as its first letter only.
_WORD_OPENING = re.compile(r"([^\W\d_])[\w'\u2019-]*")
_URL = re.compile(r"https?://|www\.|\S@\S+\.\w", re.IGNORECASE)
# A list item's marker: a bullet, dash or asterisk and a space.
_BULLET = re.compile(r"^[-\u2022*\u00b7\u25aa\u25ba\u25e6\u2013]\s+")
# A label and its value, or parts set apart as in a listing: "VIP : 60,000", "June 9 -- Tampa",
# "Tampa, FL @ Amphitheatre", "Path A: Iceland", "Home | News".
_INNER_SEPARATOR = re.compile(r"\s(?:--|\u2013|\u2014|@|\|)\s|\S\s?:\s")
_DIGIT = re.compile(r"\d")
_ASCII_LOWER = re.compile("[a-z]")


def ends_sentence(text: str) -> bool:
    """Whether a paragraph, closing quotes and brackets left out, ends in `_SENTENCE_ENDS`.
    A paragraph is stripped and holds no line break: unlike a regex `$`, nothing here looks
    past a trailing "\\n".

    Asked of nearly every short paragraph by the shape rules, so it is two string methods
    rather than a regex search, which would try its pattern at every position of the text.
    """
    last = text.rstrip(_CLOSERS)[-1:]
    return last != "" and last in _SENTENCE_ENDS


def is_title_like(text: str, max_chars: int = 150) -> bool:
    """Short, has a letter, and does not end like a sentence: a link title or a label."""
    return len(text) <= max_chars and not ends_sentence(text) and _LETTER.search(text) is not None


def is_shouted(text: str) -> bool:
    """All its letters are capitals (at least three cased letters): a prompt or a kicker."""
    if _ASCII_LOWER.search(text):  # most text: one lower-case ASCII letter answers, in C
        return False
    cased = [c for c in text if c.isalpha() and c.lower() != c.upper()]
    return len(cased) >= 3 and all(c.isupper() for c in cased)


def is_headline(text: str) -> bool:
    """A first paragraph that reads as a headline: title-like, of three to twenty words, with no
    web or mail address in it and not all in capitals.

    Measured on the dev set's input.txt: longer first lines, lines with an address, and
    shouted lines ("CLICK FOR FULL RESULTS") were article text or prompts, not headlines.
    """
    return (
        is_title_like(text, max_chars=200)
        and 3 <= len(text.split()) <= 20
        and _URL.search(text) is None
        and not is_shouted(text)
    )


def without_bullet(text: str) -> str:
    return _BULLET.sub("", text, count=1)


def capitalised_share(text: str) -> float:
    """The share of words that open with a capital letter; 0 for text without cased words.

    Link titles and menu entries are set in Title Case far more often than list items in an
    article; scripts without case (CJK, Arabic...) score 0, so shape rules leave them alone.
    """
    openings = "".join(_WORD_OPENING.findall(text))
    if openings.isascii():  # the common case, counted in C: every ASCII letter has a case
        return sum(map(str.isupper, openings)) / len(openings) if openings else 0.0
    cased = [c for c in openings if c.lower() != c.upper()]
    if not cased:
        return 0.0
    return sum(1 for c in cased if c.isupper()) / len(cased)


def has_inner_separator(text: str) -> bool:
    """Has a label/value or listing separator inside: a row of data rather than a title."""
    return _INNER_SEPARATOR.search(text) is not None


def has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


def opening_word(text: str) -> str:
    """The first word of a paragraph, bullet left out, case-folded ('' when there is none)."""
    match = _WORD.search(without_bullet(text))
    return match.group(0).casefold() if match else ""


def repeats_on_purpose(texts: Sequence[str], min_chars: int, distinct: int) -> bool:
    """True when at least `distinct` different sentence-like paragraphs (of `min_chars` or
    more, ending in a full stop, a question mark...) occur three times or more.

    Pages built from a template (an interview series asking every guest the same questions, a
    meal plan repeating its portions) repeat whole sentences; furniture repeats short labels.
    """
    # Counted first (in C), tested after: only the few paragraphs that occur three times need
    # the regex call, not every paragraph of the page.
    counts = Counter(texts)
    repeated = {t for t, n in counts.items() if n >= 3 and len(t) >= min_chars and (ends_sentence(t) or t.endswith("?"))}
    if len(repeated) < distinct:
        return False
    # A template sets its repeated sentence before varying text (the next guest's answer, the
    # next meal). A page that prints a whole passage again (the article a second and third
    # time, from the page's embedded data) repeats its sentences too, but mostly followed by
    # what followed them the first time: a sentence followed by the same paragraph in more than
    # half of its occurrences is a copy, not a template.
    followers: dict[str, Counter[str]] = {}
    for text, following in itertools.pairwise(texts):
        if text in repeated:
            followers.setdefault(text, Counter())[following] += 1
    templated = sum(
        1 for t in repeated if t not in followers or 2 * max(followers[t].values()) <= followers[t].total()
    )
    return templated >= distinct
