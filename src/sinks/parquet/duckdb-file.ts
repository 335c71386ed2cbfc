/**
 * Parquet files written by DuckDB (docs/formats.md says why DuckDB and not a pure-JS
 * writer). Rows are appended as they are generated, a 2048-row batch at a time, to a staging
 * table in an in-memory DuckDB database: DuckDB keeps its memory under MEMORY_LIMIT and
 * spills to a temporary folder inside the run's hidden folder, so a run of any size stays
 * bounded (an on-disk database would also be checkpointed on close: work thrown away). When the
 * run ends, one COPY writes the Parquet file (zstd, row groups of ROW_GROUP_ROWS) with each
 * column in its final type (kinds.ts), and the staging database is deleted.
 *
 * Byte reproducibility: one DuckDB thread, insertion order preserved, batches cut by row
 * count only; DuckDB's Parquet writer then gives the same bytes for the same rows (tested
 * with 1 and 2 workers). The file records the DuckDB version in its `created_by` field.
 *
 * Appends are synchronous; creating the table and widening a column's kind are not, so the
 * batches that arrive meanwhile wait in a backlog and are appended, in order, after.
 */
import { rmSync } from 'node:fs';
import type { DuckDBAppender, DuckDBConnection, DuckDBDataChunk, DuckDBInstance, DuckDBType } from '@duckdb/node-api';
import { hashFile } from '../manifest.js';
import type { ColumnTarget } from './column-writer.js';
import { asTextExpr, finalExpr, kindOf, newStats, stage, stagingType, widen, type ColumnStats, type Kind } from './kinds.js';

type Duck = typeof import('@duckdb/node-api');

export const ROW_GROUP_ROWS = 122_880;
const MEMORY_LIMIT = '128MB';

/** One DuckDB database per run, shared by its Parquet outputs; removed when the last is done. */
export class StagingDb {
  private open = 0;
  private made = 0;
  private closed = false;

  private constructor(
    readonly duck: Duck,
    private readonly instance: DuckDBInstance,
    private readonly path: string,
  ) {}

  static async create(path: string): Promise<StagingDb> {
    const duck = await import('@duckdb/node-api');
    rmStaging(path);
    const instance = await duck.DuckDBInstance.create(':memory:', { threads: '1', memory_limit: MEMORY_LIMIT, temp_directory: path, preserve_insertion_order: 'true' });
    return new StagingDb(duck, instance, path);
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
    rmStaging(this.path);
  }
}

function rmStaging(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

export class ParquetFile implements ColumnTarget {
  private readonly stats: ColumnStats[];
  private types: DuckDBType[] = [];
  /** One chunk, reset for every batch: its native memory is not seen by the GC, so chunks are not left to it. */
  private chunk: DuckDBDataChunk | undefined;
  private appender: DuckDBAppender | undefined;
  private created = false;
  private busy: Promise<void> | undefined;
  private backlog: { columns: unknown[][]; rows: number }[] = [];
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
    if (this.busy) {
      this.backlog.push({ columns, rows });
      return;
    }
    const kinds = this.stats.map((s, j) => batchKind(s.kind, columns[j]));
    if (!this.created || kinds.some((k, j) => k !== this.stats[j].kind)) {
      this.backlog.push({ columns, rows });
      this.busy = this.changeKinds(kinds).then(
        () => {
          this.busy = undefined;
          this.drain();
        },
        (e: Error) => {
          this.busy = undefined;
          this.error = e;
        },
      );
      return;
    }
    this.chunk ??= this.db.duck.DuckDBDataChunk.create(this.types);
    this.chunk.reset();
    this.chunk.setColumns(columns.map((c, j) => stage(c, this.stats[j])) as never);
    this.appender!.appendDataChunk(this.chunk);
  }

  async finish(): Promise<{ bytes: number; sha256: string }> {
    while (this.busy) await this.busy;
    if (this.error) throw this.error;
    if (!this.created) await this.changeKinds(this.stats.map((s) => s.kind));
    this.appender?.closeSync();
    this.appender = undefined;
    const select = this.names.map((n, j) => `${finalExpr(`c${j}`, this.stats[j])} AS ${ident(n)}`).join(', ');
    await this.conn.run(`COPY (SELECT ${select} FROM ${this.table}) TO ${literal(this.target)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`);
    await this.conn.run(`DROP TABLE ${this.table}`);
    this.close();
    return hashFile(this.target);
  }

  abandon(): void {
    if (this.done) return;
    try {
      this.appender?.closeSync();
    } catch {
      // the run failed already; the staging database is removed with the folder
    }
    this.close();
  }

  private close(): void {
    this.done = true;
    this.conn.closeSync();
    this.db.release();
  }

  /** Appends the batches that waited, until one needs another change of kinds. */
  private drain(): void {
    const waiting = this.backlog;
    this.backlog = [];
    for (let i = 0; i < waiting.length; i++) {
      if (this.done) return;
      this.append(waiting[i].columns, waiting[i].rows);
      if (this.busy) {
        this.backlog.push(...waiting.slice(i + 1));
        return;
      }
    }
  }

  /** Creates the staging table, or widens columns whose values turned out broader. */
  private async changeKinds(kinds: Kind[]): Promise<void> {
    this.appender?.closeSync();
    this.appender = undefined;
    if (!this.created) {
      const cols = kinds.map((k, j) => `c${j} ${stagingType(k)}`).join(', ');
      await this.conn.run(`CREATE TABLE ${this.table} (${cols})`);
      this.created = true;
    } else {
      for (let j = 0; j < kinds.length; j++) {
        const from = this.stats[j].kind;
        const to = kinds[j];
        if (from === to) continue;
        await this.conn.run(widenSql(this.table, `c${j}`, from, to));
      }
    }
    kinds.forEach((k, j) => {
      if (this.stats[j].kind !== k) this.stats[j] = { ...newStats(), kind: k };
    });
    const duck = this.db.duck;
    const typeOf = { DOUBLE: duck.DOUBLE, BOOLEAN: duck.BOOLEAN, VARCHAR: duck.VARCHAR };
    this.types = kinds.map((k) => typeOf[stagingType(k)]);
    this.chunk = undefined;
    if (!this.done) this.appender = await this.conn.createAppender(this.table);
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

