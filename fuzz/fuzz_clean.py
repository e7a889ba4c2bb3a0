"""Fuzz target (atheris): any text, or any bytes through the decoder, cleaned by the shipped rules.

Run on demand with `tox -e fuzz`, or by hand:
    python fuzz/fuzz_clean.py -max_total_time=60 WORK_CORPUS fuzz/corpus/clean

Cleaning accepts no exception at all: not even a rule timeout, since a shipped rule that can
time out is a bug in that rule. Decoding bytes may refuse them (`DocumentError`, a binary file),
which is the documented answer, and then nothing is cleaned. Beyond not raising, each result
must keep the cleaner's promises: the kept paragraphs are the input's normalised paragraphs in
order, less the removed ones, and the removals point at real input lines.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["cleaner"]):
    from cleaner.engine import Cleaner
    from cleaner.files import decode
    from cleaner.model import DocumentError

CLEANER = Cleaner()
SITES = (None, "example.com", "bbc.co.uk", "www.theguardian.com")


def check(text: str, site: str | None, title: bool) -> None:
    result = CLEANER.clean(text, site=site, title=title)
    paragraphs = [line.strip() for line in CLEANER.normalize(text, site=site).split("\n") if line.strip()]
    kept = iter(paragraphs)
    for paragraph in result.paragraphs:  # a subsequence: nothing invented, nothing reordered
        if not any(paragraph == candidate for candidate in kept):
            raise AssertionError(f"kept paragraph not in the input, or out of order: {paragraph!r}")
    if len(result.paragraphs) + len(result.removed) != len(paragraphs):
        raise AssertionError("kept and removed paragraphs do not add up to the input's")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for removal in result.removed:
        if not 1 <= removal.line <= len(lines) or not removal.rule_id:
            raise AssertionError(f"removal points nowhere: {removal!r}")


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    mode = provider.ConsumeIntInRange(0, 3)
    site = SITES[provider.ConsumeIntInRange(0, len(SITES) - 1)]
    title = provider.ConsumeBool()
    if mode == 0:  # the rest as bytes, read as a file would be
        try:
            text = decode(provider.ConsumeBytes(provider.remaining_bytes())).text
        except DocumentError:
            return
    elif mode == 1:  # lines of ASCII-ish text: closer to the rules' phrases
        text = provider.ConsumeString(provider.remaining_bytes())
    else:  # any Unicode
        text = provider.ConsumeUnicodeNoSurrogates(provider.remaining_bytes())
    check(text, site, title)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
