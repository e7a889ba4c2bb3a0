"""The values that flow through the cleaner: where a rule came from, what it removed, what is left.

Everything here is a frozen, slotted dataclass, so a result can be shared between threads, pickled
to a worker process, and compared in a test without surprises.
"""

from __future__ import annotations

from dataclasses import dataclass

# The share of a document (of its text and of its prose) above which one rule's removals trip
# the guard and the document is kept whole. A rule pack (a rule file) may set its own.
DEFAULT_MAX_REMOVED_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a rule file, 1-based, as a reader of the file counts lines and columns.

    Line 0 means the file as a whole (it is missing, or cannot be read).
    """

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        if not self.line:  # a problem with the file as a whole: it has no line to point at
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """The fields every rule carries, whatever its kind.

    `sites` holds domain globs; an empty tuple means the rule applies on every site.
    `max_removed_share` is the guard's limit for this rule, set by its rule pack (its file).
    """

    id: str
    kind: str
    why: str
    sites: tuple[str, ...]
    enabled: bool
    location: Location
    max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE


@dataclass(frozen=True, slots=True)
class Removal:
    """One paragraph the cleaner left out, and the rule that asked for it.

    `line` is the 1-based line of the input the paragraph came from; `text` is that line as it
    was in the input, before normalisation, so a user can find it again with grep.
    """

    line: int
    text: str
    rule_id: str
    why: str


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The result of cleaning one document.

    `text` holds the kept paragraphs, one per line, without a final newline. `title` is the
    headline found at the top (kept in `text` unless the caller asked to leave it out), or None.
    `warnings` carries notes such as a tripped safety guard; they never change `text` silently.
    """

    text: str
    title: str | None
    removed: tuple[Removal, ...]
    warnings: tuple[str, ...] = ()

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(self.text.split("\n")) if self.text else ()


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a rule file, in the `file:line:col: [id] message` shape."""

    location: Location
    rule_id: str | None
    message: str

    def __str__(self) -> str:
        tag = f" [{self.rule_id}]" if self.rule_id else ""
        return f"{self.location}:{tag} {self.message}"


class RuleError(Exception):
    """Raised when rule files cannot be used; holds every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DocumentError(Exception):
    """A document that cannot be cleaned; the message says why, the caller adds the file name.

    One bad document fails alone: a batch reports it and goes on with the others.
    """


class RuleTimeout(DocumentError):
    """A rule's regex ran past the per-match time limit on a paragraph of this document.

    Usually a pattern with catastrophic backtracking (`(a|aa)+$`) meeting a long run of the
    characters it repeats. The document is better left as it is than cleaned by half, so the
    caller keeps it unchanged and counts it as failed; `rule_id` says which rule to fix.
    """

    def __init__(self, rule_id: str, seconds: float, line: int | None = None) -> None:
        self.rule_id = rule_id
        self.seconds = seconds
        self.line = line
        where = f" on line {line}" if line is not None else ""
        super().__init__(f"rule '{rule_id}' timed out{where} (regex over {seconds:g} s); document left unchanged")
