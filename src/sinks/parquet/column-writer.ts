/**
 * The writer of a Parquet output: rows arrive as values (not bytes) and are kept column by
 * column. In the main thread, every BATCH_ROWS rows go to the Parquet file, which writes a
 * row group every ROW_GROUP_ROWS rows (duckdb-file.ts); in a worker, a
 * chunk's columns are taken whole and sent to the main thread, which adds them here in chunk
 * order. Batches are cut by row count only, so the file does not depend on the workers.
 */
import { ByteWriter } from '../byte-writer.js';

/** Rows per batch handed to the file: one DuckDB vector. A row group is a whole number of batches. */
export const BATCH_ROWS = 2048;

/** Where full batches go. */
export interface ColumnTarget {
  append(columns: unknown[][], rows: number): void;
  /** A promise to wait for before more rows come, when row groups wait to be written; else undefined. */
  pending(): Promise<void> | undefined;
  /** Writes what is left and the footer; returns the file's size and sha256. */
  finish(): Promise<{ bytes: number; sha256: string }>;
  abandon(): void;
}

/** Columns of a worker chunk, sent to the main thread. */
export interface ColumnChunk {
  columns: unknown[][];
  rows: number;
}

export class ColumnWriter extends ByteWriter {
  columns: unknown[][] = [];
  /** Rows in `columns`. */
  count = 0;
  private result: { bytes: number; sha256: string } | undefined;

  /** `target`: the file (main thread); none: collect for the main thread (worker). */
  constructor(
    readonly width: number,
    private readonly target?: ColumnTarget,
  ) {
    super();
    this.reset();
  }

  /** Called by the encoder after it pushed one value to every column. */
  endRow(): void {
    if (++this.count === BATCH_ROWS && this.target) this.pass();
  }

  /** Adds a worker chunk's columns, re-cut into batches. */
  appendChunk(chunk: ColumnChunk): void {
    let from = 0;
    while (from < chunk.rows) {
      const n = Math.min(chunk.rows - from, BATCH_ROWS - this.count);
      for (let j = 0; j < this.width; j++) {
        const col = this.columns[j];
        const src = chunk.columns[j];
        for (let i = from; i < from + n; i++) col.push(src[i]);
      }
      this.count += n;
      from += n;
      if (this.count === BATCH_ROWS && this.target) this.pass();
    }
  }

  /** See ColumnTarget.pending. */
  pending(): Promise<void> | undefined {
    return this.target?.pending();
  }

  /** Takes what was collected (a worker, after a chunk). */
  takeChunk(): ColumnChunk {
    const chunk = { columns: this.columns, rows: this.count };
    this.reset();
    return chunk;
  }

  /** Hands the last rows to the file and writes it. Must be awaited before close(). */
  async finish(): Promise<void> {
    if (!this.target) return;
    if (this.count > 0) this.pass();
    this.result = await this.target.finish();
  }

  override close(): { bytes: number; sha256: string } {
    super.close();
    if (!this.result) throw new Error('a Parquet output was closed before it was finished');
    return this.result;
  }

  override abandon(): void {
    super.abandon();
    this.target?.abandon();
  }

  private pass(): void {
    this.target!.append(this.columns, this.count);
    this.reset();
  }

  private reset(): void {
    this.columns = Array.from({ length: this.width }, () => []);
    this.count = 0;
  }
}
