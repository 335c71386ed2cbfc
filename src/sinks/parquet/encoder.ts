/**
 * The row encoder of Parquet outputs: it hands each column's value to the ColumnWriter
 * instead of writing bytes. Given a plain ByteWriter (the plan's pilot, which only counts),
 * it writes the row as JSON Lines, so the estimate is the uncompressed size: an upper bound.
 */
import type { ColumnSpec, RowEncoder } from '../encoders.js';
import { jsonlEncoder } from '../encoders.js';
import { ColumnWriter } from './column-writer.js';

export function parquetEncoder(columns: ColumnSpec[]): RowEncoder {
  const values = columns.map((c) => c.value!);
  const n = values.length;
  const counting = jsonlEncoder(columns);
  return {
    header() {},
    row(w, c) {
      if (!(w instanceof ColumnWriter)) return counting.row(w, c);
      const cols = w.columns;
      for (let i = 0; i < n; i++) cols[i].push(values[i](c));
      w.endRow();
    },
  };
}
