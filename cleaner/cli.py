"""The `cleaner` command: `clean` files and folders, `rules check`, and `eval` on a benchmark.

Exit codes: 0 when all went well, 1 when some input failed (the others are still written),
2 for usage errors and bad rules (then nothing is written).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import __version__
from .engine import Cleaner, extract_html
from .files import HTML_SUFFIXES, DocumentError, Job, decode, nested_output, plan_jobs, read_document, write_atomic
from .loader import load_rules
from .model import Cleaned, RuleError
from .options import add_rule_options, load_cleaner

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

EXAMPLES = """\
examples:
  cleaner clean seeds -o cleaned/              clean a folder, mirroring its tree
  cleaner clean article.txt page.html -o out/  clean files (.html goes through trafilatura)
  cleaner clean - < article.txt                 read stdin, write stdout
  cleaner clean seeds -o out --explain          say on stderr why each line went
  cleaner clean in/ -o out --rules my-rules/ --site example.com
  cleaner rules check my-rules.yaml             validate rules and list them
  cleaner eval ../shared/bench/dev --baseline trafilatura
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Strip site furniture from scraped article text, and say why each line went.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    clean = commands.add_parser(
        "clean",
        help="clean files or folders of .txt/.html articles",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    clean.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    clean.add_argument("-o", "--output", type=Path, metavar="OUTDIR", help="output folder (needed unless PATH is -)")
    add_rule_options(clean)
    clean.add_argument("--site", metavar="DOMAIN", help="the site the articles come from: switches on its rules")
    clean.add_argument("--no-title", action="store_true", help="leave the headline out of the output")
    clean.add_argument("--explain", action="store_true", help="print each removed paragraph, its rule and why, on stderr")
    clean.add_argument("--blank-lines", action="store_true", help="keep a blank line between paragraphs")
    clean.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    clean.set_defaults(func=run_clean)

    rules = commands.add_parser("rules", help="work with rule files")
    rule_commands = rules.add_subparsers(dest="rules_command", required=True, metavar="SUBCOMMAND")
    check = rule_commands.add_parser("check", help="validate rule files and list their rules")
    check.add_argument("paths", nargs="*", metavar="PATH", help="rule files or folders (added to the shipped rules)")
    check.add_argument("--no-default-rules", action="store_true", help="check only the given rule files")
    check.set_defaults(func=run_rules_check)

    from .evaluate import add_eval_parser  # the eval command lives with the metric it runs

    add_eval_parser(commands)

    return parser


def format_output(result: Cleaned, blank_lines: bool) -> str:
    if not result.text:
        return ""
    separator = "\n\n" if blank_lines else "\n"
    return separator.join(result.text.split("\n")) + "\n"


@dataclass
class Tally:
    """What a batch did, for the summary line."""

    written: int = 0
    failed: int = 0
    removed: int = 0
    by_rule: Counter[str] | None = None

    def add(self, result: Cleaned) -> None:
        self.written += 1
        self.removed += len(result.removed)
        if self.by_rule is None:
            self.by_rule = Counter()
        self.by_rule.update(r.rule_id for r in result.removed)


def explain(name: str, result: Cleaned, stderr: TextIO) -> None:
    for removal in result.removed:
        print(f"{name}:{removal.line}: [{removal.rule_id}] {removal.text.strip()}  # {removal.why}", file=stderr)


def clean_one(cleaner: Cleaner, job: Job, args: argparse.Namespace, stderr: TextIO) -> Cleaned:
    decoded = read_document(job.source)
    for note in decoded.notes:
        print(f"{job.source}: note: {note}", file=stderr)
    text = decoded.text
    if job.source.suffix.lower() in HTML_SUFFIXES:
        text = extract_html(text)
    return cleaner.clean(text, site=args.site, title=not args.no_title)


def run_clean(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    reads_stdin = "-" in args.paths
    files = [Path(p) for p in args.paths if p != "-"]
    if files and args.output is None:
        print("cleaner clean: -o/--output OUTDIR is needed for file and folder inputs", file=stderr)
        return EXIT_USAGE
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        print(f"cleaner clean: no such file or folder: {', '.join(missing)}", file=stderr)
        return EXIT_USAGE
    if args.output is not None:
        if args.output.exists() and not args.output.is_dir():
            print(f"cleaner clean: output {args.output} exists and is not a folder", file=stderr)
            return EXIT_USAGE
        parent = nested_output(files, args.output)
        if parent is not None:
            print(f"cleaner clean: output folder {args.output} is, or is inside, input folder {parent}", file=stderr)
            return EXIT_USAGE
    cleaner = load_cleaner(args, stderr)
    if cleaner is None:
        return EXIT_USAGE

    tally = Tally()
    if reads_stdin:
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode("utf-8")
        try:
            result = cleaner.clean(decode(data).text, site=args.site, title=not args.no_title)
        except DocumentError as error:
            print(f"<stdin>: error: {error}", file=stderr)
            tally.failed += 1
        else:
            stdout.write(format_output(result, args.blank_lines))
            tally.add(result)
            if args.explain:
                explain("<stdin>", result, stderr)

    sources = {p.resolve() for p in files if p.is_file()}
    written: dict[Path, Path] = {}
    for job in plan_jobs(files, args.output) if files else ():
        target = job.target.resolve()
        if target in sources or target in written:
            other = job.source if target in sources else written[target]
            print(f"{job.source}: error: output {job.target} would overwrite {other}; skipped", file=stderr)
            tally.failed += 1
            continue
        try:
            result = clean_one(cleaner, job, args, stderr)
            write_atomic(job.target, format_output(result, args.blank_lines))
        except (DocumentError, OSError) as error:
            print(f"{job.source}: error: {error}", file=stderr)
            tally.failed += 1
            continue
        written[target] = job.source
        tally.add(result)
        if args.explain:
            explain(str(job.source), result, stderr)

    if not args.quiet:
        top = ", ".join(f"{rule} {count}" for rule, count in (tally.by_rule or Counter()).most_common(10))
        summary = f"cleaner: {tally.written} written, {tally.failed} failed, {tally.removed} paragraphs removed"
        print(summary + (f" ({top})" if top else ""), file=stderr)
    return EXIT_FAILED if tally.failed else EXIT_OK


def run_rules_check(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        ruleset = load_rules(args.paths, defaults=not args.no_default_rules)
    except RuleError as error:
        for problem in error.problems:
            print(problem, file=stderr)
        print(f"cleaner rules check: {len(error.problems)} problem(s)", file=stderr)
        return EXIT_USAGE
    rows = [
        (r.meta.id, r.meta.kind, ",".join(r.meta.sites) or "*", str(r.meta.location) + ("" if r.meta.enabled else " (disabled)"))
        for r in ruleset.rules
    ]
    table = [("id", "kind", "sites", "file"), *rows]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        print("  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)), file=stdout)
    print(f"{len(rows)} rules in {len(ruleset.files)} files, {len(ruleset.examples)} examples: all pass", file=stdout)
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; streams can be passed in so tests need no subprocess."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return int(args.func(args, stdin, stdout, stderr))
