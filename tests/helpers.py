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
