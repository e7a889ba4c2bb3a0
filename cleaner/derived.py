"""What building a `Cleaner` works out about each pattern's text, kept on disk between runs.

Both the loader (each rule's probes, `schema.probes_for`) and the trigger scan
(`scan.LengthTiers.build`) ask the regex engine, by partial matching, which characters a match of
each trigger can open and end with, and which few characters it can open with. For the shipped
rules that is two thirds of a build (about 0.65 s of 1.05 s), and every CLI run, every worker
of a cluster job and every test session paid it again. The answers are pure functions of the
pattern's text and of what decides them: the flags every pattern is compiled with, the regex
module's version and the code of this module, `cleaner.patterns` and `cleaner.literals`.

So `PatternFacts.load` reads what earlier builds worked out from one JSON file named by a hash of
all of those (`facts_file`): a change to any of them starts a new file, never a wrong answer.
`save` writes back what this build added, atomically, as Python's `__pycache__` does for
bytecode. The file only saves time: a missing, unreadable, corrupt or unwritable one costs the
time it would have saved and nothing else, and no answer is ever read back for a pattern text it
was not worked out for. `CLEANER_CACHE_DIR` moves it, `CLEANER_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from . import literals as _literals_module
from . import patterns as _patterns_module
from .literals import required_literals
from .patterns import PATTERN_FLAGS, edge_characters, question_pattern, starts_anchored

__all__ = ["MAX_PREFIXES", "PREFIX_CHARS", "SUFFIX_CHARS", "PatternFacts", "default_cache_dir", "facts_file"]

# Keys of the scan's dispatch by opening characters (see `scan.TriggerScan`): this many
# characters, all printable ASCII; an anchored pattern that more than `MAX_PREFIXES` keys can
# open is listed by its first two characters instead (a date: "12/", "1.5", "2024"... are too
# many, "12", "Ma" are not), or else stays in the group of its first character.
PREFIX_CHARS = 3
MAX_PREFIXES = 256
# The same for the endings of a paragraph, for the patterns matched backwards: two characters,
# since three would make the pattern of a caption in brackets ("(Photo: AP)", "(Photo: AP).")
# too open to list, and a paragraph ending "d." would meet it for want of a key.
SUFFIX_CHARS = 2
_PRINTABLE = tuple(chr(code) for code in range(32, 127))

# Bumped when the file's layout changes (a change of meaning changes this module's text anyway).
_FORMAT = "cleaner-pattern-facts-1"
# A file that would hold the answers for more pattern texts than this keeps only those of the
# build that writes it: the shipped rules have about 800, and each rule set a user loads adds
# its own, so a long-lived cache folder (or a fuzzer making rules) would otherwise grow forever.
MAX_SOURCES = 5000


def _prefixes(pattern: regex.Pattern[str], openings: frozenset[str]) -> frozenset[str] | None:
    """The printable-ASCII openings of a stripped paragraph an anchored pattern can match, asked
    of its question pattern (`patterns.question_pattern`) by partial matching, one character at
    a time, so none is left out: the `PREFIX_CHARS`-character ones, or the two-character ones
    when those are more than `MAX_PREFIXES`, or None when those are too."""
    frontier = [c for c in openings if c in _PRINTABLE and c != " "]  # a stripped paragraph never opens with a space
    listed = None
    for _ in range(PREFIX_CHARS - 1):
        frontier = [p + c for p in frontier for c in _PRINTABLE if pattern.match(p + c, partial=True)]
        if len(frontier) > MAX_PREFIXES:
            return listed
        listed = frozenset(frontier)
    return listed


def _suffixes(pattern: regex.Pattern[str], last: frozenset[str]) -> frozenset[str] | None:
    """For a pattern matched backwards, given its question pattern compiled REVERSE and the
    characters a paragraph it matches can end with: its `SUFFIX_CHARS`-character printable-ASCII
    endings (None when more than `MAX_PREFIXES`), asked by partial matching from the end, as
    `_prefixes` asks from the start: none is left out."""
    frontier = [c for c in last if c in _PRINTABLE and c != " "]  # a stripped paragraph never ends with a space
    for _ in range(SUFFIX_CHARS - 1):
        frontier = [c + p for p in frontier for c in _PRINTABLE if pattern.match(c + p, partial=True)]
        if len(frontier) > MAX_PREFIXES:
            return None
    return frozenset(frontier)


def default_cache_dir(environ: dict[str, str] | None = None) -> Path | None:
    """Where the facts file lives: `CLEANER_CACHE_DIR`, else the user's cache folder
    (`XDG_CACHE_HOME`, `LOCALAPPDATA` on Windows, else `~/.cache`) under `cleaner`; None when
    `CLEANER_NO_CACHE` is set (to anything but "" or "0") or there is no home to put it in."""
    environ = dict(os.environ) if environ is None else environ
    if environ.get("CLEANER_NO_CACHE", "") not in ("", "0"):
        return None
    if environ.get("CLEANER_CACHE_DIR"):
        return Path(environ["CLEANER_CACHE_DIR"])
    base = environ.get("XDG_CACHE_HOME") or (environ.get("LOCALAPPDATA") if sys.platform == "win32" else None)
    if base:
        return Path(base) / "cleaner"
    try:
        return Path.home() / ".cache" / "cleaner"
    except RuntimeError:  # no home folder known
        return None


def facts_file(directory: Path) -> Path:
    """The file in `directory` for this code, this regex module and these flags: its name is a
    hash of everything an answer depends on, so that no answer is ever read by code that would
    have worked it out differently."""
    digest = hashlib.sha256()
    for part in (_FORMAT, f"{sys.version_info[:2]}", regex.__version__, str(int(PATTERN_FLAGS))):
        digest.update(part.encode() + b"\0")
    for module in (sys.modules[__name__], _patterns_module, _literals_module):
        digest.update(Path(module.__file__ or "").read_bytes() + b"\0")
    return directory / f"pattern-facts-{digest.hexdigest()[:24]}.json"


@dataclass(frozen=True, slots=True)
class PatternFacts:
    """The answers for each pattern text, worked out once per text (`openings`, `endings`,
    `prefixes`, `suffixes`, `literals`) or read from the facts file, and the loosened patterns
    partial matching asks (`question`), compiled once per build: the regex module's own compile
    cache (500 patterns) is smaller than the sources and their loosened forms.

    A `PatternFacts()` without a path is the same memo without the file. The only state is
    these caches, kept for the duration of one `Cleaner` build.
    """

    path: Path | None = None
    # source -> answer name -> answer, as JSON holds it (see `_decode`).
    _known: dict[str, dict[str, Any]] = field(default_factory=dict)
    # How many answers were read from the file; `save` writes only when there are more.
    _read: list[int] = field(default_factory=lambda: [0])
    # The pattern texts this build asked about (see `MAX_SOURCES`).
    _asked: set[str] = field(default_factory=set)
    _questions: dict[tuple[str, int], regex.Pattern[str]] = field(default_factory=dict)
    _anchored: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path | None) -> PatternFacts:
        """The facts file for this code in `directory` read back (None: no file at all). A file
        that cannot be read or does not hold what `save` writes is ignored, and replaced on
        `save`."""
        if directory is None:
            return cls()
        path = facts_file(directory)
        known: dict[str, dict[str, Any]] = {}
        with contextlib.suppress(OSError, ValueError):
            stored = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(stored, dict) and stored.get("format") == _FORMAT and isinstance(stored.get("facts"), dict):
                known = {s: a for s, a in stored["facts"].items() if isinstance(s, str) and isinstance(a, dict)}
        return cls(path, known, [sum(map(len, known.values()))])

    def save(self) -> bool:
        """Write the file again if this build worked out anything it did not hold: to a temporary
        file in the same folder, then renamed over it, so that a reader (another worker, another
        run) sees the old file or the new one, never half of one. True when written; False when
        there was nothing new, no path, or the folder cannot be written (then nothing else
        happens: the next build works the answers out again)."""
        if self.path is None or sum(map(len, self._known.values())) == self._read[0]:
            return False
        known = self._known
        if len(known) > MAX_SOURCES:
            known = {source: answers for source, answers in known.items() if source in self._asked}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".pattern-facts-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump({"format": _FORMAT, "facts": known}, out, ensure_ascii=False, sort_keys=True)
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return False
        self._read[0] = sum(map(len, self._known.values()))
        return True

    def _answer(self, source: str, name: str) -> Any:
        """The stored answer, or `_MISSING`: an answer of the wrong shape (a hand-edited file)
        counts as missing."""
        self._asked.add(source)
        stored = self._known.get(source, {}).get(name, _MISSING)
        return stored if stored is _MISSING or _valid(stored) else _MISSING

    def _keep(self, source: str, name: str, value: Any) -> None:
        self._known.setdefault(source, {})[name] = value

    def question(self, source: str, flags: int = 0) -> regex.Pattern[str]:
        """`patterns.question_pattern`, compiled once per build."""
        key = (source, flags)
        if key not in self._questions:
            self._questions[key] = question_pattern(source, flags)
        return self._questions[key]

    def starts_anchored(self, source: str) -> bool:
        if source not in self._anchored:
            self._anchored[source] = starts_anchored(source)
        return self._anchored[source]

    def openings(self, source: str) -> frozenset[str]:
        """`patterns.openings`: the ASCII characters a paragraph this anchored pattern matches can
        open with."""
        stored = self._answer(source, "openings")
        if stored is _MISSING or stored is None:
            stored = _encode(edge_characters(self.question(source)))
            self._keep(source, "openings", stored)
        return frozenset(stored)

    def endings(self, source: str) -> frozenset[str]:
        """`patterns.endings`: the ASCII characters a paragraph this `$`-anchored pattern matches
        can end with."""
        stored = self._answer(source, "endings")
        if stored is _MISSING or stored is None:
            stored = _encode(edge_characters(self.question(source, regex.REVERSE)))
            self._keep(source, "endings", stored)
        return frozenset(stored)

    def prefixes(self, source: str) -> frozenset[str] | None:
        """The `PREFIX_CHARS`-character openings of an anchored pattern (see `_prefixes`)."""
        stored = self._answer(source, "prefixes")
        if stored is _MISSING:
            stored = _encode(_prefixes(self.question(source), self.openings(source)))
            self._keep(source, "prefixes", stored)
        return _decode(stored)

    def suffixes(self, source: str) -> tuple[frozenset[str], frozenset[str] | None]:
        """For a pattern matched backwards: its `endings`, and its `SUFFIX_CHARS`-character
        endings (see `_suffixes`)."""
        last = self.endings(source)
        stored = self._answer(source, "suffixes")
        if stored is _MISSING:
            stored = _encode(_suffixes(self.question(source, regex.REVERSE), last))
            self._keep(source, "suffixes", stored)
        return last, _decode(stored)

    def literals(self, source: str) -> frozenset[str] | None:
        """`literals.required_literals`."""
        stored = self._answer(source, "literals")
        if stored is _MISSING:
            stored = _encode(required_literals(source))
            self._keep(source, "literals", stored)
        return _decode(stored)


_MISSING = object()


def _encode(strings: frozenset[str] | None) -> list[str] | None:
    """A set of strings as JSON holds it: a sorted list (so the file is the same whatever the
    order of work), or null for None."""
    return None if strings is None else sorted(strings)


def _decode(stored: list[str] | None) -> frozenset[str] | None:
    return None if stored is None else frozenset(stored)


def _valid(stored: Any) -> bool:
    return stored is None or (isinstance(stored, list) and all(isinstance(s, str) for s in stored))
