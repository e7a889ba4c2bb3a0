"""Command-line options shared by the subcommands that build a Cleaner (`clean`, `eval`)."""

from __future__ import annotations

import argparse
from typing import TextIO

from .engine import Cleaner
from .model import RuleError


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules", action="append", default=[], metavar="PATH", help="extra rule file or folder (repeatable)"
    )
    parser.add_argument("--no-default-rules", action="store_true", help="do not load the shipped rules")


def load_cleaner(args: argparse.Namespace, stderr: TextIO) -> Cleaner | None:
    """Build the cleaner, or print every rule problem and return None (exit 2, nothing written)."""
    try:
        return Cleaner(args.rules, defaults=not args.no_default_rules)
    except RuleError as error:
        for problem in error.problems:
            print(problem, file=stderr)
        print(f"cleaner: {len(error.problems)} problem(s) in the rules; nothing was done", file=stderr)
        return None
