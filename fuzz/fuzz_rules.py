"""Fuzz target (atheris): any bytes as a rule file, loaded as `cleaner rules check` loads it.

Run on demand with `tox -e fuzz`, or by hand:
    python fuzz/fuzz_rules.py -max_total_time=60 WORK_CORPUS fuzz/corpus/rules

The loader's one expected failure is `RuleError`, which lists every problem with a position;
any other exception (a YAML error that slips through, a crash in a converter) is a bug, and so
is a hang. A rule file that loads is then used: a cleaner built from it cleans a few documents,
where a rule timing out (`RuleTimeout`: a fuzzed pattern may well backtrack) is the documented
answer and anything else is a bug.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["cleaner"]):
    from cleaner.engine import Cleaner
    from cleaner.loader import load_rules
    from cleaner.model import RuleError, RuleTimeout

# One file, rewritten for each input: the loader reads paths, as the CLI gives it.
FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-rules-"))
RULE_FILE = FOLDER / "fuzzed.yaml"
DOCUMENTS = (
    "Read more:\nA link title\nThe article says this.",
    "Headline of the story\nBy Jane Doe\nFirst paragraph.\nShare this article\nCopyright 2024 Example Ltd",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n\n\t \n",
)


def test_one_input(data: bytes) -> None:
    RULE_FILE.write_bytes(data)
    try:
        ruleset = load_rules([RULE_FILE], defaults=False)
    except RuleError as error:
        if not error.problems:
            raise AssertionError("RuleError without a problem") from error
        return
    cleaner = Cleaner(ruleset=ruleset, regex_timeout=0.05, use_cache=False)  # fuzzed patterns stay out of the cache
    for document in DOCUMENTS:
        try:
            cleaner.clean(document)
        except RuleTimeout:
            pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
