"""Where the time of `clean()` goes, phase by phase (a script, not a test).

    python bench/phases.py [--input txt|scraped] [--passes 5] [--rules 12]

Cleans every ../shared/bench/dev/*/input.txt (or input_scraped.txt) once to warm the compile
caches, then times in CPU seconds, over `--passes` passes of the whole set:

- `clean()` as a user calls it (title kept);
- normalisation alone; normalisation and the split into stripped paragraphs;
- the trigger scan alone, on the paragraphs;
- each dropping rule's `select` on the first pass, on the page the engine gives it (a rule with
  triggers only when the scan put some flagged paragraph down to it), by the wall clock: a
  CPU-time read costs ~0.6 µs here, as much as many a rule's whole answer;
- what is left: the later passes, the guard, the title, joining the output.

Each phase is shown as µs per document and as a share of `clean()`, with MB/s where it is a
whole phase. Profile before optimising: `throughput.py` says how fast, this says where.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLEANER_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO))

from cleaner import default_cleaner  # noqa: E402
from cleaner.engine import candidates_by_rule  # noqa: E402
from cleaner.kinds import Page  # noqa: E402


def cpu_seconds(work: Callable[[], object], passes: int) -> float:
    start = time.process_time()
    for _ in range(passes):
        work()
    return (time.process_time() - start) / passes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", choices=("txt", "scraped"), default="txt")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--rules", type=int, default=12, help="how many of the dearest rules to list")
    args = parser.parse_args()
    name = "input.txt" if args.input == "txt" else "input_scraped.txt"
    documents = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "bench" / "dev").glob(f"*/{name}"))]
    if not documents:
        sys.exit(f"no {name} under {SHARED / 'bench' / 'dev'}")
    cleaner = default_cleaner()
    for text in documents:
        cleaner.clean(text)
    size, count = sum(len(t.encode("utf-8")) for t in documents), len(documents)

    def split(text: str) -> list[str]:
        return [s for s in (line.strip() for line in cleaner.normalize(text).split("\n")) if s]

    pages = [split(t) for t in documents]
    timeout = cleaner.time_limit(max(len(t) for t in documents))
    flags = [cleaner._tiers.flag(texts, timeout) for texts in pages]

    def each_rule() -> Counter[str]:
        spent: Counter[str] = Counter()
        for texts, flagged in zip(pages, flags, strict=True):
            candidates = tuple(sorted(flagged))
            by_rule = candidates_by_rule(candidates, flagged)
            for rule in cleaner._asked[bool(flagged), False]:
                own = cleaner._candidates_of(rule, candidates, by_rule)
                if own is None:
                    continue  # the engine does not ask a rule about paragraphs that are not its own
                start = time.perf_counter()
                list(rule.select(Page(texts, own, timeout)))
                spent[rule.meta.id] += time.perf_counter() - start
        return spent

    total = cpu_seconds(lambda: [cleaner.clean(t) for t in documents], args.passes)
    normalize = cpu_seconds(lambda: [cleaner.normalize(t) for t in documents], args.passes)
    normalize_split = cpu_seconds(lambda: [split(t) for t in documents], args.passes)
    scan = cpu_seconds(lambda: [cleaner._tiers.flag(p, timeout) for p in pages], args.passes)
    rules: Counter[str] = Counter()
    for _ in range(args.passes):
        rules.update(each_rule())
    for rule_id in rules:
        rules[rule_id] /= args.passes
    selects = sum(rules.values())
    rest = total - normalize_split - scan - selects

    def row(what: str, seconds: float, whole: bool = True) -> None:
        rate = f"{size / seconds / 1e6:8.1f}" if whole and seconds > 0 else " " * 8
        print(f"{what:44} {seconds / count * 1e6:9.1f} {seconds / total:7.0%} {rate}")

    print(f"{count} documents ({name}), {size / 1e6:.2f} MB, {args.passes} passes, CPU time")
    print(f"{'phase':44} {'µs/doc':>9} {'share':>7} {'MB/s':>8}")
    row("clean()", total)
    row("normalise", normalize)
    row("split into paragraphs", normalize_split - normalize)
    row("trigger scan", scan)
    row("rules' select, first pass", selects)
    for rule_id, seconds in rules.most_common(args.rules):
        row(f"  {rule_id}", seconds, whole=False)
    row("the rest (later passes, guard, title, join)", rest, whole=False)


if __name__ == "__main__":
    main()
