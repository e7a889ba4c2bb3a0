"""The Dask path on a real local cluster (two worker processes) writes what the CLI writes."""

from __future__ import annotations

import doctest
import functools
import json
import os
from pathlib import Path

import pytest
from helpers import FURNITURE, HANGS, NESTED, PROSE, REPO, SEEDS, run_cli, write_rules

dask = pytest.importorskip("dask")
pytest.importorskip("distributed")
import dask.bag as db  # noqa: E402
from distributed import Client, Future, LocalCluster, get_task_stream  # noqa: E402

from cleaner import Cleaner, dask_step, default_cleaner  # noqa: E402
from cleaner.batch import Options  # noqa: E402

BENCH = REPO / "tests" / "data" / "bench"
SHARDS, SHARD_LINES = 4, 50


def corpus_texts() -> list[tuple[str, str | None]]:
    """(text, url) pairs: the seed articles, and the bench pages' two inputs with their real URLs."""
    texts: list[tuple[str, str | None]] = [(p.read_text(encoding="utf-8"), None) for p in sorted(SEEDS.glob("*.txt"))]
    for case in sorted(p for p in BENCH.iterdir() if p.is_dir()):
        url = json.loads((case / "meta.json").read_text(encoding="utf-8"))["url"]
        texts += [((case / name).read_text(encoding="utf-8"), url) for name in ("input.txt", "input_scraped.txt")]
    return texts


def shard_lines(shard: int) -> list[str]:
    """One shard's JSONL lines: records with and without URLs, and a few the CLI must refuse."""
    texts = corpus_texts()
    lines = []
    for n in range(shard * SHARD_LINES, (shard + 1) * SHARD_LINES):
        text, url = texts[n % len(texts)]
        record = {"id": n, "text": text, "meta": {"shard": shard}}
        if url is not None and n % 3:
            record["url"] = url
        lines.append(json.dumps(record, ensure_ascii=False))
    lines[7] = '{"id": "bad", "text": 7}'  # the text is not a string
    lines[20] = "{not json"
    lines[33] = ""  # a blank line is skipped, and still counted in the line numbers
    lines[41] = '["an", "array"]'
    return lines


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "in"
    folder.mkdir()
    for shard in range(SHARDS):
        (folder / f"shard-{shard}.jsonl").write_text("\n".join(shard_lines(shard)) + "\n", encoding="utf-8")
    return folder


OPTION_SETS = {
    "defaults": ([], Options()),
    "out-field,with-removed,blank-lines,max-bytes": (
        ["--out-field", "clean", "--with-removed", "--blank-lines", "--max-bytes", "4000"],
        Options(out_field="clean", with_removed=True, blank_lines=True, max_bytes=4000),
    ),
}


@functools.cache
def cli_run(corpus: Path, name: str) -> tuple[dict[str, bytes], list[dict]]:
    """What `cleaner clean` writes for the corpus with these options: shard bytes and failures."""
    argv, _ = OPTION_SETS[name]
    out = corpus.parent / f"cli-{name}"
    errors = corpus.parent / f"cli-{name}-errors.jsonl"
    result = run_cli("clean", str(corpus), "-o", str(out), "--errors", str(errors), "-j", "1", "-q", *argv)
    assert result.code == 1, result.err  # the bad records fail, the others are written
    shards = {p.name: p.read_bytes() for p in sorted(out.glob("*.jsonl"))}
    return shards, [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client


def test_the_cleaner_is_scattered_once_to_the_workers_of_the_current_client(client):
    cleaner = default_cleaner()
    assert dask_step.shipped(cleaner) is cleaner  # no client: dask pickles it into each task
    with client.as_current():
        shipped = dask_step.shipped(cleaner)
        assert isinstance(shipped, Future)
        holders = client.who_has([shipped])[shipped.key]
    assert len(holders) == 2


def test_writing_and_the_failures_take_one_pass(monkeypatch, tmp_path):
    calls = []
    record_cleaned = dask_step.record_cleaned
    monkeypatch.setattr(dask_step, "record_cleaned", lambda *args: calls.append(1) or record_cleaned(*args))
    lines = db.from_sequence(shard_lines(0), npartitions=3)
    cleaned = dask_step.clean_jsonl_bag(lines, default_cleaner())
    failures = cleaned.to_jsonl(str(tmp_path / "part-*.jsonl")).compute(scheduler="sync")
    assert len(calls) == SHARD_LINES - 2  # once per non-blank line that is JSON
    assert [f["record"] for f in failures] == [8, 4, 8]  # per partition of 17, 17 and 16 lines
    written = [line for part in sorted(tmp_path.glob("part-*.jsonl")) for line in part.read_text().splitlines()]
    assert len(written) == SHARD_LINES - 1 - len(failures)


def test_doctests_without_a_client():
    failures, tried = doctest.testmod(dask_step, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0


@pytest.mark.parametrize("name", list(OPTION_SETS))
def test_jsonl_bag_on_two_worker_processes_writes_what_the_cli_writes(corpus, client, tmp_path, name):
    expected_shards, expected_failures = cli_run(corpus, name)
    _, options = OPTION_SETS[name]
    targets = [str(tmp_path / shard) for shard in expected_shards]
    with client.as_current():
        lines = db.read_text(str(corpus / "*.jsonl"), blocksize=None, include_path=True)
        cleaned = dask_step.clean_jsonl_bag(lines, default_cleaner(), options)
        with get_task_stream(client) as tasks:
            failures = cleaned.to_jsonl(targets).compute()
        workers = client.run(os.getpid)

    assert len(workers) == 2 and os.getpid() not in workers.values()
    cleaning = [task for task in tasks.data if "clean_partition" in str(task["key"])]
    assert len(cleaning) == SHARDS and {task["worker"] for task in cleaning} <= set(workers)
    for shard, data in expected_shards.items():
        ours = (tmp_path / shard).read_bytes()
        assert [json.loads(line) for line in ours.splitlines()] == [json.loads(line) for line in data.splitlines()]
        assert ours == data
    assert sorted(failures, key=lambda f: (f["source"], f["record"])) == expected_failures
    assert {f["record"] for f in failures} >= {8, 21, 42}
    # the run cleaned something: records lost paragraphs, and a site's rules saw its URL
    inputs = {json.loads(line)["id"]: json.loads(line) for line in shard_lines(0) if line.startswith('{"id": ')}
    outputs = [json.loads(line) for line in expected_shards["shard-0.jsonl"].splitlines()]
    target = options.out_field or options.text_field
    assert sum(r[target] != inputs[r["id"]]["text"] for r in outputs) > SHARD_LINES // 2


def test_records_bag_and_dataframe_match_the_cli(corpus, client):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    name = "out-field,with-removed,blank-lines,max-bytes"
    _, options = OPTION_SETS[name]
    shards, failures = cli_run(corpus, name)
    expected = [json.loads(line) for data in shards.values() for line in data.splitlines()]
    records = [json.loads(line) for shard in range(SHARDS) for line in shard_lines(shard) if line.startswith('{"id": ')]
    records = [r for r in records if isinstance(r["text"], str)]
    too_big = {f["record"] for f in failures if "over the limit" in f["error"]}
    assert too_big, "the size limit refuses no record: the test would not see failed rows dropped"

    frame = pd.DataFrame(
        {"id": [r["id"] for r in records], "text": [r["text"] for r in records], "url": [r.get("url") for r in records]}
    )
    with client.as_current():
        bag = dask_step.clean_records_bag(db.from_sequence(records, npartitions=6), default_cleaner(), options)
        cleaned_frame = dask_step.clean_dataframe(dd.from_pandas(frame, npartitions=6), default_cleaner(), options)
        head = frame.head(40)  # enough to hold refused records; a second full pass would add nothing
        kept_frame = dask_step.clean_dataframe(
            dd.from_pandas(head, npartitions=2), default_cleaner(), options, error_field="error"
        )
        records_out = bag.items.compute()
        frame_out, kept_out = dask.compute(cleaned_frame, kept_frame)

    assert records_out == expected
    assert frame_out["id"].tolist() == [r["id"] for r in expected]
    assert frame_out["clean"].tolist() == [r["clean"] for r in expected]
    assert frame_out["removed"].tolist() == [r["removed"] for r in expected]
    assert frame_out["text"].tolist() == [r["text"] for r in expected]  # the input text is kept
    refused = kept_out["error"].notna()
    assert kept_out["id"].tolist() == head["id"].tolist() and refused.any()
    assert kept_out[~refused]["id"].tolist() == [r["id"] for r in expected if r["id"] in set(head["id"])]
    assert kept_out[refused]["clean"].isna().all()
    assert all(error.startswith("is ") and "over the limit of 4000" in error for error in kept_out[refused]["error"])


def test_a_timed_out_record_is_kept_unchanged_and_reported_as_by_the_cli(client, tmp_path):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    rules = write_rules(tmp_path, NESTED)
    texts = ["\n".join([*PROSE[:3], FURNITURE]), f"{PROSE[0]}\n\n{FURNITURE}\n{HANGS}", "\n".join(PROSE)]
    shard = tmp_path / "in" / "shard.jsonl"
    shard.parent.mkdir()
    lines = [json.dumps({"id": n, "text": text}) for n, text in enumerate(texts)]
    shard.write_text("\n".join([*lines[:2], "{not json", lines[2]]) + "\n", encoding="utf-8")
    errors = tmp_path / "errors.jsonl"
    run = run_cli("clean", str(shard), "-o", str(tmp_path / "cli"), "--rules", str(rules), "--errors", str(errors), "-q")
    assert run.code == 1
    expected_failures = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert [(f["record"], "'nested-plus'" in f["error"]) for f in expected_failures] == [(2, True), (3, False)]

    cleaner = Cleaner([rules])
    with client.as_current():
        bag = db.read_text(str(shard), blocksize=None, include_path=True)
        failures = dask_step.clean_jsonl_bag(bag, cleaner).to_jsonl([str(tmp_path / "dask.jsonl")]).compute()
        frame = dd.from_pandas(pd.DataFrame({"id": [0, 1, 2], "text": texts}), npartitions=1)
        frame_out = dask_step.clean_dataframe(frame, cleaner, error_field="error").compute()
        dropped_out = dask_step.clean_dataframe(frame, cleaner).compute()

    written = (tmp_path / "cli" / "shard.jsonl").read_bytes()
    assert (tmp_path / "dask.jsonl").read_bytes() == written
    assert json.loads(written.splitlines()[1])["text"] == f"{PROSE[0]}\n{FURNITURE}\n{HANGS}"  # unchanged
    assert failures == expected_failures
    assert frame_out["text"].tolist() == dropped_out["text"].tolist() == [json.loads(line)["text"] for line in written.splitlines()]
    assert frame_out["error"].notna().tolist() == [False, True, False]
    assert "'nested-plus'" in frame_out["error"][1]
