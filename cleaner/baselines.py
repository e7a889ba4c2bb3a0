"""Peer systems for the benchmark: what the cleaner has to beat.

A *system* turns one case's input into cleaned text. Each one is described as data: for every
input kind ("txt", "scraped", "html") a :class:`Route` says which of the case's inputs it reads
and which function it applies, so the evaluation loop never needs to know who is who.

The baselines, as registered in :data:`BASELINES`:

``identity``
    The input unchanged: the score of doing nothing, i.e. the furniture the inputs carry.
    On the html track there is no text to leave unchanged, so identity runs the HTML track's
    extraction step alone (the ``input.txt`` recipe, :data:`RECALL_EXTRACTION`, applied live
    to the page). Its output is the case's ``input.txt``; running it live keeps the timing
    honest. It is the html track's "rules off" row.
``trafilatura``
    ``trafilatura.extract(html, favor_precision=True, include_comments=False,
    include_tables=False)`` on the page HTML, whatever the input kind: the precision-tuned
    extractor a user could run instead of extractor + cleaner. (The set README's 0.899 line F1
    is ``favor_precision=True`` with trafilatura's other defaults, comments and tables *in*;
    this module reproduces it exactly, but the peer we compare against leaves out what the
    gold never holds, which makes it stronger: 0.910.)
``justext``
    jusText with the English stoplist and its default thresholds. On text inputs every line
    becomes one ``<p>`` of a minimal HTML page; on the html track it reads the page itself,
    its native input. The English stoplist is used everywhere (about 12% of the pages are not
    English): guessing a stoplist per page would add a language detector to a baseline, and
    the README's 0.745 figure is reproduced this way.
``c4``
    The line rules of C4's quality filter as datatrove's ``C4QualityFilter`` applies them with
    its defaults, re-implemented here (datatrove pulls numpy and nltk; the rules are ten
    lines). Document-level rules are off because this is a line filter: no "fewer than five
    sentences", "lorem ipsum" or curly-bracket page drops. On the html track it filters the
    html track's extraction (C4 was built on extracted text, never on markup).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

InputKind = Literal["txt", "scraped", "html"]
INPUT_KINDS: tuple[InputKind, ...] = ("txt", "scraped", "html")

# Apply: (input text or page HTML, page url or None) -> cleaned text, one paragraph per line.
Apply = Callable[[str, "str | None"], str]


@dataclass(frozen=True, slots=True)
class Route:
    """What a system reads for one input kind (``source``) and what it does with it."""

    source: InputKind
    apply: Apply


@dataclass(frozen=True, slots=True)
class System:
    """A named system: one :class:`Route` per input kind it supports."""

    name: str
    routes: Mapping[InputKind, Route]

    def route(self, kind: InputKind) -> Route:
        try:
            return self.routes[kind]
        except KeyError:
            raise ValueError(f"system {self.name!r} has no route for input {kind!r}") from None


# --- trafilatura ---------------------------------------------------------------------------

# The recipe that made every case's input.txt (see the set's README and meta.json).
RECALL_EXTRACTION: Mapping[str, Any] = {
    "favor_recall": True,
    "include_comments": False,
    "include_tables": False,
    "deduplicate": False,
}

# The README's trafilatura baseline. deduplicate stays off: trafilatura's deduplication keeps
# an LRU cache across calls, which would make a page's output depend on the pages before it.
PRECISION_EXTRACTION: Mapping[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": False,
    "deduplicate": False,
}


def trafilatura_extract(html: str, url: str | None = None, **options: Any) -> str:
    """``trafilatura.extract`` as plain text; "" when it finds nothing (it returns None)."""
    import trafilatura

    return trafilatura.extract(html, url=url, output_format="txt", **options) or ""


def extract_recall(html: str, url: str | None = None) -> str:
    return trafilatura_extract(html, url, **RECALL_EXTRACTION)


def extract_precision(html: str, url: str | None = None) -> str:
    return trafilatura_extract(html, url, **PRECISION_EXTRACTION)


# --- identity ------------------------------------------------------------------------------


def identity(text: str, url: str | None = None) -> str:
    return text


# --- jusText -------------------------------------------------------------------------------

JUSTEXT_STOPLIST = "English"


def _justext_good(html: str) -> str:
    import justext

    paragraphs = justext.justext(html, justext.get_stoplist(JUSTEXT_STOPLIST))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def lines_to_html(text: str) -> str:
    """A minimal page with one ``<p>`` per non-blank line, so jusText sees our paragraphs."""
    body = "".join(f"<p>{html_lib.escape(line)}</p>\n" for line in text.split("\n") if line.strip())
    return f"<html><body>\n{body}</body></html>"


def justext_text(text: str, url: str | None = None) -> str:
    if not text.strip():  # jusText cannot parse an empty document
        return ""
    return _justext_good(lines_to_html(text))


def justext_html(html: str, url: str | None = None) -> str:
    return _justext_good(html) if html.strip() else ""


# --- C4 line filter ------------------------------------------------------------------------

# datatrove C4QualityFilter defaults (src/datatrove/pipeline/filters/c4_filters.py).
C4_CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
C4_END_PUNCTUATION = (".", "?", "!", '"', "'")
C4_ELLIPSIS = "..."
C4_MIN_WORDS = 3
C4_MAX_WORD_LENGTH = 1000
C4_POLICY_SUBSTRINGS = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)


def c4_line(line: str) -> str | None:
    """The line as C4 keeps it (stripped, citations removed), or None when a rule drops it.

    The order matters and follows datatrove: the word count is taken before citation
    markers are removed, the punctuation test after.
    """
    line = line.strip()
    words = line.split()
    if any(len(word) > C4_MAX_WORD_LENGTH for word in words):
        return None
    line = C4_CITATION.sub("", line)
    if not line.endswith(C4_END_PUNCTUATION) or line.endswith(C4_ELLIPSIS):
        return None
    if len(words) < C4_MIN_WORDS:
        return None
    lowered = line.lower()
    if "javascript" in lowered or any(p in lowered for p in C4_POLICY_SUBSTRINGS):
        return None
    return line


def c4_filter(text: str, url: str | None = None) -> str:
    kept = (c4_line(line) for line in text.split("\n"))
    return "\n".join(line for line in kept if line is not None).strip()


def c4_html(html: str, url: str | None = None) -> str:
    return c4_filter(extract_recall(html, url))


# --- registry ------------------------------------------------------------------------------


def _text_routes(on_text: Apply, on_html: Apply) -> dict[InputKind, Route]:
    return {
        "txt": Route("txt", on_text),
        "scraped": Route("scraped", on_text),
        "html": Route("html", on_html),
    }


BASELINES: Mapping[str, System] = {
    "identity": System("identity", _text_routes(identity, extract_recall)),
    "trafilatura": System("trafilatura", {kind: Route("html", extract_precision) for kind in INPUT_KINDS}),
    "justext": System("justext", _text_routes(justext_text, justext_html)),
    "c4": System("c4", _text_routes(c4_filter, c4_html)),
}
