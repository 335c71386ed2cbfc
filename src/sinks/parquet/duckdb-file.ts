/**
 * Parquet files written row group by row group while the run streams (docs/formats.md says
 * why this way). Rows arrive in 2,048-row column batches (column-writer.ts) and are kept, as
 * values, until a row group is full (ROW_GROUP_ROWS). Then, while the run goes on making the
 * next one, DuckDB encodes it: its values are appended to a small in-memory table and one
 * `COPY ... (FORMAT parquet, COMPRESSION zstd)` writes it as a one-row-group file, whose
 * column chunks container.ts copies to the end of the output file. The file on disk so grows
 * one row group at a time, and memory holds the row group being filled plus at most
 * MAX_QUEUED waiting for DuckDB: `pending()` tells the run to wait past that.
 *
 * Column types: each column's type is chosen from the values seen so far (kinds.ts), so the
 * first row group fixes it. When a later row group needs a broader type (integers that meet a
 * fraction, strings that stop being timestamps, ...), the file so far is closed as a segment
 * and a new segment begins; at the end, if there is more than one, one COPY joins the
 * segments into the output file with every column in its final type (convertExpr). A run
 * whose columns keep their types (every bundled scenario) never does that.
 *
 * Byte reproducibility: row groups are cut by row count only, types depend only on the values
 * in row order, DuckDB runs one thread per query; so the same rows give the same bytes with
 * any number of workers (tested with 1 and 2). The file records the DuckDB version in its
 * `created_by` field.
 */
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBInstance, DuckDBType } from '@duckdb/node-api';
import { hashFile } from '../manifest.js';
import { BATCH_ROWS, type ColumnTarget } from './column-writer.js';
import { ParquetContainer } from './container.js';
import { convertExpr, finalExpr, finalType, kindOf, newStats, stage, stagingType, widen, type ColumnStats, type Kind } from './kinds.js';

type Duck = typeof import('@duckdb/node-api');

export const ROW_GROUP_ROWS = 122_880;
/** Full row groups that may wait for DuckDB before the run is made to wait. */
const MAX_QUEUED = 2;
const MEMORY_LIMIT = '128MB';

/** One DuckDB database per run, shared by its Parquet outputs; its folder is removed when the last is done. */
export class StagingDb {
  private open = 0;
  private made = 0;
  private closed = false;

  private constructor(
    readonly duck: Duck,
    private readonly instance: DuckDBInstance,
    readonly dir: string,
    readonly rowGroupRows: number,
  ) {}

  /** `dir`: a folder for DuckDB's spills and the row-group files (inside the run's hidden folder). */
  static async create(dir: string, rowGroupRows = ROW_GROUP_ROWS): Promise<StagingDb> {
    if (rowGroupRows % BATCH_ROWS !== 0) throw new Error(`row groups must hold a multiple of ${BATCH_ROWS} rows`);
    const duck = await import('@duckdb/node-api');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const instance = await duck.DuckDBInstance.create(':memory:', { threads: '1', memory_limit: MEMORY_LIMIT, temp_directory: join(dir, 'spill'), preserve_insertion_order: 'true' });
    return new StagingDb(duck, instance, dir, rowGroupRows);
  }

  /** A Parquet file at `target` with these column names. */
  async file(names: string[], target: string): Promise<ParquetFile> {
    const conn = await this.instance.connect();
    this.open++;
    return new ParquetFile(this, conn, `t${++this.made}`, names, target);
  }

  /** Called by each file when it is done or abandoned. */
  release(): void {
    if (--this.open > 0 || this.closed) return;
    this.closed = true;
    this.instance.closeSync();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

interface Batch {
  columns: unknown[][];
  rows: number;
}

/** Row groups of one column typing, written to one file. */
interface Segment {
  container: ParquetContainer;
  /** The column stats its row groups were written under. */
  stats: ColumnStats[];
  types: string;
}

export class ParquetFile implements ColumnTarget {
  private stats: ColumnStats[];
  private group: Batch[] = [];
  private groupRows = 0;
  /** Row groups handed to DuckDB and not yet in the file, oldest first. */
  private readonly jobs: Promise<void>[] = [];
  private last: Promise<void> = Promise.resolve();
  private segment: Segment | undefined;
  /** Closed segments: their files and stats. */
  private readonly closed: { path: string; stats: ColumnStats[] }[] = [];
  private staging = '';
  private chunk: DuckDBDataChunk | undefined;
  private error: Error | undefined;
  private done = false;

  constructor(
    private readonly db: StagingDb,
    private readonly conn: DuckDBConnection,
    private readonly table: string,
    private readonly names: string[],
    private readonly target: string,
  ) {
    this.stats = names.map(() => newStats());
  }

  append(columns: unknown[][], rows: number): void {
    if (this.error) throw this.error;
    this.group.push({ columns, rows });
    this.groupRows += rows;
    if (this.groupRows >= this.db.rowGroupRows) this.cut();
  }

  /** A promise to wait for when too many row groups wait for DuckDB; else undefined. */
  pending(): Promise<void> | undefined {
    return this.jobs.length > MAX_QUEUED ? this.jobs[0] : undefined;
  }

  async finish(): Promise<{ bytes: number; sha256: string }> {
    if (this.groupRows > 0) this.cut();
    await this.last;
    if (this.error) throw this.error;
    try {
      if (!this.segment) {
        // No rows: an empty file with the columns.
        await this.stageTable();
        await this.copyTo(this.target, this.stats);
        return await hashFile(this.target);
      }
      if (this.closed.length === 0) return this.segment.container.finish();
      this.closeSegment();
      await this.join();
      return await hashFile(this.target);
    } finally {
      this.close();
    }
  }

  abandon(): void {
    if (this.done) return;
    this.done = true;
    this.segment?.container.abandon();
    // A row group may be in DuckDB's hands: close once it is out.
    void this.last.finally(() => this.close());
  }

  private close(): void {
    this.done = true;
    this.conn.closeSync();
    this.db.release();
  }

  /** Hands the full row group to DuckDB, after the ones before it. */
  private cut(): void {
    const batches = this.group;
    this.group = [];
    this.groupRows = 0;
    const job = this.last.then(() => (this.done || this.error ? undefined : this.writeGroup(batches))).catch((e: Error) => void (this.error ??= e));
    this.jobs.push(job);
    this.last = job.finally(() => void this.jobs.shift());
  }

  private async writeGroup(batches: Batch[]): Promise<void> {
    // The kind of every column over this row group and all before it.
    this.stats = this.stats.map((s, j) => {
      let kind = s.kind;
      for (const b of batches) kind = batchKind(kind, b.columns[j]);
      return kind === s.kind ? s : { ...newStats(), kind };
    });
    await this.stageTable();
    const appender = await this.conn.createAppender(this.table);
    try {
      for (const b of batches) {
        this.chunk!.reset();
        this.chunk!.setColumns(b.columns.map((c, j) => stage(c, this.stats[j])) as never);
        appender.appendDataChunk(this.chunk!);
      }
    } finally {
      appender.closeSync();
    }
    const stats = this.stats.map((s) => ({ ...s }));
    const types = stats.map(finalType).join(',');
    if (this.segment && this.segment.types !== types) this.closeSegment();
    const rowGroup = join(this.db.dir, `${this.table}.rowgroup.parquet`);
    await this.copyTo(rowGroup, stats);
    const bytes = readFileSync(rowGroup);
    if (this.done) return;
    if (this.segment && !this.segment.container.add(bytes)) this.closeSegment();
    if (!this.segment) {
      // The first segment is written where the file goes; later ones beside the staging data.
      const path = this.closed.length === 0 ? this.target : join(this.db.dir, `${this.table}.segment${this.closed.length}.parquet`);
      this.segment = { container: new ParquetContainer(path), stats, types };
      if (!this.segment.container.add(bytes)) throw new Error('internal error: a Parquet row group was refused by a new file');
    }
  }

  /** (Re)creates the staging table with the staging type of each column's kind, empty. */
  private async stageTable(): Promise<void> {
    const staging = this.stats.map((s) => stagingType(s.kind)).join(',');
    await this.conn.run(`CREATE OR REPLACE TABLE ${this.table} (${this.stats.map((s, j) => `c${j} ${stagingType(s.kind)}`).join(', ')})`);
    if (staging !== this.staging || !this.chunk) {
      const duck = this.db.duck;
      const typeOf: Record<string, DuckDBType> = { DOUBLE: duck.DOUBLE, BOOLEAN: duck.BOOLEAN, VARCHAR: duck.VARCHAR };
      this.chunk = duck.DuckDBDataChunk.create(this.stats.map((s) => typeOf[stagingType(s.kind)]));
      this.staging = staging;
    }
  }

  /** Writes the staging table to `path` with each column in its final type. */
  private async copyTo(path: string, stats: ColumnStats[]): Promise<void> {
    const select = this.names.map((n, j) => `${finalExpr(`c${j}`, stats[j])} AS ${ident(n)}`).join(', ');
    await this.conn.run(`COPY (SELECT ${select} FROM ${this.table}) TO ${literal(path)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${this.db.rowGroupRows})`);
  }

  /** Ends the current segment; the first moves from the output path to the staging folder. */
  private closeSegment(): void {
    const s = this.segment!;
    this.segment = undefined;
    s.container.finish();
    let path = s.container.path;
    if (path === this.target) {
      path = join(this.db.dir, `${this.table}.segment0.parquet`);
      renameSync(this.target, path);
    }
    this.closed.push({ path, stats: s.stats });
  }

  /** Joins the segments into the output file, each column converted to its final type. */
  private async join(): Promise<void> {
    const selects = this.closed.map(({ path, stats }) => `SELECT ${this.names.map((n, j) => `${convertExpr(ident(n), stats[j], this.stats[j])} AS ${ident(n)}`).join(', ')} FROM read_parquet(${literal(path)})`);
    await this.conn.run(`COPY (${selects.join(' UNION ALL ')}) TO ${literal(this.target)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${this.db.rowGroupRows})`);
    for (const { path } of this.closed) rmSync(path, { force: true });
  }
}

/** The kind a column needs to hold what it held and this batch. */
function batchKind(kind: Kind, values: unknown[]): Kind {
  if (kind === 'text') return kind;
  for (let i = 0; i < values.length; i++) {
    const k = kindOf(values[i]);
    if (k !== kind && k !== 'null') {
      kind = widen(kind, k);
      if (kind === 'text') return kind;
    }
  }
  return kind;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
