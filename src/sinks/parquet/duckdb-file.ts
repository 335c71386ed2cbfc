/**
 * Parquet files written row group by row group while the run streams (docs/formats.md says
 * why this way). Rows arrive in 2,048-row column batches (column-writer.ts) and are appended
 * at once (DuckDB's appender, one data chunk per batch) to one of two small staging tables of
 * an in-memory DuckDB database. When a table holds a row group (ROW_GROUP_ROWS), one
 * `COPY ... (FORMAT parquet, COMPRESSION zstd)` writes it as a one-row-group file in a
 * DuckDB thread, while the run goes on filling the other table; container.ts then copies its
 * column chunks to the end of the output file. The file on disk so grows one row group at a
 * time, and memory holds two row groups in DuckDB, plus, when DuckDB falls behind, a quarter
 * of a row group of values waiting (`pending()` makes the run wait past that; a worker's chunk
 * arrives whole, so with workers it is one chunk).
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
import type { DuckDBAppender, DuckDBConnection, DuckDBDataChunk, DuckDBInstance, DuckDBType } from '@duckdb/node-api';
import { hashFile } from '../manifest.js';
import { BATCH_ROWS, type ColumnTarget } from './column-writer.js';
import { ParquetContainer } from './container.js';
import { asTextExpr, convertExpr, finalExpr, finalType, kindOf, newStats, stage, stagingType, widen, type ColumnStats, type Kind } from './kinds.js';

type Duck = typeof import('@duckdb/node-api');

export const ROW_GROUP_ROWS = 122_880;
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
    const table = `t${++this.made}`;
    const conns = await Promise.all([0, 1, 2].map(() => this.instance.connect()));
    this.open++;
    const file = new ParquetFile(this, conns, table, names, target);
    await file.ready();
    return file;
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

/** A staging table, with its own connection (so it can be reshaped while the other is copied). */
interface Slot {
  name: string;
  conn: DuckDBConnection;
  appender: DuckDBAppender | undefined;
  chunk: DuckDBDataChunk | undefined;
  /** The staging types it was made with. */
  staging: string;
  rows: number;
  /** Set while it is being copied, made or reshaped: no rows go in meanwhile. */
  busy: Promise<void> | undefined;
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
  private readonly slots: Slot[];
  /** The slot being filled. */
  private cur = 0;
  /** Batches that wait for their slot, in order. */
  private backlog: Batch[] = [];
  private backlogRows = 0;
  /** Row groups being copied, in order. */
  private last: Promise<void> = Promise.resolve();
  private segment: Segment | undefined;
  /** Closed segments: their files and stats. */
  private readonly closed: { path: string; stats: ColumnStats[] }[] = [];
  private readonly copyConn: DuckDBConnection;
  private error: Error | undefined;
  private done = false;

  constructor(
    private readonly db: StagingDb,
    private readonly conns: DuckDBConnection[],
    private readonly table: string,
    private readonly names: string[],
    private readonly target: string,
  ) {
    this.stats = names.map(() => newStats());
    this.copyConn = conns[0];
    this.slots = [1, 2].map((i) => ({ name: `${table}_${i}`, conn: conns[i], appender: undefined, chunk: undefined, staging: '', rows: 0, busy: undefined }));
  }

  /** Makes both staging tables. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => this.remake(s)));
  }

  append(columns: unknown[][], rows: number): void {
    if (this.error) throw this.error;
    const batch = { columns, rows };
    if (this.backlog.length > 0) this.wait(batch);
    else this.put(batch);
  }

  /** A promise to wait for when a quarter of a row group of values waits for DuckDB; else undefined. */
  pending(): Promise<void> | undefined {
    if (this.backlogRows * 4 < this.db.rowGroupRows || this.error) return undefined;
    return this.slots[this.cur].busy ?? this.last;
  }

  async finish(): Promise<{ bytes: number; sha256: string }> {
    while (this.backlog.length > 0 && !this.error) {
      const busy = this.slots[this.cur].busy;
      if (busy) await busy;
      else this.drain();
    }
    if (!this.error && this.slots[this.cur].rows > 0) this.endGroup();
    await this.last;
    await Promise.all(this.slots.map((s) => s.busy));
    if (this.error) throw this.error;
    try {
      if (!this.segment) {
        // No rows: an empty file with the columns.
        await this.copyConn.run(this.copySql(this.slots[this.cur].name, this.target, this.stats));
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
    for (const s of this.slots) {
      try {
        s.appender?.closeSync();
      } catch {
        // the run failed already
      }
      s.appender = undefined;
    }
    // A row group may be in DuckDB's hands: close once it is out.
    void Promise.all([this.last, ...this.slots.map((s) => s.busy)]).finally(() => this.close());
  }

  private close(): void {
    this.done = true;
    for (const c of this.conns) c.closeSync();
    this.db.release();
  }

  private wait(batch: Batch): void {
    this.backlog.push(batch);
    this.backlogRows += batch.rows;
  }

  /** Appends a batch to the slot being filled, or leaves it waiting (false) until the slot is ready. */
  private put(batch: Batch): boolean {
    const slot = this.slots[this.cur];
    if (slot.busy || this.done) {
      this.wait(batch);
      return false;
    }
    const kinds = this.stats.map((s, j) => batchKind(s.kind, batch.columns[j]));
    if (kinds.some((k, j) => k !== this.stats[j].kind)) {
      const before = this.stats.map((s) => s.kind);
      this.stats = this.stats.map((s, j) => (kinds[j] === s.kind ? s : { ...newStats(), kind: kinds[j] }));
      this.occupy(slot, slot.rows === 0 ? this.remake(slot) : this.reshape(slot, before));
      this.wait(batch);
      return false;
    }
    if (slot.staging !== this.staging()) {
      this.occupy(slot, this.remake(slot));
      this.wait(batch);
      return false;
    }
    slot.chunk!.reset();
    slot.chunk!.setColumns(batch.columns.map((c, j) => stage(c, this.stats[j])) as never);
    slot.appender!.appendDataChunk(slot.chunk!);
    slot.rows += batch.rows;
    if (slot.rows >= this.db.rowGroupRows) this.endGroup();
    return true;
  }

  /** Marks the slot busy with `work`; when done, the waiting batches go in. */
  private occupy(slot: Slot, work: Promise<void>): void {
    slot.busy = work
      .catch((e: Error) => void (this.error ??= e))
      .then(() => {
        slot.busy = undefined;
        try {
          this.drain();
        } catch (e) {
          // A bad value (see kinds.ts) or DuckDB: the run's next append or finish throws it.
          this.error ??= e as Error;
        }
      });
  }

  private drain(): void {
    if (this.error || this.done) return;
    const waiting = this.backlog;
    this.backlog = [];
    this.backlogRows = 0;
    for (let i = 0; i < waiting.length; i++) {
      if (!this.put(waiting[i])) {
        for (let k = i + 1; k < waiting.length; k++) this.wait(waiting[k]);
        return;
      }
    }
  }

  /** The slot being filled holds a row group: copy it (after the ones before), fill the other. */
  private endGroup(): void {
    const slot = this.slots[this.cur];
    slot.appender!.closeSync();
    slot.appender = undefined;
    const stats = this.stats.map((s) => ({ ...s }));
    const copied = this.last.then(() => (this.done || this.error ? undefined : this.copyGroup(slot, stats)));
    this.last = copied.catch((e: Error) => void (this.error ??= e));
    this.occupy(slot, copied.then(() => this.remake(slot)));
    this.cur = 1 - this.cur;
  }

  private async copyGroup(slot: Slot, stats: ColumnStats[]): Promise<void> {
    const types = stats.map(finalType).join(',');
    if (this.segment && this.segment.types !== types) this.closeSegment();
    const rowGroup = join(this.db.dir, `${this.table}.rowgroup.parquet`);
    await this.copyConn.run(this.copySql(slot.name, rowGroup, stats));
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

  private staging(): string {
    return this.stats.map((s) => stagingType(s.kind)).join(',');
  }

  /** (Re)creates a slot's table, empty, with the staging type of each column's kind. */
  private async remake(slot: Slot): Promise<void> {
    slot.appender?.closeSync();
    slot.appender = undefined;
    const staging = this.staging();
    await slot.conn.run(`CREATE OR REPLACE TABLE ${slot.name} (${this.stats.map((s, j) => `c${j} ${stagingType(s.kind)}`).join(', ')})`);
    slot.rows = 0;
    await this.openAppender(slot, staging);
  }

  /** Widens the columns of a slot's table that hold rows of a narrower kind (`before`). */
  private async reshape(slot: Slot, before: Kind[]): Promise<void> {
    slot.appender?.closeSync();
    slot.appender = undefined;
    const staging = this.staging();
    for (let j = 0; j < before.length; j++) {
      if (before[j] !== this.stats[j].kind) await slot.conn.run(widenSql(slot.name, `c${j}`, before[j], this.stats[j].kind));
    }
    await this.openAppender(slot, staging);
  }

  private async openAppender(slot: Slot, staging: string): Promise<void> {
    if (this.done) return;
    slot.appender = await slot.conn.createAppender(slot.name);
    if (slot.staging !== staging || !slot.chunk) {
      const duck = this.db.duck;
      const typeOf: Record<string, DuckDBType> = { DOUBLE: duck.DOUBLE, BOOLEAN: duck.BOOLEAN, VARCHAR: duck.VARCHAR };
      slot.chunk = duck.DuckDBDataChunk.create(staging.split(',').map((t) => typeOf[t]));
      slot.staging = staging;
    }
  }

  /** COPY of a staging table to `path`, each column in its final type under `stats`. */
  private copySql(table: string, path: string, stats: ColumnStats[]): string {
    const select = this.names.map((n, j) => `${finalExpr(`c${j}`, stats[j])} AS ${ident(n)}`).join(', ');
    return `COPY (SELECT ${select} FROM ${table}) TO ${literal(path)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${this.db.rowGroupRows})`;
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
    await this.copyConn.run(`COPY (${selects.join(' UNION ALL ')}) TO ${literal(this.target)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${this.db.rowGroupRows})`);
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

function widenSql(table: string, col: string, from: Kind, to: Kind): string {
  if (to === 'text') {
    if (from === 'list') return `UPDATE ${table} SET ${col} = ${asTextExpr(col, from)}`;
    if (stagingType(from) === 'VARCHAR') return 'SELECT 1';
    return `ALTER TABLE ${table} ALTER ${col} SET DATA TYPE VARCHAR USING (${asTextExpr(col, from)})`;
  }
  // from 'null': the column holds only NULLs so far.
  return stagingType(to) === 'VARCHAR' ? 'SELECT 1' : `ALTER TABLE ${table} ALTER ${col} SET DATA TYPE ${stagingType(to)}`;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
