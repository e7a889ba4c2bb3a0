"""The `cleaner` command: `clean` files and folders, `rules check`, and `eval` on a benchmark.

Exit codes: 0 when all went well, 1 when some input failed (the others are still written),
2 for usage errors and bad rules (then nothing is written).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .batch import (
    Explained,
    Failure,
    Notice,
    Options,
    Progress,
    Runner,
    Tally,
    clean_jsonl_stream,
    cleaned_or_unchanged,
    default_jobs,
    failure_reason,
    format_text,
    run_files,
)
from .files import DocumentError, Job, decode, nested_output, plan_jobs
from .loader import load_rules
from .model import RuleError
from .options import add_no_default_rules, add_rule_options, load_cleaner, print_rule_problems

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

EXAMPLES = """\
examples:
  cleaner clean seeds -o cleaned/              clean a folder, mirroring its tree
  cleaner clean article.txt page.html -o out/  clean files (.html goes through trafilatura)
  cleaner clean - < article.txt                 read stdin, write stdout
  cleaner clean - < in.jsonl > out.jsonl        stream JSONL records (field "text", "url" for the site)
  cleaner clean shards/ -o out -j 8 --resume    folders of .jsonl(.gz)/.parquet/.txt(.gz), 8 workers
  cleaner clean seeds -o out --explain          say on stderr why each line went
  cleaner clean in/ -o out --rules my-rules/ --site example.com
  cleaner rules check my-rules.yaml             validate rules and list them
  cleaner eval ../shared/bench/dev --baseline trafilatura

environment:
  CLEANER_CACHE_DIR   where builds keep what they work out about the rules' patterns
                      (default ~/.cache/cleaner, or $XDG_CACHE_HOME/cleaner)
  CLEANER_NO_CACHE=1  keep no such file: every run works it out again (about 0.5 s)
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
    clean.add_argument("-q", "--quiet", action="store_true", help="print only errors (no progress bar, no summary)")
    batch = clean.add_argument_group("batch")
    batch.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: the cores available)")
    batch.add_argument("--resume", action="store_true", help="skip outputs a previous run completed")
    batch.add_argument("--errors", type=Path, metavar="FILE", help="also write each failure as a JSON line to FILE")
    batch.add_argument("--max-bytes", type=int, metavar="N", help="fail documents larger than N bytes")
    batch.add_argument(
        "--format", choices=("auto", "text", "jsonl"), default="auto",
        help="what stdin holds (auto: JSONL when its first line is a JSON object); files go by their names",
    )
    records = clean.add_argument_group("JSONL and Parquet records")
    records.add_argument("--text-field", default="text", metavar="NAME", help="the field holding the text (default: text)")
    records.add_argument(
        "--url-field", default="url", metavar="NAME", help="the field holding the URL, whose domain scopes site rules"
    )
    records.add_argument("--html-field", metavar="NAME", help="take raw HTML from this field (extracted with trafilatura)")
    records.add_argument("--out-field", metavar="NAME", help="write the cleaned text here (default: replace the text field)")
    records.add_argument(
        "--with-removed", action="store_true", help="add the removals (line, text, rule) to each record as 'removed'"
    )
    clean.set_defaults(func=run_clean)

    rules = commands.add_parser("rules", help="work with rule files")
    rule_commands = rules.add_subparsers(dest="rules_command", required=True, metavar="SUBCOMMAND")
    check = rule_commands.add_parser("check", help="validate rule files and list their rules")
    check.add_argument("paths", nargs="*", metavar="PATH", help="rule files or folders (added to the shipped rules)")
    add_no_default_rules(check)
    check.set_defaults(func=run_rules_check)

    from .evaluate import add_eval_parser  # the eval command lives with the metric it runs

    add_eval_parser(commands)

    return parser


def batch_options(args: argparse.Namespace) -> Options:
    return Options(
        site=args.site,
        title=not args.no_title,
        blank_lines=args.blank_lines,
        text_field=args.text_field,
        url_field=args.url_field,
        html_field=args.html_field,
        out_field=args.out_field,
        with_removed=args.with_removed,
        max_bytes=args.max_bytes,
        explain=args.explain,
    )


def _check_paths(args: argparse.Namespace, files: list[Path], stderr: TextIO) -> bool:
    if files and args.output is None:
        print("cleaner clean: -o/--output OUTDIR is needed for file and folder inputs", file=stderr)
        return False
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        print(f"cleaner clean: no such file or folder: {', '.join(missing)}", file=stderr)
        return False
    if args.output is not None:
        if args.output.exists() and not args.output.is_dir():
            print(f"cleaner clean: output {args.output} exists and is not a folder", file=stderr)
            return False
        parent = nested_output(files, args.output)
        if parent is not None:
            print(f"cleaner clean: output folder {args.output} is, or is inside, input folder {parent}", file=stderr)
            return False
    return True


def _unique_jobs(files: list[Path], output: Path, report: Callable[[Failure], None], tally: Tally) -> Iterator[Job]:
    """Planned jobs, minus any whose output would overwrite an input or another output.

    Every input file counts, those found in folders too (an input folder may lie inside the
    output folder), and a folder that cannot be listed is reported as a failure.
    """

    def unreadable(folder: Path, error: OSError) -> None:
        failure = Failure(str(folder), None, f"cannot list folder: {error.strerror or error}")
        report(failure)
        tally.add_failure(failure)

    planned = list(plan_jobs(files, output, unreadable))
    sources = {job.source.resolve() for job in planned}
    taken: dict[Path, Path] = {}
    for job in planned:
        target = job.target.resolve()
        if target in sources or target in taken:
            other = f"input {job.target}" if target in sources else f"the output of {taken[target]}"
            failure = Failure(str(job.source), None, f"output {job.target} would overwrite {other}; skipped")
            report(failure)
            tally.add_failure(failure)
            continue
        taken[target] = job.source
        yield job


def _stdin_is_jsonl(first_line: bytes, wanted: str) -> bool:
    if wanted != "auto":
        return wanted == "jsonl"
    if not first_line.lstrip().startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first_line), dict)
    except ValueError:
        return False


def _clean_stdin(
    runner: Runner, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO, progress: Progress
) -> Tally:
    """JSONL is streamed record by record in order; plain text is one document, as before."""
    source = stdin.buffer if hasattr(stdin, "buffer") else io.BytesIO(stdin.read().encode("utf-8"))
    first = source.readline()
    if _stdin_is_jsonl(first, args.format):
        out = getattr(stdout, "buffer", None)
        write = out.write if out is not None else (lambda data: stdout.write(data.decode("utf-8")))
        tally = clean_jsonl_stream(runner, source, "<stdin>", write, progress, head=first)
        stdout.flush()
        return tally
    data = first + source.read()
    tally = Tally(bytes_in=len(data))
    try:
        decoded = decode(data)
        tally.add_notes("<stdin>", decoded.notes)
        text = decoded.text
        if args.max_bytes is not None and len(data) > args.max_bytes:
            raise DocumentError(f"is {len(data)} bytes, over the limit of {args.max_bytes}")
        result, timed_out = cleaned_or_unchanged(runner.cleaner, runner.options, text, None)
    except Exception as error:  # undecodable, too large, a rule error: reported, exit 1
        tally.add_failure(Failure("<stdin>", None, failure_reason(error)))
        progress.update(tally)
        return tally
    output = format_text(result, args.blank_lines)
    stdout.write(output)
    tally.bytes_out = len(output.encode("utf-8"))
    tally.add_written(result, timed_out, "<stdin>", explain=args.explain)
    progress.update(tally)
    return tally


def run_clean(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    reads_stdin = "-" in args.paths
    files = [Path(p) for p in args.paths if p != "-"]
    if not _check_paths(args, files, stderr):
        return EXIT_USAGE
    if args.jobs is not None and args.jobs < 1:
        print("cleaner clean: -j/--jobs must be at least 1", file=stderr)
        return EXIT_USAGE
    cleaner = load_cleaner(args, stderr)
    if cleaner is None:
        return EXIT_USAGE

    errors = open(args.errors, "w", encoding="utf-8") if args.errors else None

    def report(failure: Failure) -> None:
        print(failure, file=stderr)
        if errors is not None:
            errors.write(json.dumps(failure.as_record(), ensure_ascii=False) + "\n")
            errors.flush()

    def warn(notice: Notice) -> None:
        print(notice, file=stderr)

    def explain(explained: Explained) -> None:
        for line in explained.lines():
            print(line, file=stderr)

    tally = Tally()
    progress = Progress(stderr, not args.quiet, report, None if args.quiet else warn, explain if args.explain else None)
    jobs = args.jobs or default_jobs()
    try:
        with Runner(cleaner, batch_options(args), jobs) as runner:
            if reads_stdin:
                tally.merge(_clean_stdin(runner, args, stdin, stdout, stderr, progress))
            if files:
                planned = list(_unique_jobs(files, args.output, report, tally))
                tally.merge(run_files(runner, planned, args.output, resume=args.resume, progress=progress))
    finally:
        progress.close()
        if errors is not None:
            errors.close()

    if not args.quiet:
        for line in tally.summary():
            print(line, file=stderr)
    return EXIT_FAILED if tally.failed else EXIT_OK


def run_rules_check(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    # Every answer about the patterns is worked out afresh here, never read from the cache
    # folder (`cleaner.derived`): the check of the rules must not depend on a file.
    try:
        ruleset = load_rules(args.paths, defaults=not args.no_default_rules)
    except RuleError as error:
        print_rule_problems(error, stderr, "cleaner rules check")
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
