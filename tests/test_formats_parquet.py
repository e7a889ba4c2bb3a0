"""Parquet in and out: order kept, other columns passed through, bad rows reported and left out."""

from __future__ import annotations

import json

import pytest
from helpers import SEEDS, run_cli

from cleaner import default_cleaner

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_parquet_round_trip(tmp_path, jobs):
    count = 250
    texts = [SEED_TEXTS[n % len(SEED_TEXTS)] for n in range(count)]
    texts[7] = None  # a row without text: reported, left out
    table = pa.table({"id": list(range(count)), "text": texts, "lang": ["en"] * count})
    pq.write_table(table, tmp_path / "part.parquet", row_group_size=64)
    errors = tmp_path / "errors.jsonl"
    result = run_cli(
        "clean", str(tmp_path / "part.parquet"), "-o", str(tmp_path / "out"), "-j", jobs,
        "--out-field", "clean", "--with-removed", "--errors", str(errors), "-q",
    )
    assert result.code == 1, result.err
    out = pq.read_table(tmp_path / "out" / "part.parquet").to_pylist()
    assert [r["id"] for r in out] == [n for n in range(count) if n != 7]
    assert all(r["lang"] == "en" and r["text"] == texts[r["id"]] for r in out)
    assert [r["clean"] for r in out] == [default_cleaner().clean(texts[r["id"]]).text for r in out]
    assert [len(r["removed"]) for r in out] == [len(default_cleaner().clean(texts[r["id"]]).removed) for r in out]
    [failure] = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert failure["record"] == 8 and "field 'text' is missing" in failure["error"]
