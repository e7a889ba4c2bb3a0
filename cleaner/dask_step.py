"""Cleaning on a Dask cluster: a `dask.bag` of JSONL lines or records, or a `dask.dataframe`.

The same record semantics as `cleaner clean` on JSONL and Parquet (the text field, the URL field
whose host scopes site rules, `out_field`, `with_removed`, `html_field`, `max_bytes`), because
each record goes through `batch.record_cleaned`, the function the CLI's workers call. A JSON
line is read and written exactly as the CLI does, so `CleanedBag.to_jsonl`, with one partition
per input file (`dask.bag.read_text(..., blocksize=None)`), writes the CLI's bytes.

The rules are compiled once per worker, not per record nor per task: `shipped` scatters the
`Cleaner` to every worker of the running distributed client (tasks get the worker's copy by
reference); without a distributed client the cleaner is pickled into the graph and unpickled
(its regexes recompiled) once per partition.

Dask is imported lazily, only by these functions: `import cleaner` never needs it (it is the
`cluster` extra).

    >>> import dask.bag as db
    >>> from cleaner import Cleaner
    >>> lines = db.from_sequence(['{"text": "Read more:\\\\nA link\\\\nThe article.", "id": 1}', "{oops"], npartitions=1)
    >>> cleaned = clean_jsonl_bag(lines, Cleaner())
    >>> cleaned.items.compute(scheduler="sync")
    ['{"text": "The article.", "id": 1}']
    >>> [(f["record"], f["error"]) for f in cleaned.failures.compute(scheduler="sync")]
    [(2, 'not JSON: Expecting property name enclosed in double quotes (column 2)')]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .batch import REMOVED_FIELD, Failure, Options, failure_reason, record_cleaned
from .engine import Cleaner

if TYPE_CHECKING:
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

# What one element of a partition became: its output, or the reason it failed.
Outcome = tuple[bool, Any]


@dataclass(frozen=True)
class CleanedBag:
    """What cleaning a bag gives: for each non-blank element, in order, `(True, output)` or
    `(False, failure)`. `to_jsonl` writes the outputs and returns the failures in one pass;
    `items` and `failures` are the two halves as bags (computing both from separately built
    graphs, `to_textfiles(compute=False)` for one, would clean every partition twice)."""

    outcomes: db.Bag

    @property
    def items(self) -> db.Bag:
        """The cleaned outputs, in input order, failed ones left out."""
        return self.outcomes.map_partitions(_kept)

    @property
    def failures(self) -> db.Bag:
        """The failures, as `Failure.as_record()` dicts."""
        return self.outcomes.map_partitions(_failed)

    def to_jsonl(self, paths: str | Sequence[str], **storage_options: Any) -> db.Bag:
        """A bag that, computed, writes one JSONL file per partition and yields the failures.

        `paths` is a list, or a string with a `*` numbered from 0 (any fsspec URL: a shared
        folder, s3://...). A file holds the CLI's bytes for the same lines: one JSON object a
        line, a final newline, nothing at all when no record of the partition was kept.
        """
        import dask.bag as db
        from fsspec import open_files

        files = open_files(paths, mode="wb", num=self.outcomes.npartitions, compression="infer", **storage_options)
        targets = db.from_sequence(files, npartitions=self.outcomes.npartitions)
        return self.outcomes.map_partitions(write_partition, targets)


def write_partition(outcomes: Iterable[Outcome], files: Sequence[Any]) -> list[Any]:
    """Write one partition's outputs to its file (an fsspec OpenFile); its failures are the result."""
    outcomes = list(outcomes)
    kept = [value if isinstance(value, str) else json.dumps(value, ensure_ascii=False) for value in _kept(outcomes)]
    with files[0] as stream:
        stream.write(("\n".join(kept) + "\n").encode("utf-8") if kept else b"")
    return _failed(outcomes)


def shipped(cleaner: Cleaner) -> Any:
    """The cleaner sent once to every worker of the current distributed client (a Future, which
    tasks receive as the worker's own copy), or the cleaner itself when no client is running."""
    try:
        from distributed import Client

        client = Client.current()  # the one in `with client.as_current():`, else the default
    except (ImportError, ValueError):  # no distributed, or no client: dask pickles it per task
        return cleaner
    return client.scatter(cleaner, broadcast=True, hash=False)


def clean_jsonl_bag(lines: db.Bag, cleaner: Cleaner, options: Options | None = None) -> CleanedBag:
    """Clean a bag of JSONL lines (`dask.bag.read_text`), into JSON lines written as the CLI writes them.

    Elements may also be `(line, path)` pairs (`read_text(..., include_path=True)`): failures then
    name the file. A failure's `record` counts lines from the start of its partition, blank ones
    included, so it is the file's line number when each partition is a whole file
    (`read_text(..., blocksize=None)`).
    """
    return _clean_bag(lines, cleaner, options or Options(), jsonl=True)


def clean_records_bag(records: db.Bag, cleaner: Cleaner, options: Options | None = None) -> CleanedBag:
    """Clean a bag of records (dicts): each comes back as a new dict, every other field passed through."""
    return _clean_bag(records, cleaner, options or Options(), jsonl=False)


def _clean_bag(bag: db.Bag, cleaner: Cleaner, options: Options, *, jsonl: bool) -> CleanedBag:
    import dask.bag as db

    # A bag of partition numbers, one per partition, zipped partition-wise with the input: it
    # names the partition in failures when the elements carry no file name.
    numbers = db.from_sequence(range(bag.npartitions), npartitions=bag.npartitions)
    return CleanedBag(
        bag.map_partitions(clean_partition, numbers, cleaner=shipped(cleaner), options=options, jsonl=jsonl)
    )


def clean_partition(
    items: Iterable[Any], numbers: Sequence[int], *, cleaner: Cleaner, options: Options, jsonl: bool
) -> list[Outcome]:
    """Clean one partition: for each non-blank element, (True, output) or (False, failure record),
    or both, in that order, for a record a rule timed out on (written unchanged, and reported)."""
    partition = numbers[0] if numbers else 0
    outcomes: list[Outcome] = []
    for number, item in enumerate(items, start=1):
        value, source = item if isinstance(item, tuple) else (item, f"partition {partition}")
        if jsonl and not value.strip():
            continue
        try:
            record = json.loads(value) if jsonl else value
            cleaned, _, timed_out = record_cleaned(cleaner, options, record)
        except Exception as error:  # one bad record must not stop the partition, as in the CLI
            outcomes.append((False, Failure(str(source), number, failure_reason(error)).as_record()))
            continue
        outcomes.append((True, json.dumps(cleaned, ensure_ascii=False) if jsonl else cleaned))
        if timed_out is not None:  # kept unchanged and reported, as the CLI does
            outcomes.append((False, Failure(str(source), number, failure_reason(timed_out)).as_record()))
    return outcomes


def _kept(outcomes: Iterable[Outcome]) -> list[Any]:
    return [value for ok, value in outcomes if ok]


def _failed(outcomes: Iterable[Outcome]) -> list[Any]:
    return [value for ok, value in outcomes if not ok]


def clean_dataframe(
    frame: dd.DataFrame, cleaner: Cleaner, options: Options | None = None, *, error_field: str | None = None
) -> dd.DataFrame:
    """Clean the text column of a Dask DataFrame partition by partition (`map_partitions`).

    As with Parquet in the CLI, rows that fail are left out, and a row a rule timed out on is
    kept with its text unchanged; with `error_field`, every row is kept and a failed or timed-out
    one has its reason there (a failed one has no cleaned text).
    """
    options = options or Options()
    meta = clean_frame(frame._meta, cleaner, options, error_field=error_field)
    return frame.map_partitions(
        clean_frame, cleaner=shipped(cleaner), options=options, error_field=error_field, meta=meta
    )


def clean_frame(
    frame: pd.DataFrame, cleaner: Cleaner, options: Options, *, error_field: str | None = None
) -> pd.DataFrame:
    """One pandas partition cleaned: the output text column (and removals, errors) set, other
    columns untouched, failed rows dropped unless `error_field` keeps them (timed-out rows are
    kept, unchanged)."""
    import pandas as pd

    source_field = options.html_field or options.text_field
    target = options.out_field or options.text_field
    texts = frame[source_field] if source_field in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    urls = frame[options.url_field] if options.url_field in frame.columns else [None] * len(frame)
    bodies: list[str | None] = []
    removals: list[Any] = []
    errors: list[str | None] = []
    kept: list[bool] = []
    for text, url in zip(texts, urls, strict=True):
        try:
            cleaned, _, timed_out = record_cleaned(cleaner, options, {source_field: text, options.url_field: url})
        except Exception as error:  # reported in error_field, or the row is left out
            bodies.append(None)
            removals.append(None)
            errors.append(failure_reason(error))
            kept.append(False)
            continue
        bodies.append(cleaned[target])
        removals.append(cleaned.get(REMOVED_FIELD))
        errors.append(None if timed_out is None else failure_reason(timed_out))
        kept.append(True)
    result = frame.copy()
    result[target] = pd.Series(bodies, index=frame.index, dtype=texts.dtype)
    if options.with_removed:
        result[REMOVED_FIELD] = pd.Series(removals, index=frame.index, dtype=object)
    if error_field is not None:
        result[error_field] = pd.Series(errors, index=frame.index, dtype=object)
        return result
    return result[pd.Series(kept, index=frame.index, dtype=bool)]
