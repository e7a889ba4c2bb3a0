"""Parquet in and out: order kept, other columns passed through, bad rows reported and left out,
timed-out rows kept unchanged and reported, guard warnings named by row: as for JSONL."""

from __future__ import annotations

import json

import pytest
from helpers import EVERYTHING, FURNITURE, HANGS, NESTED, PROSE, SEEDS, run_cli, write_rules

from cleaner import Cleaner, default_cleaner

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


def test_timed_out_row_is_kept_unchanged_and_reported_by_row(tmp_path):
    rules = write_rules(tmp_path, NESTED)
    texts = ["\n".join([*PROSE[:3], FURNITURE]), f"{PROSE[0]}\n\n{FURNITURE}\n{HANGS}", "\n".join(PROSE)]
    pq.write_table(pa.table({"id": [1, 2, 3], "text": texts}), tmp_path / "part.parquet", row_group_size=1)
    errors = tmp_path / "errors.jsonl"
    result = run_cli(
        "clean", str(tmp_path / "part.parquet"), "-o", str(tmp_path / "out"), "--rules", str(rules),
        "--with-removed", "--errors", str(errors), "-j", "1",
    )
    assert result.code == 1
    out = pq.read_table(tmp_path / "out" / "part.parquet").to_pylist()
    assert [r["id"] for r in out] == [1, 2, 3]  # the row is kept, in its place
    assert out[0]["text"] == Cleaner([rules]).clean(texts[0]).text == "\n".join(PROSE[:3]) and out[0]["removed"]
    assert out[1]["text"] == f"{PROSE[0]}\n{FURNITURE}\n{HANGS}" and out[1]["removed"] == []
    [failure] = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert failure["source"] == str(tmp_path / "part.parquet") and failure["record"] == 2
    assert "'nested-plus'" in failure["error"]
    assert "3 documents in, 2 written, 1 failed (1 written unchanged" in result.err


def test_guard_warning_names_the_row(tmp_path):
    rules = write_rules(tmp_path, EVERYTHING)
    pq.write_table(pa.table({"text": ["1234", "\n".join(PROSE)]}), tmp_path / "part.parquet")
    result = run_cli("clean", str(tmp_path / "part.parquet"), "-o", str(tmp_path / "out"), "--rules", str(rules), "-j", "2")
    assert result.code == 0
    assert f"{tmp_path / 'part.parquet'}:2: warning: guard: rule 'eats-everything'" in result.err
    assert "1 kept whole by the removal guard" in result.err
    assert pq.read_table(tmp_path / "out" / "part.parquet").column("text").to_pylist() == ["1234", "\n".join(PROSE)]
