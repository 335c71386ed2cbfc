/**
 * Parquet column types come from the values (src/sinks/parquet/kinds.ts): written through the
 * engine's DuckDB writer and read back, including columns whose kind only shows after the
 * first batch (widened while the rows stream).
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { BATCH_ROWS } from '../../src/sinks/parquet/column-writer.js';
import { StagingDb } from '../../src/sinks/parquet/duckdb-file.js';
import { removeDir, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => removeDir(tmp));

/** Writes rows (given per column) in batches with an event-loop turn between, as a run does. */
async function write(name: string, columns: Record<string, unknown[]>): Promise<string> {
  const db = await StagingDb.create(join(tmp, `${name}.staging`));
  const out = join(tmp, `${name}.parquet`);
  const names = Object.keys(columns);
  const file = await db.file(names, out);
  const rows = columns[names[0]].length;
  for (let a = 0; a < rows; a += BATCH_ROWS) {
    const b = Math.min(rows, a + BATCH_ROWS);
    file.append(names.map((n) => columns[n].slice(a, b)), b - a);
    await new Promise((r) => setImmediate(r));
  }
  await file.finish();
  return out;
}

async function read(file: string): Promise<{ types: Record<string, string>; rows: Record<string, unknown>[] }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const types = Object.fromEntries((await conn.runAndReadAll(`DESCRIBE SELECT * FROM '${file}'`)).getRowObjectsJS().map((r) => [String(r.column_name), String(r.column_type)]));
    const rows = (await conn.runAndReadAll(`SELECT * FROM '${file}'`)).getRowObjectsJson() as Record<string, unknown>[];
    return { types, rows };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe('parquet column types', () => {
  it('integers, doubles, booleans, timestamps, dates, decimal strings, lists and nulls', async () => {
    const file = await write('types', {
      int: [1, -2, 3, null],
      double: [1, 2.5, -0.125, undefined],
      bool: [true, false, true, null],
      stamp: ['2026-01-05T08:12:33Z', '2026-01-05T23:59:59Z', null, '2026-01-06T00:00:00.250Z'],
      day: ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08'],
      money: ['12.50', '-0.99', '100.00', '3.10'],
      text: ['a', 'b,c', 'ünï', ''],
      path: [['start', 'end'], [], [''], null],
      nums: [[1, 2], [3], [], [4]],
      nothing: [null, null, undefined, Number.NaN],
    });
    const { types, rows } = await read(file);
    expect(types).toEqual({
      int: 'BIGINT',
      double: 'DOUBLE',
      bool: 'BOOLEAN',
      stamp: 'TIMESTAMP',
      day: 'DATE',
      money: 'DOUBLE',
      text: 'VARCHAR',
      path: 'VARCHAR[]',
      nums: 'BIGINT[]',
      nothing: 'VARCHAR',
    });
    expect(rows.map((r) => r.int)).toEqual(['1', '-2', '3', null]);
    expect(rows.map((r) => r.double)).toEqual([1, 2.5, -0.125, null]);
    expect(rows.map((r) => r.stamp)).toEqual(['2026-01-05 08:12:33', '2026-01-05 23:59:59', null, '2026-01-06 00:00:00.25']);
    expect(rows.map((r) => r.money)).toEqual([12.5, -0.99, 100, 3.1]);
    expect(rows.map((r) => r.text)).toEqual(['a', 'b,c', 'ünï', '']);
    expect(rows.map((r) => r.path)).toEqual([['start', 'end'], [], [''], null]);
    expect(rows.map((r) => r.nums)).toEqual([['1', '2'], ['3'], [], ['4']]);
    expect(rows.map((r) => r.nothing)).toEqual([null, null, null, null]);
  });

  it('a column widens when later batches need it: integers then a fraction, numbers then text, nulls then booleans', async () => {
    const n = BATCH_ROWS * 3 + 5;
    const late = (i: number, v: unknown, at: number, other: unknown) => (i === at ? other : v);
    const file = await write('widen', {
      num: Array.from({ length: n }, (_, i) => late(i, i, n - 1, 0.5)),
      mixed: Array.from({ length: n }, (_, i) => late(i, i, BATCH_ROWS * 2, 'x')),
      late: Array.from({ length: n }, (_, i) => (i < BATCH_ROWS + 7 ? null : i % 2 === 0)),
    });
    const { types, rows } = await read(file);
    expect(types).toEqual({ num: 'DOUBLE', mixed: 'VARCHAR', late: 'BOOLEAN' });
    expect(rows.length).toBe(n);
    expect(rows[3].num).toBe(3);
    expect(rows[n - 1].num).toBe(0.5);
    expect(rows[5].mixed).toBe('5');
    expect(rows[BATCH_ROWS * 2].mixed).toBe('x');
    expect(rows[BATCH_ROWS * 2 + 1].mixed).toBe(String(BATCH_ROWS * 2 + 1));
    expect(rows[0].late).toBe(null);
    expect(rows[BATCH_ROWS + 8].late).toBe(true);
  });

  it('an output with no rows is a valid empty file', async () => {
    const { types, rows } = await read(await write('empty', { a: [], b: [] }));
    expect(rows).toEqual([]);
    expect(Object.keys(types)).toEqual(['a', 'b']);
  });
});
