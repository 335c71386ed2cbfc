/**
 * Parquet column types come from the values (src/sinks/parquet/kinds.ts): written through the
 * engine's writer and read back with DuckDB, including columns whose kind only shows after the
 * first batch or the first row group (widened while the rows stream), and files of many row
 * groups (written as the rows come, src/sinks/parquet/container.ts).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { BATCH_ROWS } from '../../src/sinks/parquet/column-writer.js';
import { StagingDb } from '../../src/sinks/parquet/duckdb-file.js';
import { removeDir, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => removeDir(tmp));

/** Writes rows (given per column) in batches with an event-loop turn between, as a run does. */
async function write(name: string, columns: Record<string, unknown[]>, rowGroupRows?: number, sizes: number[] = []): Promise<string> {
  const db = await StagingDb.create(join(tmp, `${name}.staging`), rowGroupRows);
  const out = join(tmp, `${name}.parquet`);
  const names = Object.keys(columns);
  const file = await db.file(names, out);
  const rows = columns[names[0]].length;
  for (let a = 0; a < rows; a += BATCH_ROWS) {
    const b = Math.min(rows, a + BATCH_ROWS);
    file.append(names.map((n) => columns[n].slice(a, b)), b - a);
    await new Promise((r) => setImmediate(r));
    for (let p = file.pending(); p; p = file.pending()) await p;
    const size = () => statSync(out, { throwIfNoEntry: false })?.size ?? 0;
    if (sizes.length > 0 && rowGroupRows === BATCH_ROWS) {
      // Each batch is a row group here: wait (5 s at most) until it is in the file.
      const before = size();
      for (let t = 0; t < 500 && size() === before; t++) await new Promise((r) => setTimeout(r, 10));
    }
    sizes.push(size());
  }
  await file.finish();
  return out;
}

async function read(file: string): Promise<{ types: Record<string, string>; rows: Record<string, unknown>[]; rowGroups: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const types = Object.fromEntries((await conn.runAndReadAll(`DESCRIBE SELECT * FROM '${file}'`)).getRowObjectsJS().map((r) => [String(r.column_name), String(r.column_type)]));
    const rows = (await conn.runAndReadAll(`SELECT * FROM '${file}'`)).getRowObjectsJson() as Record<string, unknown>[];
    const [meta] = (await conn.runAndReadAll(`SELECT num_row_groups FROM parquet_file_metadata('${file}')`)).getRowObjectsJS();
    return { types, rows, rowGroups: Number(meta.num_row_groups) };
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
      stamp: ['2026-01-05T08:12:33.000Z', '2026-01-05T23:59:59.999Z', null, '2026-01-06T00:00:00.250Z'],
      stamps: ['2026-01-05T08:12:33Z', '2026-01-05T08:12:33.5Z', null, null],
      notDay: ['2026-01-05', '2026-02-30', null, null],
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
      stamps: 'VARCHAR',
      notDay: 'VARCHAR',
      day: 'DATE',
      money: 'DOUBLE',
      text: 'VARCHAR',
      path: 'VARCHAR[]',
      nums: 'BIGINT[]',
      nothing: 'VARCHAR',
    });
    expect(rows.map((r) => r.int)).toEqual(['1', '-2', '3', null]);
    expect(rows.map((r) => r.double)).toEqual([1, 2.5, -0.125, null]);
    expect(rows.map((r) => r.stamp)).toEqual(['2026-01-05 08:12:33', '2026-01-05 23:59:59.999', null, '2026-01-06 00:00:00.25']);
    expect(rows.map((r) => r.stamps)).toEqual(['2026-01-05T08:12:33Z', '2026-01-05T08:12:33.5Z', null, null]);
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

  it('a file of many row groups grows while the rows come; columns that widen in a later row group read back with their values', async () => {
    const group = BATCH_ROWS * 2;
    const n = group * 4 + 123;
    const at = (i: number, from: number, early: unknown, later: unknown) => (i < from ? early : later);
    const stamp = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1500).toISOString();
    const columns: Record<string, unknown[]> = {
      id: Array.from({ length: n }, (_, i) => i),
      num: Array.from({ length: n }, (_, i) => at(i, group * 2 + 5, i, i + 0.5)),
      mixed: Array.from({ length: n }, (_, i) => at(i, group * 3, i % 7 === 0 ? i * 0.25 : i, `x${i}`)),
      late: Array.from({ length: n }, (_, i) => at(i, group + 7, null, i % 2 === 0)),
      stamp: Array.from({ length: n }, (_, i) => at(i, group * 4, stamp(i), 'soon')),
      day: Array.from({ length: n }, (_, i) => at(i, group, stamp(i).slice(0, 10), i % 3 ? null : 'someday')),
      time: Array.from({ length: n }, (_, i) => at(i, group * 3, stamp(i).slice(11, 23), 'noon')),
      money: Array.from({ length: n }, (_, i) => at(i, group * 2, (i / 8 - 100).toFixed(2), 'n/a')),
      flag: Array.from({ length: n }, (_, i) => at(i, group * 4, i % 5 === 0, 'maybe')),
      nums: Array.from({ length: n }, (_, i) => at(i, group, [i, -i], [i / 2])),
      path: Array.from({ length: n }, (_, i) => at(i, group * 2, [i, i + 1], ['a', String(i)])),
    };
    const sizes: number[] = [];
    const file = await write('groups', columns, group, sizes);
    const { types, rows, rowGroups } = await read(file);
    expect(types).toEqual({
      id: 'BIGINT',
      num: 'DOUBLE',
      mixed: 'VARCHAR',
      late: 'BOOLEAN',
      stamp: 'VARCHAR',
      day: 'VARCHAR',
      time: 'VARCHAR',
      money: 'VARCHAR',
      flag: 'VARCHAR',
      nums: 'DOUBLE[]',
      path: 'VARCHAR[]',
    });
    expect(rowGroups).toBe(5);
    expect(rows.length).toBe(n);
    const text = (v: unknown) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
    let wrong = 0;
    rows.forEach((r, i) => {
      const want = {
        id: String(i),
        num: columns.num[i],
        mixed: String(columns.mixed[i]),
        late: columns.late[i],
        stamp: columns.stamp[i],
        day: columns.day[i],
        time: columns.time[i],
        money: columns.money[i],
        flag: String(columns.flag[i]),
        nums: columns.nums[i],
        path: (columns.path[i] as unknown[]).map(String),
      };
      for (const [k, v] of Object.entries(want)) if (text(r[k]) !== text(v)) wrong++ < 5 && console.log(i, k, r[k], v);
    });
    expect(wrong).toBe(0);

    // Columns that keep their types: the file is the row groups as they were written.
    const steady = Object.fromEntries(['id', 'num', 'money'].map((k) => [k, columns[k].slice(0, group * 2)]));
    const growth: number[] = [0];
    const same = await read(await write('steady', steady, BATCH_ROWS, growth));
    expect(same.rowGroups).toBe(4);
    expect(same.rows.map((r) => r.money)).toEqual(steady.money.map(Number));
    expect(growth[1], 'the first row group is in the file before the next rows come').toBeGreaterThan(4);
    expect(growth[3]).toBeGreaterThan(growth[2]);
    expect(growth[2]).toBeGreaterThan(growth[1]);
  });

  it('a list item holding U+001F stops the run with a message, also when it arrives while the table is being widened', async () => {
    const n = BATCH_ROWS * 2;
    await expect(write('bad', { path: Array.from({ length: n }, (_, i) => (i < BATCH_ROWS ? null : ['a', 'b\u001f'])) })).rejects.toThrow(/U\+001F/);
  });

  it('an output with no rows is a valid empty file', async () => {
    const { types, rows } = await read(await write('empty', { a: [], b: [] }));
    expect(rows).toEqual([]);
    expect(Object.keys(types)).toEqual(['a', 'b']);
  });
});
