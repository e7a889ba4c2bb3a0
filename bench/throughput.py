"""Throughput of `cleaner` against the floor and its peers, in one run (a script, not a test).

    python bench/throughput.py [--mb 200] [--big-mb 1000] [--rounds 2] [--html-docs 100] [--work DIR]

Builds a JSONL corpus of at least `--mb` MB from ../shared/bench/dev/*/input.txt and the seeds
(records repeated in order, each with an id and a URL), then reports, MB/s and documents/s:

- `clean()` in-process on the seeds, and on the dev `input.txt` pages, each repeated to at
  least 50 MB (each in-process row, the floor's too: the faster of two rounds);
- the floor: read, split into lines, strip, join, write the same corpus, same process model
  (JSONL parsed and written back, one process);
- `cleaner clean corpus.jsonl -o OUT -j 1` and `-j 2` (the CLI, wall clock, as a user runs it),
  alternated for `--rounds` rounds, best of each: this machine's speed drifts from minute to
  minute, and a single pair of runs put the `-j 2` ratio anywhere from 1.5x to 1.7x;
- peers on the same text in-process: a C4-style line filter (as datatrove implements it),
  datatrove's own C4QualityFilter when datatrove is installed, and jusText; trafilatura on the HTML pages for the HTML track (`--html-docs` pages);
- peak RSS of the CLI at `--mb` and at `--big-mb` (0 skips the big run), where `-j 1` and
  `-j 2` run once more: there the build every run pays first weighs a fifth as much, so the
  ratio is the one a long batch sees;
- that build on its own: `cleaner clean` of a one-record file, first with an empty pattern-facts
  folder (`cleaner.derived`), as the first run after installing or changing the rules, then
  with the folder that run filled, as every later run.
The bench keeps the facts file in `WORK/cleaner-cache`, emptied when it starts: the first
in-process build fills it, so every timed CLI run is a later run.
CPU time is shown beside wall time: on a shared machine it is the steadier figure.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLEANER_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO))

from cleaner import default_cleaner  # noqa: E402
from cleaner.baselines import c4_filter, justext_text  # noqa: E402


def dev_texts() -> list[tuple[str, str]]:
    """(url, text) of every dev input.txt, then the seeds."""
    found = []
    for case in sorted((SHARED / "bench" / "dev").glob("*/input.txt")):
        meta = json.loads((case.parent / "meta.json").read_text(encoding="utf-8"))
        found.append((meta.get("url", ""), case.read_text(encoding="utf-8")))
    found += [("", p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]
    return found


def build_corpus(path: Path, megabytes: int, texts: list[tuple[str, str]]) -> tuple[int, int]:
    """Write records until the file holds `megabytes` MB; returns (bytes, documents)."""
    size, count = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while size < megabytes * 1_000_000:
            for url, text in texts:
                line = json.dumps({"id": count, "url": url, "text": text}, ensure_ascii=False) + "\n"
                out.write(line)
                size += len(line.encode("utf-8"))
                count += 1
    return size, count


def timed(work: Callable[[], object]) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - start, time.process_time() - cpu


def in_process(
    name: str, function: Callable[[str], object], texts: list[str], rows: list[list[str]], rounds: int = 2
) -> None:
    """`function` over `texts`, `rounds` times; the row reports the fastest round (least wall
    time), as `cli_rows` does, since the machine's speed drifts within a run."""
    size = sum(len(t.encode("utf-8")) for t in texts)
    wall, cpu = min(timed(lambda: [function(t) for t in texts]) for _ in range(rounds))
    rows.append([name, f"{size / wall / 1e6:.1f}", f"{len(texts) / wall:,.0f}", f"{size / cpu / 1e6:.1f}", "", ""])


def datatrove_line_filter() -> Callable[[str], str] | None:
    """datatrove's C4QualityFilter itself, when datatrove is installed (`pip install .[bench]`),
    with its line rules only (`min_num_sentences=-1`, as `cleaner.baselines.c4_filter` has
    them; it keeps its per-line stats counters, as in a pipeline): the peer the issue names,
    beside the stand-in that `cleaner eval --baseline c4` uses. Its default also counts the
    sentences of every kept line with spaCy, which runs at about 0.5 MB/s here."""
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters.c4_filters import C4QualityFilter
    except ImportError:
        return None
    line_rules = C4QualityFilter(min_num_sentences=-1)

    def run(text: str) -> str:
        document = Document(text=text, id="0")
        return document.text if line_rules.filter(document) is True else ""

    return run


def floor(corpus: Path, out: Path) -> None:
    """The least any cleaner must do: parse, split into lines, strip, join, write."""
    with corpus.open("rb") as source, out.open("w", encoding="utf-8") as sink:
        for line in source:
            record = json.loads(line)
            record["text"] = "\n".join(s for s in (p.strip() for p in record["text"].split("\n")) if s)
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_cli(corpus: Path, out: Path, jobs: int) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (all processes) and peak RSS (KB) of one CLI run."""
    command = [sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out), "-j", str(jobs), "-q"]
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"subprocess.run({command!r}, check=True)\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(time.perf_counter() - t, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    wall, cpu, rss = result.stdout.split()
    return float(wall), float(cpu), int(rss)


def startup_rows(work: Path, texts: list[tuple[str, str]], rows: list[list[str]]) -> None:
    """The CLI's wall time on a one-record file with an empty facts folder, then with the folder
    that run filled: the fixed cost of a run, with and without the build's partial matching."""
    one = work / "one.jsonl"
    url, text = texts[0]
    one.write_text(json.dumps({"id": 0, "url": url, "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    cache = Path(os.environ["CLEANER_CACHE_DIR"])
    fresh = work / "cleaner-cache-startup"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        os.environ["CLEANER_CACHE_DIR"] = str(fresh)
        for label in ("empty facts folder", "facts file from the run before"):
            wall, _cpu, rss = run_cli(one, work / "one-out", 1)
            rows.append([f"startup: cleaner clean, one record, -j 1 ({label}): {wall:.2f} s", "", "", "", f"{rss / 1024:.0f}", ""])
    finally:
        os.environ["CLEANER_CACHE_DIR"] = str(cache)
        shutil.rmtree(fresh, ignore_errors=True)
        one.unlink()
        shutil.rmtree(work / "one-out", ignore_errors=True)


def cli_rows(corpus: Path, size: int, count: int, work: Path, rounds: int, rows: list[list[str]]) -> None:
    """`-j 1` and `-j 2` over `corpus`, alternated for `rounds` rounds: a row each for the best
    (least wall time) of its runs, with every run's wall time, the highest peak RSS of its runs,
    and `-j 2`'s ratio of the bests. The outputs are deleted after each run."""
    walls: dict[int, list[tuple[float, float, int]]] = {1: [], 2: []}
    for _ in range(rounds):
        for jobs in (1, 2):
            out = work / f"out-j{jobs}"
            walls[jobs].append(run_cli(corpus, out, jobs))
            shutil.rmtree(out, ignore_errors=True)
    single = min(walls[1])[0]
    for jobs, runs in walls.items():
        wall, cpu, _ = min(runs)
        peak = max(rss for _, _, rss in runs)
        times = ", ".join(f"{w:.1f}" for w, _, _ in runs)
        label = f"best of {times} s" if len(runs) > 1 else f"{times} s"
        rows.append([f"cleaner clean -j {jobs} ({size / 1e6:.0f} MB JSONL; {label})",
                     f"{size / wall / 1e6:.1f}", f"{count / wall:,.0f}", f"{size / cpu / 1e6:.1f}",
                     f"{peak / 1024:.0f}", f"{single / wall:.2f}x"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--big-mb", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2, help="alternated -j 1 / -j 2 runs on the --mb corpus")
    parser.add_argument("--html-docs", type=int, default=100)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    work = args.work or Path(tempfile.mkdtemp(prefix="cleaner-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / "cleaner-cache", ignore_errors=True)
    os.environ["CLEANER_CACHE_DIR"] = str(work / "cleaner-cache")
    os.environ.pop("CLEANER_NO_CACHE", None)
    texts = dev_texts()
    cleaner = default_cleaner()  # fills the facts file (see the docstring)
    rows: list[list[str]] = []

    seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    seed_size = sum(len(s.encode("utf-8")) for s in seeds)
    in_process("clean() on the seeds, 50 MB", cleaner.clean, seeds * (50_000_000 // seed_size + 1), rows)
    dev_docs = [t for _, t in texts if t]
    dev_docs = dev_docs * (50_000_000 // sum(len(t.encode("utf-8")) for t in dev_docs) + 1)
    in_process("clean() on input.txt, 50 MB", cleaner.clean, dev_docs, rows)
    in_process("C4-style line filter (datatrove's rules)", c4_filter, dev_docs[: len(dev_docs) // 4], rows)
    datatrove_c4 = datatrove_line_filter()
    if datatrove_c4 is not None:
        in_process("datatrove's own C4QualityFilter, line rules", datatrove_c4, dev_docs[: len(dev_docs) // 4], rows)
    in_process("jusText on the same text", justext_text, dev_docs[: len(texts)], rows)

    corpus = work / "corpus.jsonl"
    size, count = build_corpus(corpus, args.mb, texts)
    wall, cpu = min(timed(lambda: floor(corpus, work / "floor.jsonl")) for _ in range(2))
    rows.append([f"floor: parse, split, join, write ({size / 1e6:.0f} MB JSONL)", f"{size / wall / 1e6:.1f}",
                 f"{count / wall:,.0f}", f"{size / cpu / 1e6:.1f}", "", ""])
    startup_rows(work, texts, rows)
    cli_rows(corpus, size, count, work, args.rounds, rows)
    if args.big_mb:
        big = work / "big.jsonl"
        big_size, big_count = build_corpus(big, args.big_mb, texts)
        cli_rows(big, big_size, big_count, work, 1, rows)
        big.unlink()

    if args.html_docs:
        pages = sorted((SHARED / "bench" / "dev").glob("*/page.html.gz"))[: args.html_docs]
        html = [gzip.decompress(p.read_bytes()).decode("utf-8", errors="replace") for p in pages]
        from cleaner.engine import extract_html

        in_process("HTML: trafilatura extract alone", extract_html, html, rows)
        in_process("HTML: cleaner.clean_html (trafilatura + rules)", cleaner.clean_html, html, rows)

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    header = ["what", "MB/s", "docs/s", "MB/s per CPU-s", "peak RSS MB", "vs -j 1"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
