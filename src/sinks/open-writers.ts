/**
 * Opens the writer of every output of a run, by format: plain bytes (CSV, JSON Lines),
 * bytes through gzip (`csv.gz`, `jsonl.gz`), or columns into a Parquet file. Parquet files
 * are written when the run ends: `finish` must be awaited before the writers are closed.
 */
import { ByteWriter } from './byte-writer.js';
import { isGzip, type Format } from './encoders.js';
import { GzipBlocks } from './gzip.js';
import { ColumnWriter } from './parquet/column-writer.js';
import { StagingDb } from './parquet/duckdb-file.js';

/** Where DuckDB spills staged rows, inside the run's hidden folder; removed before it is renamed. */
export const STAGING_FILE = '.parquet-staging';

export interface OpenedWriters {
  writers: ByteWriter[];
  /** Writes the Parquet files (their rows are staged until now). */
  finish(): Promise<void>;
}

/** `path` maps an output file name to where it is written. */
export async function openWriters(outputs: { file: string; format: Format; columns: string[] }[], path: (file: string) => string): Promise<OpenedWriters> {
  let db: StagingDb | undefined;
  const writers: ByteWriter[] = [];
  for (const o of outputs) {
    if (o.format === 'parquet') {
      db ??= await StagingDb.create(path(STAGING_FILE));
      writers.push(new ColumnWriter(o.columns.length, await db.file(o.columns, path(o.file))));
    } else {
      writers.push(new ByteWriter(path(o.file), false, isGzip(o.format) ? new GzipBlocks() : undefined));
    }
  }
  return {
    writers,
    async finish() {
      for (const w of writers) if (w instanceof ColumnWriter) await w.finish();
    },
  };
}

/** The writer a worker thread collects an output's chunk into. */
export function workerWriter(o: { format: Format; columns: string[] }): ByteWriter {
  return o.format === 'parquet' ? new ColumnWriter(o.columns.length) : new ByteWriter(undefined, true);
}
