"""The batch path: JSONL, stdin streams, gzip, folders, workers, order, failures and resume."""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SEEDS, run_cli

from cleaner import default_cleaner
from cleaner.batch import Failure, LinesChunk, Notice, Options, Runner, Tally, clean_lines, read_chunks, slice_chunks

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def records(count: int) -> list[dict]:
    """Seed articles as JSONL records, each with an id, a URL and a field that must pass through."""
    return [
        {"id": n, "text": SEED_TEXTS[n % len(SEED_TEXTS)], "url": f"https://news.example.com/{n}", "meta": {"n": [n, 1.5]}}
        for n in range(count)
    ]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(body.encode("utf-8")))
    else:
        path.write_text(body, encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def expected_text(row: dict) -> str:
    return cleaned_for_news_site(row["text"])


@functools.cache
def cleaned_for_news_site(text: str) -> str:
    """The records repeat five seed texts: each is cleaned once for the expectations."""
    return default_cleaner().clean(text, site="news.example.com").text


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_round_trip_keeps_order_and_other_fields(tmp_path, jobs):
    rows = records(300)
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", rows)
    result = run_cli("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", jobs, "-q")
    assert result.code == 0, result.err
    out = read_jsonl(tmp_path / "out" / "a.jsonl")
    assert [r["id"] for r in out] == list(range(300))
    assert all(r["meta"] == {"n": [r["id"], 1.5]} and r["url"] == rows[r["id"]]["url"] for r in out)
    assert [r["text"] for r in out] == [expected_text(r) for r in rows]


def test_out_field_and_removals(tmp_path):
    rows = [{"text": "Read more:\nA link title\nThe article says this.", "k": "v"}]
    source = write_jsonl(tmp_path / "one.jsonl", rows)
    result = run_cli("clean", str(source), "-o", str(tmp_path / "out"), "--out-field", "clean", "--with-removed", "-q")
    assert result.code == 0, result.err
    [record] = read_jsonl(tmp_path / "out" / "one.jsonl")
    assert record["text"] == rows[0]["text"] and record["k"] == "v"
    assert record["clean"] == "The article says this."
    assert record["removed"] == [
        {"line": 1, "text": "Read more:", "rule": "read-more-list"},
        {"line": 2, "text": "A link title", "rule": "read-more-list"},
    ]


def test_gzipped_jsonl_and_text_are_read_and_mirrored(tmp_path):
    source = tmp_path / "in"
    (source / "deep").mkdir(parents=True)
    write_jsonl(source / "deep" / "part.jsonl.gz", records(20))
    (source / "deep" / "story.txt.gz").write_bytes(gzip.compress(SEED_TEXTS[0].encode("utf-8")))
    (source / "plain.txt").write_text(SEED_TEXTS[1], encoding="utf-8")
    result = run_cli("clean", str(source), "-o", str(tmp_path / "out"), "-q")
    assert result.code == 0, result.err
    assert [r["id"] for r in read_jsonl(tmp_path / "out" / "deep" / "part.jsonl.gz")] == list(range(20))
    story = gzip.decompress((tmp_path / "out" / "deep" / "story.txt.gz").read_bytes()).decode("utf-8")
    assert story == default_cleaner().clean(SEED_TEXTS[0]).text + "\n"
    assert (tmp_path / "out" / "plain.txt").read_text(encoding="utf-8") == default_cleaner().clean(SEED_TEXTS[1]).text + "\n"


def test_stdin_jsonl_streams_to_stdout():
    rows = records(12)
    body = "".join(json.dumps(r) + "\n" for r in rows).encode("utf-8")
    result = run_cli("clean", "-", "-j", "2", "-q", stdin=body)
    assert result.code == 0, result.err
    out = [json.loads(line) for line in result.out.splitlines()]
    assert [r["text"] for r in out] == [expected_text(r) for r in rows]


def test_stdin_plain_text_is_one_document():
    result = run_cli("clean", "-", "-q", stdin=SEED_TEXTS[2].encode("utf-8"))
    assert result.code == 0
    assert result.out == default_cleaner().clean(SEED_TEXTS[2]).text + "\n"


def test_one_bad_record_is_reported_and_the_rest_written(tmp_path):
    good = records(5)
    lines = [json.dumps(r) for r in good]
    lines.insert(2, '{"text": 3}')  # record 3: the text is not a string
    lines.insert(4, "{not json")  # record 5
    limit = max(len(t.encode("utf-8")) for t in SEED_TEXTS)
    lines.append(json.dumps({"text": "x" * (limit + 1)}))  # record 8: over --max-bytes
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = tmp_path / "errors.jsonl"
    result = run_cli(
        "clean", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out"), "--errors", str(errors), "--max-bytes", str(limit)
    )
    assert result.code == 1
    assert [r["id"] for r in read_jsonl(tmp_path / "out" / "in.jsonl")] == [0, 1, 2, 3, 4]
    reported = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert [(r["record"], r["error"].split()[0]) for r in reported] == [(3, "field"), (5, "not"), (8, "is")]
    assert f"{tmp_path / 'in.jsonl'}:3: error: field 'text' is a int, not a string" in result.err
    assert "5 written, 3 failed" in result.err


def test_undecodable_file_among_good_ones(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text(SEED_TEXTS[0], encoding="utf-8")
    (source / "b.txt").write_bytes(bytes(range(256)) * 10)
    result = run_cli("clean", str(source), "-o", str(tmp_path / "out"), "-j", "2")
    assert result.code == 1
    assert (tmp_path / "out" / "a.txt").exists() and not (tmp_path / "out" / "b.txt").exists()
    assert f"{source / 'b.txt'}: error: looks like a binary file" in result.err


def test_two_runners_in_one_process_keep_their_own_options():
    """A runner cleaning in-process (-j 1) uses its own cleaner and options, whatever runner was
    made after it: nothing is kept in the module for the parent."""
    chunk = LinesChunk("in.jsonl", 1, json.dumps({"text": "Read more:\nA link title\nThe article says this."}).encode())
    with Runner(default_cleaner(), Options(out_field="first"), 1) as first:
        with Runner(default_cleaner(), Options(out_field="second", with_removed=True), 1) as second:
            [(data, _)] = first.map(clean_lines, [chunk])
            [(other, _)] = second.map(clean_lines, [chunk])
    assert sorted(json.loads(data)) == ["first", "text"]
    assert sorted(json.loads(other)) == ["removed", "second", "text"]


def test_tally_from_counts_leaves_the_callers_dict_alone():
    tally = Tally(docs_in=3, written=2, failed=1, bytes_in=10, bytes_out=7)
    tally.by_rule.update({"share-buttons": 2})
    counts = tally.counts()
    copy = dict(counts)
    again = Tally.from_counts(counts)
    assert counts == copy and again.counts() == counts


def test_failures_and_warnings_name_the_file_and_record_alike():
    assert str(Failure("a.jsonl", 3, "why")) == "a.jsonl:3: error: why"
    assert str(Notice("a.jsonl", 3, "what")) == "a.jsonl:3: warning: what"
    assert str(Failure("a.txt", None, "why")) == "a.txt: error: why"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# Runs the CLI in this process (-j 1 cleans in-process) and SIGKILLs it at a known point: the
# n-th record cleaned, or just before the n-th rename that commits an output or a marker (those
# are `os.replace` calls, made after the temporary is written and fsynced). A kill at a known
# point, rather than after a watched file appears, is what makes the test deterministic: watching
# `.cleaner-done` raced with the marker's own atomic write (its temporary appears there first, and
# the kill often landed inside its fsync).
KILL_AT = """
import os, signal, sys
import cleaner.batch, cleaner.cli

point, count = sys.argv[1], int(sys.argv[2])
calls = 0

def fire():
    global calls
    calls += 1
    if calls == count:
        os.kill(os.getpid(), signal.SIGKILL)

if point == "record":
    record_cleaned = cleaner.batch.record_cleaned
    def counted(*args):
        fire()
        return record_cleaned(*args)
    cleaner.batch.record_cleaned = counted
else:
    replace = os.replace
    def counted(source, target):
        fire()
        return replace(source, target)
    os.replace = counted
sys.exit(cleaner.cli.main(sys.argv[3:]))
"""

SHARDS, SHARD_RECORDS = 4, 40


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """Input shards, and the tree one uninterrupted run writes from them."""
    folder = tmp_path_factory.mktemp("resume")
    source = folder / "in"
    source.mkdir()
    for shard in range(SHARDS):
        write_jsonl(source / f"shard-{shard}.jsonl", records(SHARD_RECORDS))
    clean_run = run_cli("clean", str(source), "-o", str(folder / "once"), "-j", "1", "-q")
    assert clean_run.code == 0, clean_run.err
    return source, tree(folder / "once")


@pytest.mark.parametrize(
    ("point", "count", "leftover"),
    [
        # halfway through the second shard: its output is a partial temporary
        ("record", SHARD_RECORDS + SHARD_RECORDS // 2, ".shard-1.jsonl."),
        # the second shard's output written and fsynced, not yet renamed into place
        ("replace", 3, ".shard-1.jsonl."),
        # the second shard's output in place, its marker written but not renamed: it must be redone
        ("replace", 4, ".cleaner-done/.shard-1.jsonl.json."),
    ],
    ids=["mid-shard", "before-output-rename", "before-marker-rename"],
)
def test_resume_after_a_kill_gives_the_same_output(tmp_path, shards, point, count, leftover):
    source, once = shards
    killed = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    argv = ["clean", str(source), "-o", str(killed), "-j", "1", "-q"]
    process = subprocess.run([sys.executable, "-c", KILL_AT, point, str(count), *argv], env=env, timeout=120)
    assert process.returncode == -signal.SIGKILL, "the run was not killed where the test meant"
    after_kill = tree(killed)
    assert sorted(name for name in after_kill if name.startswith(".cleaner-done/") and not name.endswith(".tmp")) == [
        ".cleaner-done/shard-0.jsonl.json"
    ]
    assert any(name.startswith(leftover) and name.endswith(".tmp") for name in after_kill), sorted(after_kill)

    resumed = run_cli("clean", str(source), "-o", str(killed), "--resume", "-j", "2")
    assert resumed.code == 0, resumed.err
    assert f"{SHARDS * SHARD_RECORDS} documents in" in resumed.err
    assert "1 outputs already complete (resumed)" in resumed.err
    assert tree(killed) == once


@pytest.mark.parametrize("chunk_bytes", [1, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("head", [b"", b'{"head": 0}\n', b"no line break"])
def test_read_chunks_gives_whole_numbered_lines_whatever_the_block_size(chunk_bytes: int, head: bytes) -> None:
    """Blocks are cut after their last line break: every chunk but the last ends with one, a
    line longer than a block stays whole, the head read before comes first, and each chunk's
    first line number counts every line before it."""
    body = b"" if not head.endswith(b"\n") and head else b'{"a": 1}\n\n' + b"x" * 50 + b'\n{"b": 2}\r\nlast'
    chunks = list(read_chunks(io.BytesIO(body), "x.jsonl", head, chunk_bytes))
    assert b"".join(c.data for c in chunks) == head + body
    assert all(c.data.endswith(b"\n") for c in chunks[:-1]) and all(c.data for c in chunks)
    lines = [(c.first_line + n, line) for c in chunks for n, line in enumerate(c.data.splitlines())]
    assert lines == list(enumerate((head + body).splitlines(), 1))


def test_read_chunks_refuses_a_chunk_of_no_bytes() -> None:
    with pytest.raises(ValueError):
        list(read_chunks(io.BytesIO(b"{}\n"), "x.jsonl", chunk_bytes=0))


def test_slices_of_a_file_read_back_as_its_chunks_and_clean_alike(tmp_path: Path) -> None:
    """A worker reads a plain JSONL file's chunk itself (`slice_chunks`): the places read back to
    the very chunks `read_chunks` gives, numbered alike, so a bad record is reported at its line."""
    rows = [json.dumps(r) for r in records(12)]
    rows[7] = "{not json"
    source = tmp_path / "a.jsonl"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with source.open("rb") as stream:
        chunks = list(read_chunks(stream, "a.jsonl", chunk_bytes=20_000))
    slices = list(slice_chunks(source, "a.jsonl", chunk_bytes=20_000))
    assert len(slices) == len(chunks) > 2
    assert [(s.first_line, s.lines(), s.data) for s in slices] == [(c.first_line, c.data, b"") for c in chunks]
    cleaner, options = default_cleaner(), Options()
    results = [clean_lines(cleaner, options, s) for s in slices]
    assert [r[0] for r in results] == [clean_lines(cleaner, options, c)[0] for c in chunks]
    failures = [f for _, tally in results for f in tally.failures]
    assert [(f.source, f.record) for f in failures] == [("a.jsonl", 8)]
    source.write_bytes(source.read_bytes()[:100])  # the file shrank under the batch: an error, not silence
    with pytest.raises(OSError):
        slices[-1].lines()


def test_a_file_replaced_under_the_batch_is_an_error_not_other_bytes(tmp_path: Path) -> None:
    """A worker reads its chunk by path: if the file was replaced (renamed over, or rewritten at
    the same size) after it was cut, the worker refuses rather than clean other bytes under the
    old line numbers."""
    source = tmp_path / "a.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records(12)) + "\n", encoding="utf-8")
    slices = list(slice_chunks(source, "a.jsonl", chunk_bytes=20_000))
    replacement = tmp_path / "b.jsonl"
    replacement.write_bytes(source.read_bytes().replace(b"news", b"NEWS"))
    os.replace(replacement, source)
    with pytest.raises(OSError, match="changed while it was being cleaned"):
        slices[0].lines()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_is_cleaned_with_workers_too(tmp_path: Path) -> None:
    """A named pipe can be read once only: with -j 2 it is read by the parent and handed to the
    workers as bytes, not as places in a file they would open again (which hung)."""
    (tmp_path / "in").mkdir()
    fifo = tmp_path / "in" / "a.jsonl"
    os.mkfifo(fifo)
    body = "\n".join(json.dumps(r) for r in records(20)) + "\n"
    writer = subprocess.Popen([sys.executable, "-c", f"open({str(fifo)!r}, 'w').write({body!r})"])
    try:
        command = [sys.executable, "-m", "cleaner", "clean", str(fifo), "-o", str(tmp_path / "out"), "-j", "2", "-q"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        writer.kill()
        writer.wait(timeout=60)
    assert result.returncode == 0, result.stderr
    assert [r["id"] for r in read_jsonl(tmp_path / "out" / "a.jsonl")] == list(range(20))
