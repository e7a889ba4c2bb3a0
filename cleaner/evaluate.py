"""Score systems on a benchmark set (``shared/bench/dev`` and sets built like it).

The metric is the one the set's README defines; this module is meant to implement it exactly.

Line level
    Both texts are split on ``\\n``; each line is normalised (:func:`normalize_line`) and blank
    ones are dropped. Output lines are aligned to gold lines one-to-one, greedily in output
    order: an output line takes the first unused gold line that is identical after
    normalisation; failing that, the unused gold line with the highest
    ``difflib.SequenceMatcher`` ratio (the first such line on ties) if that ratio is >= 0.9.
    P = matched / output lines, R = matched / gold lines.
Token level
    Bags of ``\\w+`` tokens (NFKC, case-folded), multiset intersection.
F1 and empty texts
    F1 = 2PR / (P + R). Both sides empty: P = R = F1 = 1; exactly one empty: all 0. The rule
    is applied to counts, so it holds at each level separately and for micro sums too.
Macro and micro
    Macro is the mean of the per-case values; micro is computed from counts summed over cases.
Throughput
    Only time inside the system counts: inputs are read before the clock starts, one untimed
    warm-up call precedes the sequential timed run, one process. MB means 10**6 bytes of the
    system's input encoded as UTF-8.

SequenceMatcher details, stated because they change ratios:

- ``a`` is the output line and ``b`` the gold line, so one matcher per gold line caches the
  gold side (``set_seq2`` is the expensive half) and is reused for every output line.
- ``autojunk=False``. With difflib's default (True), characters that make up more than 1% of a
  gold line of 200+ characters, such as spaces and common letters, are treated as junk, so
  the ratio of two long paragraphs that differ by a few words can fall below 0.9. Measured on
  shared/bench/dev, autojunk=False reproduces the README's identity figures (line F1 0.905
  on input.txt, 0.624 on input_scraped.txt) and autojunk=True does not (0.903, 0.623).
- Before ``ratio()`` the candidates are pruned with its two cheap upper bounds: the length
  bound of ``real_quick_ratio()`` (computed inline) and ``quick_ratio()``. A candidate is
  skipped only when its bound is below 0.9 or not above the best ratio found so far, so the
  pruning never changes which gold line is chosen.

Input decoding: ``page.html.gz`` is gunzipped and decoded with trafilatura's ``decode_file``
(UTF-8 when the bytes are valid UTF-8, else charset-normalizer's guess), the same decoding
trafilatura applies to bytes, so live extraction reproduces ``input.txt``.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import hashlib
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from cleaner.baselines import (
    BASELINES,
    INPUT_KINDS,
    PRECISION_EXTRACTION,
    RECALL_EXTRACTION,
    InputKind,
    Route,
    System,
    trafilatura_extract,
)

if TYPE_CHECKING:
    from cleaner import Cleaner

LINE_MATCH_MIN_RATIO = 0.9

# Typographic variants folded to ASCII after NFKC. NFKC already turns nbsp, narrow nbsp and
# figure space into U+0020, the ellipsis into "...", and full-width forms into ASCII. Zero-width
# spaces (and the word joiner and BOM, their invisible kin) are deleted: a line holding only
# one is blank to a reader, and the set has pages whose gold is padded with such lines.
_TYPOGRAPHIC = str.maketrans(
    {
        **dict.fromkeys("\u200b\u2060\ufeff", None),
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2039\u203a", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
_WHITESPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")


# --- metric --------------------------------------------------------------------------------


def normalize_line(line: str) -> str:
    """The form in which two lines are compared: NFKC, typographic folding, spaces, case.

    >>> normalize_line("  \\u201cIt\\u2019s  OK\\u201d \\u2014 Stra\\u00dfe\\u00a0")
    '"it\\'s ok" - strasse'
    """
    folded = unicodedata.normalize("NFKC", line).translate(_TYPOGRAPHIC)
    return _WHITESPACE.sub(" ", folded).strip().casefold()


def normalized_lines(text: str) -> list[str]:
    """The non-blank lines of ``text``, normalised."""
    return [n for n in map(normalize_line, text.split("\n")) if n]


def tokens(text: str) -> Counter[str]:
    """The bag of ``\\w+`` tokens of ``text`` (NFKC, case-folded)."""
    return Counter(_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))


@dataclass(frozen=True, slots=True)
class LineMatch:
    """An output line's partner in the gold: its index there and the ratio (1.0 if exact)."""

    gold_index: int
    ratio: float


def align_lines(output: Sequence[str], gold: Sequence[str]) -> tuple[LineMatch | None, ...]:
    """Align normalised output lines to normalised gold lines; one entry per output line."""
    exact: defaultdict[str, deque[int]] = defaultdict(deque)
    for index, line in enumerate(gold):
        exact[line].append(index)
    used = [False] * len(gold)
    matchers: dict[int, difflib.SequenceMatcher[str]] = {}
    alignment: list[LineMatch | None] = []
    for line in output:
        same = exact.get(line)
        while same and used[same[0]]:  # taken earlier by a near match
            same.popleft()
        match = LineMatch(same.popleft(), 1.0) if same else _best_near_match(line, gold, used, matchers)
        if match is not None:
            used[match.gold_index] = True
        alignment.append(match)
    return tuple(alignment)


def _best_near_match(
    line: str,
    gold: Sequence[str],
    used: Sequence[bool],
    matchers: dict[int, difflib.SequenceMatcher[str]],
) -> LineMatch | None:
    best: LineMatch | None = None
    for index, candidate in enumerate(gold):
        if used[index]:
            continue
        floor = LINE_MATCH_MIN_RATIO if best is None else best.ratio
        total = len(line) + len(candidate)
        # Upper bounds of ratio(), cheapest first; a candidate must beat `best` strictly.
        if 2.0 * min(len(line), len(candidate)) / total < floor:
            continue
        matcher = matchers.get(index)
        if matcher is None:
            matcher = matchers[index] = difflib.SequenceMatcher(None, "", candidate, autojunk=False)
        matcher.set_seq1(line)
        if matcher.quick_ratio() < floor:
            continue
        ratio = matcher.ratio()
        if ratio >= floor and (best is None or ratio > best.ratio):
            best = LineMatch(index, ratio)
    return best


@dataclass(frozen=True, slots=True)
class Prf:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class Counts:
    """What one comparison found: matched units, output units, gold units.

    At line level ``matched`` counts aligned pairs (the same for both sides, since the
    alignment is one-to-one); at token level it is the size of the multiset intersection.
    """

    matched: int
    n_out: int
    n_gold: int

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.matched + other.matched, self.n_out + other.n_out, self.n_gold + other.n_gold)

    @property
    def prf(self) -> Prf:
        if self.n_out == 0 and self.n_gold == 0:
            return Prf(1.0, 1.0, 1.0)
        if self.n_out == 0 or self.n_gold == 0:
            return Prf(0.0, 0.0, 0.0)
        precision, recall = self.matched / self.n_out, self.matched / self.n_gold
        f1 = 2 * precision * recall / (precision + recall) if self.matched else 0.0
        return Prf(precision, recall, f1)


def score_lines(output: str, gold: str) -> Counts:
    out_lines, gold_lines = normalized_lines(output), normalized_lines(gold)
    matched = sum(m is not None for m in align_lines(out_lines, gold_lines))
    return Counts(matched, len(out_lines), len(gold_lines))


def score_tokens(output: str, gold: str) -> Counts:
    out_bag, gold_bag = tokens(output), tokens(gold)
    return Counts(sum((out_bag & gold_bag).values()), out_bag.total(), gold_bag.total())


@dataclass(frozen=True, slots=True)
class CaseScore:
    case_id: str
    lines: Counts
    tokens: Counts
    seconds: float
    input_bytes: int


def _mean_prf(values: Sequence[Prf]) -> Prf:
    n = len(values)
    if n == 0:
        return Prf(0.0, 0.0, 0.0)
    return Prf(
        sum(v.precision for v in values) / n,
        sum(v.recall for v in values) / n,
        sum(v.f1 for v in values) / n,
    )


def _sum_counts(counts: Iterable[Counts]) -> Counts:
    return sum(counts, Counts(0, 0, 0))


@dataclass(frozen=True, slots=True)
class SetScore:
    """One system's scores on one set and input kind, with every case kept for drill-down."""

    system: str
    input_kind: InputKind
    cases: tuple[CaseScore, ...]

    @property
    def macro_lines(self) -> Prf:
        return _mean_prf([c.lines.prf for c in self.cases])

    @property
    def macro_tokens(self) -> Prf:
        return _mean_prf([c.tokens.prf for c in self.cases])

    @property
    def micro_lines(self) -> Prf:
        return _sum_counts(c.lines for c in self.cases).prf

    @property
    def micro_tokens(self) -> Prf:
        return _sum_counts(c.tokens for c in self.cases).prf

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.cases)

    @property
    def input_bytes(self) -> int:
        return sum(c.input_bytes for c in self.cases)

    @property
    def docs_per_second(self) -> float:
        return len(self.cases) / self.seconds if self.seconds else 0.0

    @property
    def mb_per_second(self) -> float:
        return self.input_bytes / 1e6 / self.seconds if self.seconds else 0.0

    @property
    def ms_per_doc(self) -> float:
        return 1000 * self.seconds / len(self.cases) if self.cases else 0.0


# --- cases ---------------------------------------------------------------------------------

HALVES = ("a", "b")


@dataclass(frozen=True, slots=True)
class Case:
    """One benchmark case. Only ``meta.json`` is read up front; texts are read when asked for."""

    id: str
    path: Path
    url: str | None

    @property
    def site(self) -> str | None:
        """The host of the case's url, lower-cased, as the cleaner's ``site=`` wants it."""
        from cleaner.engine import site_of

        return site_of(self.url)

    @property
    def input_txt(self) -> str:
        return self._read("input.txt")

    @property
    def input_scraped(self) -> str:
        return self._read("input_scraped.txt")

    @property
    def gold(self) -> str:
        return self._read("gold.txt")

    @property
    def html(self) -> str:
        from trafilatura.utils import decode_file

        return decode_file(gzip.decompress((self.path / "page.html.gz").read_bytes()))

    @property
    def half(self) -> str:
        """'a' or 'b': the set split in two by host (the SHA-1 of the host name, even or odd), so
        that a rule written while looking at one half can be checked on pages of sites it never
        saw. All the pages of one site fall in the same half."""
        digest = hashlib.sha1((self.site or self.id).encode("utf-8")).hexdigest()
        return "a" if int(digest[-1], 16) % 2 == 0 else "b"

    def input(self, kind: InputKind) -> str:
        if kind == "txt":
            return self.input_txt
        if kind == "scraped":
            return self.input_scraped
        if kind == "html":
            return self.html
        raise ValueError(f"unknown input kind {kind!r}; expected one of {', '.join(INPUT_KINDS)}")

    def _read(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8")


def load_cases(set_dir: str | Path) -> list[Case]:
    """The cases of a set: every sub-folder holding a ``gold.txt``, in name order."""
    cases = []
    for path in sorted(Path(set_dir).iterdir()):
        if not (path / "gold.txt").is_file():
            continue
        meta_path = path / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        cases.append(Case(id=path.name, path=path, url=meta.get("url")))
    return cases


# --- systems -------------------------------------------------------------------------------


def cleaner_system(cleaner: Cleaner, name: str = "cleaner") -> System:
    """The project's cleaner: ``Cleaner.clean`` on text inputs, ``clean_html`` on pages.

    The gold has no headline, so the title is always left out. The html route calls the
    cleaner's own ``clean_html`` (the module-level ``clean_html`` with this cleaner's rules), so
    ``--rules`` and ``--no-default-rules`` apply on every track.
    """
    from cleaner.engine import site_of

    def on_text(text: str, url: str | None) -> str:
        return cleaner.clean(text, site=site_of(url), title=False).text

    def on_html(html: str, url: str | None) -> str:
        return cleaner.clean_html(html, url=url, title=False).text

    return System(
        name,
        {"txt": Route("txt", on_text), "scraped": Route("scraped", on_text), "html": Route("html", on_html)},
    )


def extraction_system(options: Mapping[str, Any], cleaner: Cleaner | None = None, name: str | None = None) -> System:
    """An html-track system: ``trafilatura.extract(html, **options)``, then the cleaner's rules.

    This is how to choose the trafilatura settings ``clean_html`` should use: score several
    with :func:`compare_extraction_settings`. Without a cleaner it scores the extraction alone.
    """
    from cleaner.engine import site_of

    def on_html(html: str, url: str | None) -> str:
        text = trafilatura_extract(html, url, **options)
        return cleaner.clean(text, site=site_of(url), title=False).text if cleaner else text

    label = name or "extract(" + ", ".join(f"{k}={v}" for k, v in options.items()) + ")"
    return System(label, {"html": Route("html", on_html)})


# Candidate settings for the html track. comments and tables stay out (the gold has neither)
# and deduplicate stays off (it keeps state across pages).
EXTRACTION_SETTINGS: Mapping[str, Mapping[str, Any]] = {
    "recall": RECALL_EXTRACTION,
    "balanced": {"include_comments": False, "include_tables": False, "deduplicate": False},
    "precision": PRECISION_EXTRACTION,
    "recall-fast": {**RECALL_EXTRACTION, "fast": True},
    "balanced-fast": {"include_comments": False, "include_tables": False, "deduplicate": False, "fast": True},
}


def compare_extraction_settings(
    set_dir: str | Path,
    cleaner: Cleaner | None = None,
    settings: Mapping[str, Mapping[str, Any]] = EXTRACTION_SETTINGS,
    cases: Sequence[Case] | None = None,
) -> list[SetScore]:
    """Score extraction + cleaner on the html track once per named trafilatura setting."""
    return [
        run(set_dir, extraction_system(options, cleaner, name=label), "html", cases)
        for label, options in settings.items()
    ]


# --- running -------------------------------------------------------------------------------


def score_case(case_id: str, output: str, gold: str, seconds: float = 0.0, input_bytes: int = 0) -> CaseScore:
    return CaseScore(case_id, score_lines(output, gold), score_tokens(output, gold), seconds, input_bytes)


def run(
    set_dir: str | Path,
    system: System,
    input_kind: InputKind = "txt",
    cases: Sequence[Case] | None = None,
) -> SetScore:
    """Run ``system`` over the cases sequentially, timing only its calls, and score them."""
    cases = load_cases(set_dir) if cases is None else cases
    route = system.route(input_kind)
    if cases:  # warm-up: imports, compiled patterns and caches are not the system's speed
        route.apply(cases[0].input(route.source), cases[0].url)
    scores = []
    for case in cases:
        text = case.input(route.source)
        started = time.perf_counter()
        output = route.apply(text, case.url)
        seconds = time.perf_counter() - started
        scores.append(score_case(case.id, output, case.gold, seconds, len(text.encode("utf-8"))))
    return SetScore(system.name, input_kind, tuple(scores))


# --- reports -------------------------------------------------------------------------------

_GROUPS = ("macro line", "macro token", "micro line", "micro token")


def _prfs(score: SetScore) -> tuple[Prf, ...]:
    return (score.macro_lines, score.macro_tokens, score.micro_lines, score.micro_tokens)


def _rate(value: float) -> str:
    """Speeds span six orders of magnitude (identity is nearly free): thousands lose decimals."""
    return f"{value:,.0f}" if value >= 1000 else f"{value:.2f}"


def format_table(scores: Sequence[SetScore]) -> str:
    """A plain-text table, one row per system."""
    width = max([len("system"), *(len(s.system) for s in scores)])
    group_heads = "".join(f"  {g:<17}" for g in _GROUPS)
    head = f"{'':<{width}}{group_heads}"
    columns = "".join("  P     R     F1   " for _ in _GROUPS)
    sub = f"{'system':<{width}}{columns}  {'docs/s':>10} {'MB/s':>8} {'ms/doc':>7}"
    rows = [head.rstrip(), sub, "-" * len(sub)]
    for score in scores:
        cells = "".join(f"  {p.precision:.3f} {p.recall:.3f} {p.f1:.3f}" for p in _prfs(score))
        rows.append(
            f"{score.system:<{width}}{cells}  {_rate(score.docs_per_second):>10} "
            f"{_rate(score.mb_per_second):>8} {score.ms_per_doc:7.2f}"
        )
    return "\n".join(rows)


def per_case(score: SetScore, n: int) -> str:
    """The ``n`` worst cases of a run by line F1 (then token F1), one line each."""
    worst = sorted(score.cases, key=lambda c: (c.lines.prf.f1, c.tokens.prf.f1, c.case_id))[:n]
    rows = [f"worst {len(worst)} cases for {score.system} (input {score.input_kind}):"]
    for c in worst:
        lines, toks = c.lines.prf, c.tokens.prf
        rows.append(
            f"  {c.case_id}  line P {lines.precision:.3f} R {lines.recall:.3f} F1 {lines.f1:.3f}"
            f"  token F1 {toks.f1:.3f}  lines out/gold/matched {c.lines.n_out}/{c.lines.n_gold}/{c.lines.matched}"
        )
    return "\n".join(rows)


def _non_blank(text: str) -> tuple[list[str], list[str]]:
    """The non-blank lines of ``text`` as written, and the same lines normalised."""
    pairs = [(line, normalized) for line in text.split("\n") if (normalized := normalize_line(line))]
    return [line for line, _ in pairs], [normalized for _, normalized in pairs]


SHOW_LEGEND = "  matched | ~ near match (ratio) | + kept, not in gold | - missed gold line"


def show_case(case: Case, output: str) -> str:
    """The output set against the gold, line by line, in output order.

    Each missed gold line is printed just before the first output line matched to a later
    gold line, so it appears roughly where the output should have had it.
    """
    out, out_normalized = _non_blank(output)
    gold, gold_normalized = _non_blank(case.gold)
    alignment = align_lines(out_normalized, gold_normalized)
    matched = {m.gold_index for m in alignment if m is not None}
    missed = deque(i for i in range(len(gold)) if i not in matched)
    rows = [f"case {case.id} ({case.url or 'no url'})", SHOW_LEGEND]
    for line, match in zip(out, alignment, strict=True):
        if match is None:
            rows.append(f"+ {line}")
            continue
        while missed and missed[0] < match.gold_index:
            rows.append(f"- {gold[missed.popleft()]}")
        rows.append(f"  {line}" if match.ratio == 1.0 else f"~ {line}  ({match.ratio:.3f})")
    rows.extend(f"- {gold[i]}" for i in missed)
    return "\n".join(rows)


def _prf_json(prf: Prf) -> dict[str, float]:
    return {"p": prf.precision, "r": prf.recall, "f1": prf.f1}


def _counts_json(counts: Counts) -> dict[str, Any]:
    return {"matched": counts.matched, "out": counts.n_out, "gold": counts.n_gold, **_prf_json(counts.prf)}


def score_to_dict(score: SetScore) -> dict[str, Any]:
    return {
        "system": score.system,
        "input": score.input_kind,
        "cases": len(score.cases),
        "macro": {"lines": _prf_json(score.macro_lines), "tokens": _prf_json(score.macro_tokens)},
        "micro": {"lines": _prf_json(score.micro_lines), "tokens": _prf_json(score.micro_tokens)},
        "throughput": {
            "seconds": score.seconds,
            "input_bytes": score.input_bytes,
            "docs_per_s": score.docs_per_second,
            "mb_per_s": score.mb_per_second,
            "ms_per_doc": score.ms_per_doc,
        },
        "per_case": [
            {"id": c.case_id, "lines": _counts_json(c.lines), "tokens": _counts_json(c.tokens), "seconds": c.seconds}
            for c in score.cases
        ],
    }


def to_json(scores: Sequence[SetScore], set_dir: str | Path | None = None) -> str:
    document = {"set": str(set_dir) if set_dir is not None else None, "systems": [score_to_dict(s) for s in scores]}
    return json.dumps(document, indent=1, ensure_ascii=False)


# --- command line --------------------------------------------------------------------------


def add_eval_parser(subparsers: Any) -> None:
    """Add ``cleaner eval`` to an argparse subparsers object (cli.py calls this)."""
    from .options import add_rule_options

    parser = subparsers.add_parser(
        "eval",
        help="score the cleaner (and baselines) on a benchmark set",
        description="Score the cleaner, and optionally baseline systems, on a benchmark set.",
    )
    parser.add_argument("set_dir", metavar="SET_DIR", help="folder of cases (<id>/input.txt, gold.txt, ...)")
    parser.add_argument("--input", choices=INPUT_KINDS, default="txt", help="which input to clean (default: txt)")
    parser.add_argument(
        "--baseline",
        action="append",
        default=[],
        metavar="NAME",
        help=f"also score a baseline: {', '.join(BASELINES)} (repeatable, or a comma list)",
    )
    parser.add_argument("--per-case", type=int, default=0, metavar="N", help="list the N worst cases per system")
    parser.add_argument("--json", metavar="FILE", help="write all scores, per case included, as JSON")
    parser.add_argument("--show", metavar="CASE", help="print the cleaner's output for CASE against the gold")
    add_rule_options(parser)
    parser.add_argument("--limit", type=int, metavar="N", help="use only the first N cases")
    parser.add_argument(
        "--half",
        choices=HALVES,
        help="use only one half of the set split by host (develop a rule on one, check it on the other)",
    )
    parser.set_defaults(func=run_eval_command)


def _baseline_names(values: Sequence[str]) -> list[str]:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return list(dict.fromkeys(names))  # keep order, drop repeats


def _usage_error(message: str, stderr: TextIO) -> int:
    print(f"cleaner eval: {message}", file=stderr)
    return 2


def run_eval_command(
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Carry out ``cleaner eval``: 0 on success, 2 on a usage error or bad rules.

    The streams are optional so that cli.py can call this like its other commands
    (``func(args, stdin, stdout, stderr)``); stdin is not read.
    """
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    set_dir = Path(args.set_dir)
    if not set_dir.is_dir():
        return _usage_error(f"no such set directory: {set_dir}", stderr)
    cases = load_cases(set_dir)
    if not cases:
        return _usage_error(f"no cases (folders with gold.txt) in {set_dir}", stderr)
    if args.half is not None:
        cases = [c for c in cases if c.half == args.half]
    if args.limit is not None:
        if args.limit < 1:
            return _usage_error("--limit must be at least 1", stderr)
        cases = cases[: args.limit]
    names = _baseline_names(args.baseline)
    unknown = [name for name in names if name not in BASELINES]
    if unknown:
        return _usage_error(f"unknown baseline {', '.join(unknown)} (expected: {', '.join(BASELINES)})", stderr)
    shown = next((c for c in cases if c.id == args.show), None) if args.show else None
    if args.show and shown is None:
        scope = f"the first {len(cases)} cases of " if args.limit is not None else ""
        return _usage_error(f"no case {args.show!r} in {scope}{set_dir}", stderr)

    from .options import load_cleaner

    cleaner = load_cleaner(args, stderr)
    if cleaner is None:
        return 2
    ours = cleaner_system(cleaner)
    systems = [ours, *(BASELINES[name] for name in names)]
    scores = [run(set_dir, system, args.input, cases) for system in systems]

    half = f"  half {args.half}" if args.half else ""
    print(f"set {set_dir}  input {args.input}{half}  {len(cases)} cases", file=stdout)
    print(format_table(scores), file=stdout)
    if args.per_case > 0:
        for score in scores:
            print(file=stdout)
            print(per_case(score, args.per_case), file=stdout)
    if shown is not None:
        route = ours.route(args.input)
        print(file=stdout)
        print(show_case(shown, route.apply(shown.input(route.source), shown.url)), file=stdout)
    if args.json:
        Path(args.json).write_text(to_json(scores, set_dir) + "\n", encoding="utf-8")
    return 0
