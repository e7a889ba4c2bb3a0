"""Shared test helpers: where the repository's data is, and running the CLI in-process."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from cleaner.cli import main

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED = Path(os.environ.get("CLEANER_SHARED", REPO.parent / "shared"))

# Hostile rules and inputs, shared by the tests of the safety nets on every path (files, stdin,
# JSONL, Parquet, Dask): article prose, a rule that times out on `HANGS`, a rule that would eat
# every paragraph (the removal guard keeps the document whole).
PROSE = [
    "The council said on Tuesday that the bridge would stay closed until the spring at least.",
    "Engineers found cracks in two of the supporting piers during a routine inspection last month.",
    "Residents have complained that the detour adds twenty minutes to every journey into town.",
    "A spokesperson said the repairs would cost about four million pounds and take six months.",
    "Local businesses on both sides of the river say trade has already fallen by a third.",
    "The council will hold a public meeting next week to explain the timetable for the work.",
]

# A run of "a" that `(a+)+(?:$|!!)` cannot end on: each start position scans to the end and
# back, quadratic, hours at this length. (The issue's `(a+)+$` no longer hangs the CLI: the
# engine matches triggers that end in '$' backwards from the paragraph's end, where this run
# fails at once; the alternative keeps the pattern slow in both directions.)
HANGS = "a" * 60_000 + "!"
FURNITURE = "Share this article"

NESTED = """
- id: nested-plus
  kind: line
  why: A test rule with a nested quantifier.
  max_chars: 100000
  patterns: ['(a+)+(?:$|!!)']
  examples:
    remove: ["aaa"]
    keep: ["bbb!"]
"""

# As greedy as `.*` on prose (the loader refuses a literal `.*`: no `keep:` example passes it).
EVERYTHING = """
- id: eats-everything
  kind: line
  why: A test rule that matches every paragraph with a letter in it.
  patterns: ['[a-z]']
  examples:
    remove: ["Any paragraph at all."]
    keep: ["1234"]
"""


@dataclass
class Run:
    code: int
    out: str
    err: str


class _Stdin(io.StringIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data.decode("utf-8", errors="replace"))
        self.buffer = io.BytesIO(data)


def run_cli(*argv: str, stdin: bytes = b"") -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=_Stdin(stdin), stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


def write_rules(folder: Path, body: str, name: str = "rules.yaml") -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path
