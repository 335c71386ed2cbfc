/**
 * Parquet and gzip outputs: DuckDB reads back every row with the right types and values,
 * the bytes are reproducible (also with 2 workers against 1), and the manifest hashes the
 * stored (compressed) file.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GzipBlocks } from '../../src/sinks/gzip.js';
import { CLI, cli, readCsv, removeDir, ROOT, runToTemp, tempDir } from '../helpers.js';

const dirs: string[] = [];
let conn: DuckDBConnection;
let instance: DuckDBInstance;
let csv: { dir: string; manifest: any };
let parquet: { dir: string; manifest: any };

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  csv = await runToTemp('scenarios/crm-theft.yaml', { seed: 11, format: 'csv' });
  parquet = await runToTemp('scenarios/crm-theft.yaml', { seed: 11, format: 'parquet' });
  dirs.push(csv.dir, parquet.dir);
});
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
  dirs.forEach((d) => removeDir(dirname(d)));
});

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS();
}

async function types(file: string): Promise<Record<string, string>> {
  const rows = await query(`DESCRIBE SELECT * FROM '${file}'`);
  return Object.fromEntries(rows.map((r) => [String(r.column_name), String(r.column_type)]));
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('parquet', () => {
  it('crm-theft sessions read back with typed columns: integers, a list of strings', async () => {
    const file = join(parquet.dir, 'sessions.parquet');
    expect(await types(file)).toEqual({
      UserID: 'BIGINT',
      Day: 'BIGINT',
      UserSessionId: 'BIGINT',
      SessionActivity: 'VARCHAR[]',
      UserRole: 'BIGINT',
      PotentialFraudster: 'BIGINT',
      FraudulentActivity: 'BIGINT',
    });
    const [meta] = await query(`SELECT count(*) AS n FROM parquet_metadata('${file}') WHERE compression <> 'ZSTD'`);
    expect(Number(meta.n), 'every column chunk is zstd-compressed').toBe(0);
  });

  it('every row and value equals the CSV of the same seed', async () => {
    const rows = await query(`SELECT * FROM '${join(parquet.dir, 'sessions.parquet')}'`);
    const { header, rows: expected } = readCsv(join(csv.dir, 'sessions.csv'));
    expect(rows.length).toBe(expected.length);
    expect(rows.length).toBe(parquet.manifest.files[0].rows);
    let wrong = 0;
    rows.forEach((r, i) => {
      const got = header.map((h) => (Array.isArray(r[h]) ? (r[h] as string[]).join('|') : String(r[h])));
      if (got.join(',') !== expected[i].join(',')) wrong++;
    });
    expect(wrong).toBe(0);
  });

  it('the state-list output reads back in order', async () => {
    const file = join(parquet.dir, 'id2action.parquet');
    expect(await types(file)).toEqual({ id: 'BIGINT', action: 'VARCHAR' });
    const rows = await query(`SELECT * FROM '${file}'`);
    expect(rows.map((r) => `${r.id}:${r.action}`)).toEqual(readCsv(join(csv.dir, 'id2action.csv')).rows.map((r) => r.join(':')));
  });

  it('the manifest hashes the file, and the same seed writes the same bytes', async () => {
    const again = await runToTemp('scenarios/crm-theft.yaml', { seed: 11, format: 'parquet' });
    dirs.push(again.dir);
    for (const f of parquet.manifest.files) {
      const bytes = readFileSync(join(parquet.dir, f.file));
      expect(f.bytes).toBe(bytes.length);
      expect(f.sha256).toBe(sha(bytes));
      expect(sha(readFileSync(join(again.dir, f.file))), f.file).toBe(f.sha256);
    }
  });

  it('DuckDB reads the CSV outputs with the same row counts and integer columns', async () => {
    const file = join(csv.dir, 'sessions.csv');
    const t = await types(file);
    expect(t.UserID).toBe('BIGINT');
    expect(t.FraudulentActivity).toBe('BIGINT');
    expect(t.SessionActivity).toBe('VARCHAR');
    const [c] = await query(`SELECT count(*) AS n, sum(FraudulentActivity) AS pos FROM '${file}'`);
    expect(Number(c.n)).toBe(csv.manifest.files[0].rows);
    expect(Number(c.pos)).toBe(csv.manifest.files[0].label.positive);
    const [same] = await query(
      `SELECT count(*) AS n FROM read_csv('${file}') c POSITIONAL JOIN '${join(parquet.dir, 'sessions.parquet')}' p WHERE c.SessionActivity <> array_to_string(p.SessionActivity, '|') OR c.UserID <> p.UserID`,
    );
    expect(Number(same.n)).toBe(0);
    const ids = join(csv.dir, 'id2action.csv');
    expect(await types(ids)).toEqual({ id: 'BIGINT', action: 'VARCHAR' });
    expect((await query(`SELECT * FROM '${ids}'`)).map((r) => `${r.id}:${r.action}`)).toEqual(['0:<pad>', '1:start', '2:end', '3:action_1', '4:action_2', '5:action_3', '6:action_4', '7:action_5']);
  });
});

describe('gzip', () => {
  it('csv.gz and jsonl.gz hold exactly the plain bytes; the manifest hashes the compressed file', async () => {
    const jsonl = await runToTemp('scenarios/crm-theft.yaml', { seed: 11, format: 'jsonl' });
    const csvGz = await runToTemp('scenarios/crm-theft.yaml', { seed: 11, format: 'csv.gz' });
    const jsonlGz = await runToTemp('scenarios/crm-theft.yaml', { seed: 11, format: 'jsonl.gz' });
    dirs.push(jsonl.dir, csvGz.dir, jsonlGz.dir);
    for (const [gz, plain, ext] of [
      [csvGz, csv, 'csv'],
      [jsonlGz, jsonl, 'jsonl'],
    ] as const) {
      for (const f of gz.manifest.files) {
        expect(f.file.endsWith(`.${ext}.gz`)).toBe(true);
        const stored = readFileSync(join(gz.dir, f.file));
        expect(stored[0]).toBe(0x1f);
        expect(stored[1]).toBe(0x8b);
        expect(f.sha256).toBe(sha(stored));
        expect(f.bytes).toBe(stored.length);
        const original = readFileSync(join(plain.dir, f.file.replace(/\.gz$/, '')));
        expect(gunzipSync(stored).equals(original), f.file).toBe(true);
        expect(stored.length).toBeLessThan(original.length);
      }
    }
    const [c] = await query(`SELECT count(*) AS n FROM '${join(csvGz.dir, 'sessions.csv.gz')}'`);
    expect(Number(c.n)).toBe(40000);
    const [j] = await query(`SELECT count(*) AS n, count(DISTINCT UserID) AS users FROM read_json('${join(jsonlGz.dir, 'sessions.jsonl.gz')}')`);
    expect(Number(j.n)).toBe(40000);
    expect(Number(j.users)).toBe(200);
    const again = await runToTemp('scenarios/crm-theft.yaml', { seed: 11, format: 'csv.gz' });
    dirs.push(again.dir);
    expect(readFileSync(join(again.dir, 'sessions.csv.gz')).equals(readFileSync(join(csvGz.dir, 'sessions.csv.gz')))).toBe(true);
  });

  it('gzip output does not depend on how the bytes were cut', () => {
    const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => `${i},${(i * 7919) % 1013}\n`).join(''));
    const compress = (cuts: number[]) => {
      const g = new GzipBlocks(6, 1 << 16);
      const out: Uint8Array[] = [];
      let at = 0;
      for (const c of [...cuts, data.length]) {
        out.push(...g.push(data.subarray(at, c)));
        at = c;
      }
      out.push(...g.end());
      return Buffer.concat(out);
    };
    const whole = compress([]);
    expect(compress([1, 70_000, 70_001, 1_000_000]).equals(whole)).toBe(true);
    expect(gunzipSync(whole).equals(data)).toBe(true);
    expect(gunzipSync(Buffer.concat(new GzipBlocks().end())).length, 'an empty file is still valid gzip').toBe(0);
  });
});

describe('workers', () => {
  it('--workers 2 writes the same parquet and csv.gz bytes as --workers 1', () => {
    const tmp = tempDir();
    dirs.push(join(tmp, 'x'));
    for (const format of ['parquet', 'csv.gz']) {
      const manifests = [1, 2].map((w) => {
        const out = join(tmp, `${format}-${w}`);
        const r = cli(['run', 'scenarios/crm-theft.yaml', '--out', out, '--quiet', '--workers', String(w), '--format', format, '--set', 'actors.users.count=2000']);
        expect(r.status, r.stderr).toBe(0);
        return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      });
      expect(manifests[0].files[0].rows).toBe(400_000);
      expect(manifests[1].files, format).toEqual(manifests[0].files);
    }
  }, 300_000);

  it('--workers 3, and a shard at --workers 1 and 2, write the same parquet bytes too; the file has row groups of 122,880 rows', async () => {
    const tmp = tempDir();
    dirs.push(join(tmp, 'x'));
    const run = (name: string, args: string[]) => {
      const out = join(tmp, name);
      const r = cli(['run', 'scenarios/crm-theft.yaml', '--out', out, '--quiet', '--format', 'parquet', '--set', 'actors.users.count=2000', ...args]);
      expect(r.status, r.stderr).toBe(0);
      return { out, files: JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).files };
    };
    const one = run('w1', ['--workers', '1']);
    expect(run('w3', ['--workers', '3']).files).toEqual(one.files);
    const shard = ['--shard', '2/3'];
    expect(run('s2w2', [...shard, '--workers', '2']).files).toEqual(run('s2w1', [...shard, '--workers', '1']).files);
    const groups = await query(`SELECT row_group_num_rows AS n FROM parquet_metadata('${join(one.out, 'sessions.parquet')}') WHERE column_id = 0 ORDER BY row_group_id`);
    expect(groups.map((g) => Number(g.n))).toEqual([122_880, 122_880, 122_880, 400_000 - 3 * 122_880]);
  }, 300_000);

  it('an interrupted parquet run leaves nothing behind', async () => {
    const tmp = tempDir();
    dirs.push(join(tmp, 'x'));
    const out = join(tmp, 'interrupted');
    const child = spawn(process.execPath, [CLI, 'run', 'scenarios/crm-theft.yaml', '--out', out, '--workers', '1', '--format', 'parquet', '--set', 'actors.users.count=400000'], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Listened for from the start: a run that ends early (an error, or done before the signal)
    // must fail the checks below, not leave the test waiting for an event already gone.
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const partial = () => readdirSync(tmp).filter((f) => f.includes('interrupted'));
    const started = new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('sessions (markov over users): started')) resolve();
      });
    });
    await Promise.race([started, exited]);
    // Wait until row groups are in the partial file, then stop the run.
    const growing = () => partial().some((d) => (existsSync(join(tmp, d, 'sessions.parquet')) ? readFileSync(join(tmp, d, 'sessions.parquet')).length > 1_000_000 : false));
    for (let t = 0; t < 600 && !growing(); t++) await new Promise((r) => setTimeout(r, 50));
    expect(growing(), `the parquet file grows while the run streams; stderr ${JSON.stringify(stderr.slice(-300))}`).toBe(true);
    child.kill('SIGINT');
    const code = await exited;
    // The run's own output goes with a failure: this test depends on timing, so say what happened.
    expect(code, `exit code; stdout ends ${JSON.stringify(stdout.slice(-300))}, stderr ${JSON.stringify(stderr.slice(-300))}`).toBe(130);
    expect(stderr).toContain('interrupted; the partial output was removed');
    expect(existsSync(out)).toBe(false);
    expect(partial()).toEqual([]);
  }, 120_000);
});
