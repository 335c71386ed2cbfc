/**
 * The Parquet container (src/sinks/parquet/container.ts): footers written by DuckDB read and
 * write back byte for byte (thrift.ts), and files joined row group by row group read back
 * with DuckDB: every row, in order, with statistics, dictionaries and bloom filters that
 * still point at the right bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParquetContainer, readFooter } from '../../src/sinks/parquet/container.js';
import { encodeStruct } from '../../src/sinks/parquet/thrift.js';
import { removeDir, tempDir } from '../helpers.js';

const tmp = tempDir();
let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  conn = await instance.connect();
});
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
  removeDir(tmp);
});

async function rows(sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRowsJS();
}

/** A file of `n` rows starting at `from`, of many column types. */
async function part(name: string, from: number, n: number): Promise<string> {
  const path = join(tmp, name);
  await conn.run(
    `COPY (SELECT range AS id, 'm' || (range % 97) AS s, ['start', 'a' || (range % 5), 'end'] AS path, TIMESTAMP '2026-01-01' + to_seconds(range) AS t,
      range % 3 = 0 AS b, range / 7 AS d, CASE WHEN range % 11 = 0 THEN NULL ELSE range END AS maybe
      FROM range(${from}, ${from + n})) TO '${path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
  );
  return path;
}

describe('parquet container', () => {
  it('a DuckDB footer decodes and encodes back to the same bytes', async () => {
    const file = readFileSync(await part('one.parquet', 0, 5000));
    const { meta, start } = readFooter(file);
    expect(Buffer.from(encodeStruct(meta)).equals(file.subarray(start, file.length - 8))).toBe(true);
  });

  it('joined files read back as one: every row in order, filters on statistics and bloom filters', async () => {
    const out = join(tmp, 'joined.parquet');
    const c = new ParquetContainer(out);
    const sizes = [130_000, 1, 70_000];
    let from = 0;
    for (const [i, n] of sizes.entries()) {
      expect(c.add(readFileSync(await part(`p${i}.parquet`, from, n)))).toBe(true);
      from += n;
    }
    const total = from;
    const other = join(tmp, 'other.parquet');
    await conn.run(`COPY (SELECT 1 AS id) TO '${other}' (FORMAT parquet)`);
    expect(c.add(readFileSync(other)), 'a file of another schema is refused').toBe(false);
    const { bytes, sha256 } = c.finish();
    const stored = readFileSync(out);
    expect(bytes).toBe(stored.length);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);

    const all = `read_parquet(['${sizes.map((_, i) => join(tmp, `p${i}.parquet`)).join("', '")}'])`;
    const summary = 'count(*), sum(id), sum(len(path)), min(t), max(t), sum(b::INT), sum(d), count(maybe), string_agg(s, \'\' ORDER BY id)';
    expect(await rows(`SELECT ${summary} FROM '${out}'`)).toEqual(await rows(`SELECT ${summary} FROM ${all}`));
    const [[ordered]] = await rows(`SELECT count(*) FROM (SELECT id, row_number() OVER () - 1 AS i FROM '${out}') WHERE id <> i`);
    expect(Number(ordered)).toBe(0);
    expect(Number((await rows(`SELECT count(*) FROM '${out}'`))[0][0])).toBe(total);
    expect(await rows(`SELECT count(*) FROM '${out}' WHERE s = 'm5'`)).toEqual(await rows(`SELECT count(*) FROM ${all} WHERE s = 'm5'`));
    expect(await rows(`SELECT id, path FROM '${out}' WHERE id IN (3, 130000, 199999) ORDER BY id`)).toEqual([
      [3n, ['start', 'a3', 'end']],
      [130000n, ['start', 'a0', 'end']],
      [199999n, ['start', 'a4', 'end']],
    ]);
    const groups = await rows(`SELECT row_group_id, row_group_num_rows FROM parquet_metadata('${out}') WHERE column_id = 0 ORDER BY row_group_id`);
    expect(groups.map((g) => Number(g[1]))).toEqual([122_880, 130_000 - 122_880, 1, 70_000]);
  });
});
