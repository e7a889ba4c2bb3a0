"""The CLI honours the engine's two safety nets.

A rule that times out (a catastrophic pattern): the document is written unchanged (normalised,
one paragraph a line, nothing removed) and counted as failed, with one line naming the file
and the rule; in JSONL the record is kept, its text unchanged, and the failure goes to --errors.
A rule that would remove most of a document trips the guard: the document is written whole,
and a warning naming the file and the rule is printed (unless -q) and counted in the summary.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import EVERYTHING, FURNITURE, HANGS, NESTED, PROSE, run_cli, write_rules


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    # Untidy on purpose: CRLF, a blank line, leading spaces and a furniture line the shipped
    # rules would remove, to show what "unchanged" keeps.
    (folder / "slow.txt").write_bytes(
        ("  " + PROSE[0] + "\r\n\r\n" + FURNITURE + "\r\n" + HANGS + "\r\n" + PROSE[1] + "\r\n").encode()
    )
    (folder / "good.txt").write_text("\n".join([*PROSE, FURNITURE]) + "\n", encoding="utf-8")
    return folder


def test_timed_out_file_is_written_unchanged_and_counted_failed(tmp_path: Path, inputs: Path) -> None:
    rules = write_rules(tmp_path, NESTED)
    out = tmp_path / "out"
    run = run_cli("clean", str(inputs), "-o", str(out), "--rules", str(rules), "-j", "1")
    assert run.code == 1
    lines = [line for line in run.err.splitlines() if "slow.txt" in line]
    assert len(lines) == 1
    assert "error" in lines[0] and "'nested-plus'" in lines[0] and "timed out" in lines[0] and "line 4" in lines[0]
    # every paragraph kept, furniture too: normalised (stripped, LF, no blank lines) only
    assert (out / "slow.txt").read_text(encoding="utf-8") == "\n".join([PROSE[0], FURNITURE, HANGS, PROSE[1]]) + "\n"
    assert (out / "good.txt").read_text(encoding="utf-8").splitlines() == PROSE  # cleaned as ever
    assert "2 documents in, 1 written, 1 failed (1 written unchanged: a rule timed out)" in run.err


def test_timed_out_file_keeps_blank_lines_option(tmp_path: Path, inputs: Path) -> None:
    rules = write_rules(tmp_path, NESTED)
    out = tmp_path / "out"
    run = run_cli("clean", str(inputs / "slow.txt"), "-o", str(out), "--rules", str(rules), "--blank-lines", "-q")
    assert run.code == 1 and run.err.count("\n") == 1  # -q: the error line only
    assert (out / "slow.txt").read_text(encoding="utf-8").split("\n\n")[0] == PROSE[0]


def test_timed_out_stdin_text_is_written_unchanged(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, NESTED)
    run = run_cli("clean", "-", "--rules", str(rules), stdin=f"{PROSE[0]}\n{FURNITURE}\n{HANGS}\n".encode())
    assert run.code == 1
    assert run.out == f"{PROSE[0]}\n{FURNITURE}\n{HANGS}\n"
    assert "<stdin>: error: rule 'nested-plus' timed out" in run.err


def test_timed_out_jsonl_record_is_kept_unchanged_and_reported(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, NESTED)
    shard = tmp_path / "in.jsonl"
    records = [
        {"id": 1, "text": "\n".join([*PROSE[:3], FURNITURE])},
        {"id": 2, "text": f"{PROSE[0]}\n\n{FURNITURE}\n{HANGS}"},
        {"id": 3, "text": "\n".join(PROSE)},
    ]
    shard.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    errors = tmp_path / "errors.jsonl"
    out = tmp_path / "out"
    run = run_cli(
        "clean", str(shard), "-o", str(out), "--rules", str(rules), "--errors", str(errors), "--with-removed", "-j", "1"
    )
    assert run.code == 1
    written = [json.loads(line) for line in (out / "in.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in written] == [1, 2, 3]  # the record is kept, in its place
    assert written[0]["text"] == "\n".join(PROSE[:3]) and written[0]["removed"]
    assert written[1]["text"] == f"{PROSE[0]}\n{FURNITURE}\n{HANGS}" and written[1]["removed"] == []
    reported = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert len(reported) == 1 and reported[0]["source"] == str(shard) and reported[0]["record"] == 2
    assert "'nested-plus'" in reported[0]["error"]
    assert "3 documents in, 2 written, 1 failed (1 written unchanged" in run.err


def test_timed_out_record_on_stdin_jsonl(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, NESTED)
    stdin = json.dumps({"text": HANGS}) + "\n" + json.dumps({"text": PROSE[0]}) + "\n"
    run = run_cli("clean", "-", "--rules", str(rules), stdin=stdin.encode())
    assert run.code == 1
    assert [json.loads(line)["text"] for line in run.out.splitlines()] == [HANGS, PROSE[0]]
    assert "<stdin>:1: error: rule 'nested-plus' timed out" in run.err


def test_guard_warning_names_file_and_rule_and_is_counted(tmp_path: Path, inputs: Path) -> None:
    (inputs / "slow.txt").unlink()
    (inputs / "short.txt").write_text("1234\n5678\n", encoding="utf-8")  # nothing for the rule to eat
    rules = write_rules(tmp_path, EVERYTHING)
    out = tmp_path / "out"
    run = run_cli("clean", str(inputs), "-o", str(out), "--rules", str(rules), "-j", "1")
    assert run.code == 0  # the guard keeps the document; that is a warning, not a failure
    warnings = [line for line in run.err.splitlines() if ": warning: " in line]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{inputs / 'good.txt'}: warning: guard: rule 'eats-everything'")
    assert "kept whole" in warnings[0]
    # kept whole: even the furniture that the shipped rules alone would have removed
    assert (out / "good.txt").read_text(encoding="utf-8").splitlines() == [*PROSE, FURNITURE]
    assert "2 documents in, 2 written, 0 failed, 1 kept whole by the removal guard" in run.err


def test_guard_warning_in_jsonl_names_the_record(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, EVERYTHING)
    shard = tmp_path / "in.jsonl"
    shard.write_text(json.dumps({"text": "1234"}) + "\n" + json.dumps({"text": "\n".join(PROSE)}) + "\n")
    run = run_cli("clean", str(shard), "-o", str(tmp_path / "out"), "--rules", str(rules), "-j", "2")
    assert run.code == 0
    assert f"{shard}:2: warning: guard: rule 'eats-everything'" in run.err
    assert "1 kept whole by the removal guard" in run.err


def test_quiet_silences_guard_warnings_but_not_errors(tmp_path: Path, inputs: Path) -> None:
    rules = write_rules(tmp_path, EVERYTHING + NESTED)
    run = run_cli("clean", str(inputs), "-o", str(tmp_path / "out"), "--rules", str(rules), "-q")
    assert run.code == 1
    assert "warning" not in run.err and "documents in" not in run.err
    assert run.err.splitlines() == [line for line in run.err.splitlines() if "slow.txt: error: " in line]
    assert len(run.err.splitlines()) == 1


def test_guard_on_stdin_is_reported(tmp_path: Path) -> None:
    rules = write_rules(tmp_path, EVERYTHING)
    run = run_cli("clean", "-", "--rules", str(rules), stdin="\n".join(PROSE).encode())
    assert run.code == 0 and run.out.splitlines() == PROSE
    assert "<stdin>: warning: guard: rule 'eats-everything'" in run.err
