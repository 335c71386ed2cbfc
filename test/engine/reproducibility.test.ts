/** Same scenario + seed: identical bytes; another seed: other data; the manifest is true. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, runToTemp } from '../helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => removeDir(dirname(d))));

async function run(seed?: number, format?: 'csv' | 'jsonl') {
  const r = await runToTemp('scenarios/crm-theft.yaml', { seed, format });
  dirs.push(r.dir);
  return r;
}

function files(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('reproducibility', () => {
  it('two runs with the same seed write identical files, manifest included', async () => {
    const a = await run(7);
    const b = await run(7);
    expect(files(a.dir)).toEqual(files(b.dir));
    expect(Object.keys(files(a.dir))).toEqual(['id2action.csv', 'manifest.json', 'scenario.yaml', 'sessions.csv']);
  });

  it('a different seed gives different data', async () => {
    const a = await run(7);
    const b = await run(8);
    expect(readFileSync(join(a.dir, 'sessions.csv'), 'utf8')).not.toEqual(readFileSync(join(b.dir, 'sessions.csv'), 'utf8'));
  });

  it('manifest rows, bytes and sha256 match the files', async () => {
    const { dir, manifest } = await run();
    expect(manifest.seed).toBe(42);
    expect(manifest.scenario.sha256).toBe(createHash('sha256').update(readFileSync(new URL('../../scenarios/crm-theft.yaml', import.meta.url))).digest('hex'));
    for (const f of manifest.files) {
      const bytes = readFileSync(join(dir, f.file));
      expect(f.bytes).toBe(bytes.length);
      expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      const lines = bytes.toString('utf8').split('\n').filter((l) => l.length > 0).length;
      expect(f.rows).toBe(lines - 1); // minus the header
    }
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
  });

  it('JSONL carries the same records as CSV, paths as arrays', async () => {
    const csv = await run(3, 'csv');
    const jsonl = await run(3, 'jsonl');
    const csvRows = readFileSync(join(csv.dir, 'sessions.csv'), 'utf8').trim().split('\n').slice(1);
    const objs = readFileSync(join(jsonl.dir, 'sessions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(objs.length).toBe(csvRows.length);
    objs.slice(0, 500).forEach((o, i) => {
      const f = csvRows[i].split(',');
      expect(o.UserID).toBe(Number(f[0]));
      expect(o.SessionActivity).toEqual(f[3].split('|'));
      expect(o.FraudulentActivity).toBe(Number(f[6]));
    });
  });
});
