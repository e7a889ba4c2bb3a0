"""Byte-identical outputs before and after a speed change (a script, not a test).

    python bench/check_identical.py save OUT.json [--code DIR] [--rules DIR] [--per-paragraph-scan]
    python bench/check_identical.py compare BEFORE.json AFTER.json

`save` cleans every ../shared/bench/dev/*/input.txt and input_scraped.txt and the seeds, with
site None and title True and False, and writes each result (kept text, title, removals,
warnings) to OUT.json. `--code DIR` imports `cleaner` from DIR (a snapshot of an earlier
version) instead of this checkout; `--rules DIR` loads the rules from DIR (default: this
checkout's rules/), so that a snapshot and the checkout can be run on the very same rules while
another helper edits them. `--per-paragraph-scan` replaces the engine's whole-document candidate
scan with one combined-pattern call per paragraph (the scan before `TriggerScan.candidates`).

`compare` prints every case whose result differs and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLEANER_SHARED", REPO.parent / "shared"))


def inputs() -> list[tuple[str, str]]:
    """(name, text) of every dev input (txt and scraped), then the seeds."""
    found = []
    for path in sorted((SHARED / "bench" / "dev").glob("*/input*.txt")):
        found.append((f"{path.parent.name}/{path.name}", path.read_text(encoding="utf-8")))
    for path in sorted((REPO / "seeds").glob("*.txt")):
        found.append((f"seeds/{path.name}", path.read_text(encoding="utf-8")))
    return found


def save(out: Path, code: Path | None, rules: Path, per_paragraph_scan: bool) -> None:
    sys.path.insert(0, str(code or REPO))
    from cleaner import engine

    if per_paragraph_scan:
        def one_call_per_paragraph(self, texts, timeout=None):  # type: ignore[no-untyped-def]
            return tuple(i for i, t in enumerate(texts) if self(t, timeout))

        def every_source_per_paragraph(self, texts, timeout=None):  # type: ignore[no-untyped-def]
            return {i: (self.sources,) for i, t in enumerate(texts) if self(t, timeout)}

        # The scan lives in cleaner.scan; snapshots older than that kept it in cleaner.engine.
        # Snapshots since the scan names the rules of each flagged paragraph call `flag`.
        try:
            from cleaner.scan import TriggerScan
        except ImportError:
            TriggerScan = engine.TriggerScan  # type: ignore[attr-defined]
        TriggerScan.candidates = one_call_per_paragraph  # type: ignore[method-assign]
        if hasattr(TriggerScan, "flag"):
            TriggerScan.flag = every_source_per_paragraph  # type: ignore[method-assign]
    cleaner = engine.Cleaner([rules], defaults=False)
    results = {}
    for name, text in inputs():
        for title in (True, False):
            cleaned = cleaner.clean(text, title=title)
            results[f"{name} title={title}"] = {
                "text": cleaned.text,
                "title": cleaned.title,
                "removed": [[r.line, r.text, r.rule_id, r.why] for r in cleaned.removed],
                "warnings": list(cleaned.warnings),
            }
    out.write_text(json.dumps(results, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(results)} results from {engine.__file__} -> {out}")


def compare(before: Path, after: Path) -> int:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    differing = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    for key in differing:
        print(f"differs: {key}")
    print(f"{len(old)} vs {len(new)} results, {len(differing)} differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    saving = commands.add_parser("save")
    saving.add_argument("out", type=Path)
    saving.add_argument("--code", type=Path)
    saving.add_argument("--rules", type=Path, default=REPO / "rules")
    saving.add_argument("--per-paragraph-scan", action="store_true")
    comparing = commands.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "save":
        save(args.out, args.code, args.rules, args.per_paragraph_scan)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
