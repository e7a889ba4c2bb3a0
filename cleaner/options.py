"""Command-line options shared by the subcommands that load rules (`clean`, `eval`, `rules check`)."""

from __future__ import annotations

import argparse
from typing import TextIO

from .engine import Cleaner
from .model import RuleError


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules", action="append", default=[], metavar="PATH", help="extra rule file or folder (repeatable)"
    )
    add_no_default_rules(parser)


def add_no_default_rules(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-default-rules", action="store_true", help="do not load the shipped rules")


def print_rule_problems(error: RuleError, stderr: TextIO, command: str, outcome: str = "") -> None:
    """Every problem in the rules, one a line (file:line:column first), then how many there were."""
    for problem in error.problems:
        print(problem, file=stderr)
    print(f"{command}: {len(error.problems)} problem(s) in the rules{outcome}", file=stderr)


def load_cleaner(args: argparse.Namespace, stderr: TextIO) -> Cleaner | None:
    """Build the cleaner, or print every rule problem and return None (exit 2, nothing written)."""
    try:
        return Cleaner(args.rules, defaults=not args.no_default_rules)
    except RuleError as error:
        print_rule_problems(error, stderr, "cleaner", "; nothing was done")
        return None
