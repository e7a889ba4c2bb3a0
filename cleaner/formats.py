"""Parquet in and out through pyarrow, in row batches, with the same field options as JSONL.

pyarrow is imported only here, and only when a Parquet file is met, so text and JSONL users
never pay for it (it is the `parquet` extra).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .batch import REMOVED_FIELD, Options, RowsChunk, Tally, clean_rows

if TYPE_CHECKING:
    import pyarrow as pa

    from .batch import Progress, Runner


def output_schema(schema: pa.Schema, options: Options) -> pa.Schema:
    """The input's columns, plus the output text column and the removals when they are new."""
    import pyarrow as pa

    target = options.out_field or options.text_field
    if schema.get_field_index(target) < 0:
        schema = schema.append(pa.field(target, pa.string()))
    if options.with_removed and schema.get_field_index(REMOVED_FIELD) < 0:
        removal = pa.struct([("line", pa.int64()), ("text", pa.string()), ("rule", pa.string())])
        schema = schema.append(pa.field(REMOVED_FIELD, pa.list_(removal)))
    return schema


def clean_parquet(runner: Runner, source: Path, out: BinaryIO, progress: Progress, batch_rows: int) -> Tally:
    """Clean one Parquet file into `out`, batch by batch, keeping row order; failed rows are
    left out, timed-out ones kept unchanged, each reported by its row number (from 1)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    options: Options = runner.options
    reader = pq.ParquetFile(source)
    schema = output_schema(reader.schema_arrow, options)
    sizes: list[int] = []

    def batches() -> Any:
        first_row = 1
        for batch in reader.iter_batches(batch_size=batch_rows):
            sizes.append(batch.nbytes)
            yield RowsChunk(str(source), first_row, batch.to_pylist())
            first_row += batch.num_rows

    tally = Tally()
    with pq.ParquetWriter(out, schema) as writer:
        for number, (rows, batch_tally) in enumerate(runner.map(clean_rows, batches())):
            table = pa.Table.from_pylist([row for row in rows if row is not None], schema=schema)
            writer.write_table(table)
            batch_tally.bytes_in, batch_tally.bytes_out = sizes[number], table.nbytes
            progress.update(batch_tally)
            tally.merge(batch_tally)
    return tally
