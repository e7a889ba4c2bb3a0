"""cleaner: strip site furniture from scraped article text, and say why each line went.

>>> from cleaner import clean
>>> clean("Read more:\\nA link title\\nThe article says this.")
'The article says this.'
"""

from __future__ import annotations

import functools

from .engine import Cleaner
from .loader import RuleSet, load_rules
from .model import Cleaned, Problem, Removal, RuleError

__version__ = "0.1.0"

__all__ = [
    "Cleaned",
    "Cleaner",
    "Problem",
    "Removal",
    "RuleError",
    "RuleSet",
    "__version__",
    "clean",
    "clean_html",
    "default_cleaner",
    "load_rules",
]


@functools.cache
def default_cleaner() -> Cleaner:
    """The cleaner with the shipped rules, built on first use (never at import) and then shared."""
    return Cleaner()


def clean(text: str, *, site: str | None = None, title: bool = True) -> str:
    """Clean article text with the shipped rules; `site` (a domain) adds that site's rules."""
    return default_cleaner().clean(text, site=site, title=title).text


def clean_html(html: str, *, url: str | None = None, title: bool = True) -> str:
    """Extract the article from a page with trafilatura, then clean it with the shipped rules."""
    return default_cleaner().clean_html(html, url=url, title=title).text
