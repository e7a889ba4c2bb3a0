"""Text normalisation: small pure functions, one per transform, in one table.

Every transform maps a whole document to a whole document and keeps its line count, so that a
paragraph's input line number stays true after normalisation. Transforms are applied to the
document at once rather than paragraph by paragraph: most of them are C-speed string methods
that cost far less on one large string than on many small ones, and most check first whether
there is anything to do. Trimming is not a transform: the document model strips every paragraph.

>>> split_lines("one\\r\\ntwo\\rthree\\n")
['one', 'two', 'three', '']
>>> apply_transforms("a\\u00a0 b\\u200b", ("spaces", "zero-width", "collapse-whitespace"))
'a b'
>>> fix_mojibake("The force\\u00e2\\u20ac\\u2122s commissioner")
'The force\\u2019s commissioner'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Unicode spaces that are not the ASCII space, including the separators str.splitlines would
# treat as line breaks; the cleaner splits on \n, \r\n and \r only, so these become spaces.
_SPACE_CHARS = "\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACES_TABLE = str.maketrans({c: " " for c in _SPACE_CHARS})
_SPACES_FOUND = re.compile(f"[{re.escape(_SPACE_CHARS)}]")

# Invisible characters that carry no meaning in plain text. ZWJ and ZWNJ are left alone: they
# shape emoji and Persian or Indic script.
_ZERO_WIDTH = "\u200b\u2060\ufeff\u00ad"

_MULTI_SPACE = re.compile(r" {2,}")

# A cheap test for UTF-8 read as cp1252/latin-1: a lead byte (Â, Ã, â, Ä...) followed by a
# continuation character. Only lines that show it go to ftfy, which is far slower.
_MOJIBAKE_LEADS = "\u00c2\u00c3\u00c4\u00c5\u00ce\u00cf\u00d0\u00d1\u00e2\u00e3\u00ef\u00f0"
_MOJIBAKE_SIGN = re.compile(
    f"[{_MOJIBAKE_LEADS}]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    "\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)

_TYPOGRAPHIC_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)
_TYPOGRAPHIC_PAIRS = tuple((chr(code), ascii_form) for code, ascii_form in _TYPOGRAPHIC_TABLE.items())


def split_lines(text: str) -> list[str]:
    """Split on \\n, \\r\\n and lone \\r only (str.splitlines also splits on \\x0c, \\u2028...)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def nfc(text: str) -> str:
    """Compose characters (e + combining acute -> é) so equal words compare equal."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def spaces(text: str) -> str:
    """Turn tabs, non-breaking spaces and other Unicode spaces into plain spaces."""
    if not _SPACES_FOUND.search(text):
        return text
    return text.translate(_SPACES_TABLE)


def zero_width(text: str) -> str:
    """Drop zero-width spaces, word joiners, byte-order marks and soft hyphens."""
    if text.isascii():
        return text
    # One str.replace per character present: far faster than str.translate on non-ASCII text.
    for char in _ZERO_WIDTH:
        if char in text:
            text = text.replace(char, "")
    return text


def collapse_whitespace(text: str) -> str:
    """Collapse runs of spaces to one (run after `spaces`, which makes every space a plain one)."""
    if "  " not in text:
        return text
    return _MULTI_SPACE.sub(" ", text)


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 that was decoded as cp1252 or latin-1, on the lines that show signs of it.

    ftfy is told to fix encodings only: quotes, dashes, HTML entities and character widths stay
    exactly as the author wrote them.
    """
    if text.isascii() or not _MOJIBAKE_SIGN.search(text):
        return text
    import ftfy  # deferred: most documents never need it, and it costs ~50 ms to import

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )
    lines = text.split("\n")
    return "\n".join(
        ftfy.fix_text(line, config) if _MOJIBAKE_SIGN.search(line) else line for line in lines
    )


def ascii_punctuation(text: str) -> str:
    """Fold typographic quotes, dashes and the ellipsis to ASCII (off unless a rule asks)."""
    if text.isascii():
        return text
    # One str.replace per character present: far faster than str.translate on non-ASCII text.
    for char, ascii_form in _TYPOGRAPHIC_PAIRS:
        if char in text:
            text = text.replace(char, ascii_form)
    return text


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "nfc": nfc,
    "spaces": spaces,
    "zero-width": zero_width,
    "collapse-whitespace": collapse_whitespace,
    "mojibake": fix_mojibake,
    "ascii-punctuation": ascii_punctuation,
}


# For each transform that has one: characters of which a document must hold one for the
# transform to change it (each transform's own first check). "collapse-whitespace" needs two
# spaces in a row and "nfc" a text that is not already composed; see `Untouched`.
_NEEDS_ONE_OF: dict[str, str] = {
    "spaces": _SPACE_CHARS,
    "zero-width": _ZERO_WIDTH,
    "mojibake": _MOJIBAKE_LEADS,
    "ascii-punctuation": "".join(char for char, _ in _TYPOGRAPHIC_PAIRS),
}


@dataclass(frozen=True, slots=True)
class Untouched:
    """Whether a document comes out of a list of transforms exactly as it went in, asked in one
    pass over it instead of one per transform.

    Most documents need no repair, and each transform's own check is a search of the whole
    document (about 42 µs for the shipped list on a 5 KB page); a look for each character the
    transforms need, and one for two spaces, cost about a third. True only when every transform
    of the list would leave the document alone, so the list can be skipped; a transform this
    table does not know makes the answer always False.

    The characters are looked for one at a time with `in` (C `memchr` on the character's low
    byte), in all about 9 µs on a 5 KB page against 13 µs for one `re` search of a class of them
    (the engine tests its class at each character); in an ASCII document, only the ASCII ones.

    >>> Untouched.of(("spaces", "collapse-whitespace", "nfc"))("Plain text, one space.")
    True
    >>> Untouched.of(("spaces",))("a\u00a0b"), Untouched.of(("collapse-whitespace",))("a  b")
    (False, False)
    """

    # Each character a transform needs, once; those whose low byte is 0 (U+2000, U+3000), which
    # `in` must compare one by one instead of with `memchr`, last. Then the ASCII ones alone.
    needed: tuple[str, ...]
    needed_ascii: tuple[str, ...]
    double_space: bool
    nfc: bool
    known: bool

    @classmethod
    def of(cls, names: Sequence[str]) -> Untouched:
        chars = sorted(set("".join(_NEEDS_ONE_OF.get(name, "") for name in names)), key=lambda c: (ord(c) % 256 == 0, c))
        known = all(name in _NEEDS_ONE_OF or name in ("collapse-whitespace", "nfc") for name in names)
        return cls(
            tuple(chars), tuple(c for c in chars if c.isascii()), "collapse-whitespace" in names, "nfc" in names, known
        )

    def __call__(self, text: str) -> bool:
        if not self.known:
            return False
        ascii_only = text.isascii()
        if any(map(text.__contains__, self.needed_ascii if ascii_only else self.needed)):
            return False
        if self.double_space and "  " in text:
            return False
        return not self.nfc or ascii_only or unicodedata.is_normalized("NFC", text)


def apply_transforms(text: str, names: Sequence[str]) -> str:
    """Apply the named transforms in order."""
    for name in names:
        text = TRANSFORMS[name](text)
    return text
