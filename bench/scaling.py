"""How much two processes can give on this machine, without `cleaner`'s batch path (a script,
not a test).

    python bench/scaling.py [--seconds 20] [--rounds 2]

Each round runs `clean()` over the dev `input.txt` pages for `--seconds` in one process, then in
two processes at once (forked, each with its own warmed `Cleaner`, no files, pipes or JSON), and
prints the documents per second of each and their ratio. It is the ceiling `-j 2` is measured
against: when two bare processes give about 2x and `cleaner clean -j 2` gives less, the
difference is the batch path's (the build before the fork, the parent's reading and writing,
memos filled per worker), not the machine's.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLEANER_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO))

from cleaner import default_cleaner  # noqa: E402


def documents() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted((SHARED / "bench" / "dev").glob("*/input.txt"))]


def clean_for(seconds: float, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """Documents per second of one warmed process cleaning the dev pages over and over."""
    cleaner, texts = default_cleaner(), documents()
    for text in texts:
        cleaner.clean(text)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            cleaner.clean(text)
        done += len(texts)
    results.put(done / (time.perf_counter() - start))


def rate(processes: int, seconds: float) -> float:
    """Documents per second of `processes` processes cleaning at the same time, in all."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=clean_for, args=(seconds, results)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    total = sum(results.get() for _ in workers)
    for worker in workers:
        worker.join()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for _ in range(args.rounds):
        one, two = rate(1, args.seconds), rate(2, args.seconds)
        print(f"one process {one:,.0f} docs/s, two processes {two:,.0f} docs/s: {two / one:.2f}x", flush=True)


if __name__ == "__main__":
    main()
