"""What building a `Cleaner` works out about each pattern's text, kept on disk between runs.

Both the loader (each rule's probes, `schema.probes_for`) and the trigger scan
(`scan.LengthTiers.build`) ask the regex engine, by partial matching, which characters a match of
each trigger can open and end with, and which few characters it can open with. For the shipped
rules that is two thirds of a build (about 0.65 s of 1.05 s), and every CLI run, every worker
of a cluster job and every test session paid it again. The answers are pure functions of the
pattern's text and of what decides them: the flags every pattern is compiled with, the regex
module, the Python that runs it, and the code of this module, `cleaner.patterns` and
`cleaner.literals` as this process imported it.

So `PatternFacts.load` reads what earlier builds worked out from one JSON file named by a hash of
all of those (`IDENTITY`, worked out once, at import, from the imported modules' own source: a
process still running old code after an upgrade writes under the old name), and `save` writes
the file back, atomically, when this build worked out anything new. Unlike `__pycache__`, the
file is not checked against anything but its name and the shape of its answers: it is trusted as
the rest of the user's cache folder is, so `CLEANER_CACHE_DIR` must not name a folder that
others can write. A missing, unreadable, corrupt, oversized or unwritable file costs the time it
would have saved and nothing else; a process whose modules have no readable source (a frozen
application) keeps no file. `CLEANER_CACHE_DIR` moves the folder, `CLEANER_NO_CACHE=1` turns
the file off, and so does `Cleaner(use_cache=False)`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import regex

from . import literals as _literals_module
from . import patterns as _patterns_module
from .literals import required_literals
from .patterns import PATTERN_FLAGS, edge_characters, question_pattern, starts_anchored

__all__ = [
    "IDENTITY",
    "MAX_PREFIXES",
    "PREFIX_CHARS",
    "SUFFIX_CHARS",
    "PatternFacts",
    "default_cache_dir",
    "facts_file",
    "identity",
]

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
_FORMAT = "cleaner-pattern-facts-2"
# A file holds the answers for at most this many pattern texts, those asked about most recently
# first: the shipped rules ask about 375, and each rule set a user loads adds its own, so a
# long-lived cache folder (or a fuzzer making rules) would otherwise grow without end. At the cap
# the file is about 2 MB, read in about 20 ms.
MAX_SOURCES = 5000
# A file larger than this is not read (a hand-made or damaged one): the cap keeps real ones
# about ten times smaller.
MAX_FILE_BYTES = 32 << 20
# Files of other code versions, and temporary files a killed writer left, are deleted by a
# `save` once they have not been written or read for this long (seconds): 30 days, and an hour.
# A read marks a file as used (its modification time) at most once a day (`TOUCH_SECONDS`).
STALE_FILE_SECONDS = 30 * 24 * 3600
STALE_TEMPORARY_SECONDS = 3600
TOUCH_SECONDS = 24 * 3600


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


def _false(value: str) -> bool:
    return value.strip().lower() in ("", "0", "false", "no", "off")


def default_cache_dir(environ: dict[str, str] | None = None) -> Path | None:
    """Where the facts file lives: `CLEANER_CACHE_DIR` (a leading `~` is the home folder), else
    the user's cache folder (`XDG_CACHE_HOME` when it is an absolute path, as the XDG spec asks;
    `LOCALAPPDATA` on Windows; else `~/.cache`) under `cleaner`. None when `CLEANER_NO_CACHE` is set to
    anything but "", "0", "false", "no" or "off", when there is no home folder to put it in, or
    when this process's modules have no readable source (`IDENTITY` is None)."""
    environ = dict(os.environ) if environ is None else environ
    if IDENTITY is None or not _false(environ.get("CLEANER_NO_CACHE", "")):
        return None
    home = environ.get("HOME") or environ.get("USERPROFILE")
    if not home:
        try:
            home = str(Path.home())
        except RuntimeError:  # no home folder known
            home = None
    chosen = environ.get("CLEANER_CACHE_DIR", "")
    if chosen:
        if chosen == "~" or chosen.startswith(("~/", "~" + os.sep)):
            if home is None:
                return None
            chosen = home + chosen[1:]
        return Path(chosen)
    base = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = environ.get("LOCALAPPDATA", "") if sys.platform == "win32" else ""
    if base:
        return Path(base) / "cleaner"
    return Path(home) / ".cache" / "cleaner" if home else None


def identity(sources: Iterable[bytes], *versions: str) -> str:
    """The name part of a facts file: a hash of the code that works the answers out and of every
    version that can change what the engine answers."""
    digest = hashlib.sha256()
    for part in (_FORMAT.encode(), *(v.encode() for v in versions), *sources):
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()[:24]


def _source(module: ModuleType) -> bytes:
    """The source of an imported module, as its loader reads it (also from a zip file)."""
    spec = module.__spec__
    if spec is None or spec.origin is None or not hasattr(spec.loader, "get_data"):
        raise OSError(f"no source for {module.__name__}")
    return spec.loader.get_data(spec.origin)  # type: ignore[union-attr]


def _identity_of_this_process() -> str | None:
    try:
        sources = [_source(m) for m in (sys.modules[__name__], _patterns_module, _literals_module)]
    except (OSError, ValueError):
        return None
    return identity(
        sources, sys.version, sys.implementation.cache_tag or "", regex.__version__, str(int(PATTERN_FLAGS))
    )


def facts_file(directory: Path) -> Path:
    """The facts file in `directory` for this process's code (`IDENTITY`)."""
    return directory / f"pattern-facts-{IDENTITY}.json"


@dataclass(slots=True)
class PatternFacts:
    """The answers for each pattern text, worked out once per text (`openings`, `endings`,
    `prefixes`, `suffixes`, `literals`) or read from the facts file, and the loosened patterns
    partial matching asks (`question`), compiled once per build: the regex module's own compile
    cache (500 patterns) is smaller than the sources and their loosened forms.

    A memo, not a value: it fills as a build asks, for the duration of one `Cleaner` build. A
    `PatternFacts()` without a path is the same memo without the file.
    """

    path: Path | None = None
    # source -> answer name -> answer, as JSON holds it (see `_encode`), most recently asked first.
    known: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Whether this build worked out an answer the file did not hold (or held in a wrong shape).
    changed: bool = False
    # The pattern texts this build asked about, in the order first asked.
    asked: dict[str, None] = field(default_factory=dict)
    questions: dict[tuple[str, int], regex.Pattern[str]] = field(default_factory=dict)
    anchored: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path | None) -> PatternFacts:
        """The facts file for this process's code in `directory` read back (None: no file at
        all). A file that cannot be read, is larger than `MAX_FILE_BYTES` or does not hold what
        `save` writes is ignored, and replaced on `save`."""
        if directory is None or IDENTITY is None:
            return cls()
        path = facts_file(directory)
        known: dict[str, dict[str, Any]] = {}
        with contextlib.suppress(OSError, ValueError, RecursionError, MemoryError):
            status = path.stat()
            if status.st_size <= MAX_FILE_BYTES:
                stored = json.loads(path.read_bytes())
                if isinstance(stored, dict) and stored.get("format") == _FORMAT and isinstance(stored.get("facts"), dict):
                    known = {s: a for s, a in stored["facts"].items() if isinstance(s, str) and isinstance(a, dict)}
                if known and time.time() - status.st_mtime > TOUCH_SECONDS:
                    os.utime(path)  # in use: not stale (see `_remove_stale`)
        return cls(path, known)

    def save(self) -> bool:
        """Write the file again if this build worked out an answer it did not hold: to a
        temporary file in the same folder, then renamed over it, so that a reader (another worker,
        another run) sees the old file or the new one, never half of one. The texts this build
        asked about come first, then the others as the file held them, up to `MAX_SOURCES`
        (so "most recently asked" is as of the last build that wrote the file).
        Also deletes stale files (`STALE_FILE_SECONDS`). True when written; False when there was
        nothing new, no path, or the file cannot be written (then nothing else happens: the next
        build works the answers out again). Two builds saving at once keep one's answers."""
        if self.path is None or not self.changed:
            return False
        order = [*self.asked, *(s for s in self.known if s not in self.asked)][:MAX_SOURCES]
        kept = {source: self.known[source] for source in order if source in self.known}
        temporary = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".pattern-facts-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="ascii") as out:
                json.dump({"format": _FORMAT, "facts": kept}, out)  # ASCII: a lone surrogate is escaped
            os.replace(temporary, self.path)
            temporary = None
        except (OSError, ValueError):
            return False
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
        self.changed = False
        _remove_stale(self.path)
        return True

    def _answer(self, source: str, name: str) -> Any:
        """The stored answer, or `_MISSING`: an answer of the wrong shape (a hand-edited file)
        counts as missing."""
        self.asked[source] = None
        stored = self.known.get(source, {}).get(name, _MISSING)
        return stored if stored is _MISSING or _valid(stored) else _MISSING

    def _keep(self, source: str, name: str, value: Any) -> None:
        self.known.setdefault(source, {})[name] = value
        self.changed = True

    def question(self, source: str, flags: int = 0) -> regex.Pattern[str]:
        """`patterns.question_pattern`, compiled once per build."""
        key = (source, flags)
        if key not in self.questions:
            self.questions[key] = question_pattern(source, flags)
        return self.questions[key]

    def starts_anchored(self, source: str) -> bool:
        if source not in self.anchored:
            self.anchored[source] = starts_anchored(source)
        return self.anchored[source]

    def openings(self, source: str) -> frozenset[str]:
        """`patterns.openings`: the ASCII characters a paragraph this anchored pattern matches can
        open with."""
        stored = self._answer(source, "openings")
        if stored is _MISSING or stored is None:  # a set of characters is never null
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
    """An answer as `_encode` writes it: a list of strings, or null, which for `prefixes`,
    `suffixes` and `literals` is an answer ("too many to list", "none required") and for
    `openings` and `endings` counts as missing."""
    return stored is None or (isinstance(stored, list) and all(isinstance(s, str) for s in stored))


def _remove_stale(path: Path) -> None:
    """Delete the facts files of other code versions neither written nor read for
    `STALE_FILE_SECONDS`, and the temporary files of writers killed mid-write, untouched for
    `STALE_TEMPORARY_SECONDS`."""
    now = time.time()
    with contextlib.suppress(OSError):
        for other in path.parent.iterdir():
            if other == path:
                continue
            if other.name.startswith("pattern-facts-") and other.suffix == ".json":
                limit = STALE_FILE_SECONDS
            elif other.name.startswith(".pattern-facts-") and other.suffix == ".tmp":
                limit = STALE_TEMPORARY_SECONDS
            else:
                continue
            with contextlib.suppress(OSError):
                if now - other.stat().st_mtime > limit:
                    other.unlink()


# This process's code and versions, worked out once, at import (see the module docstring).
IDENTITY: str | None = _identity_of_this_process()
