/**
 * Opens the writer of every output of a run, by format: plain bytes (CSV, JSON Lines),
 * bytes through gzip (`csv.gz`, `jsonl.gz`), or columns into a Parquet file. Parquet files
 * are written a row group at a time while the run goes on: the run waits on `pending` when
 * row groups queue up, and awaits `finish` (the last row group and the footer) before the
 * writers are closed.
 */
import { ByteWriter, type Allocate } from './byte-writer.js';
import { isGzip, type Format } from './encoders.js';
import { GzipBlocks } from './gzip.js';
import { ColumnWriter } from './parquet/column-writer.js';
import { StagingDb } from './parquet/duckdb-file.js';

/** The folder of DuckDB's row-group files and spills, inside the run's hidden folder; removed before it is renamed. */
export const STAGING_DIR = '.parquet-staging';

export interface OpenedWriters {
  writers: ByteWriter[];
  /** A promise to wait for before more rows come (Parquet row groups queued up); else undefined. */
  pending(): Promise<void> | undefined;
  /** Writes the last row groups and the footers of the Parquet files. */
  finish(): Promise<void>;
}

/**
 * `path` maps an output file name to where it is written. `fileThread[i]`: output i, if CSV or
 * JSONL, is written and hashed by the file thread (sinks/file-thread.ts). A run asks for it
 * where this thread makes every row of the output; rows from worker threads are written by
 * this thread between running chunks itself, and a file thread would be one thread more
 * than the cores (crm-theft at 2 workers: 3% slower with it, where one thread is 12% faster).
 */
export async function openWriters(outputs: { file: string; format: Format; columns: string[] }[], path: (file: string) => string, fileThread: boolean[] = []): Promise<OpenedWriters> {
  let db: StagingDb | undefined;
  const writers: ByteWriter[] = [];
  for (const [i, o] of outputs.entries()) {
    if (o.format === 'parquet') {
      db ??= await StagingDb.create(path(STAGING_DIR));
      writers.push(new ColumnWriter(o.columns.length, await db.file(o.columns, path(o.file))));
    } else {
      writers.push(new ByteWriter(path(o.file), false, isGzip(o.format) ? new GzipBlocks() : undefined, undefined, fileThread[i] ?? false));
    }
  }
  const columnWriters = writers.filter((w): w is ColumnWriter => w instanceof ColumnWriter);
  return {
    writers,
    pending() {
      for (const w of columnWriters) {
        const p = w.pending();
        if (p) return p;
      }
      return undefined;
    },
    async finish() {
      for (const w of writers) if (w instanceof ColumnWriter) await w.finish();
    },
  };
}

/** The writer a worker thread collects an output's chunk into. */
export function workerWriter(o: { format: Format; columns: string[] }, allocate?: Allocate): ByteWriter {
  return o.format === 'parquet' ? new ColumnWriter(o.columns.length) : new ByteWriter(undefined, true, undefined, allocate);
}
