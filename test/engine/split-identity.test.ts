/**
 * Every bundled scenario writes the same bytes whatever the split: `--workers 1`, 2 and 3
 * give identical files, and shards 1..3 of 3 concatenate to them (crm-theft's own checks are
 * in cli.test.ts). Each scale is above the plan's ~200,000 expected rows, below which a run
 * starts no worker threads; through the CLI, because worker threads run the compiled code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, removeDir, tempDir } from '../helpers.js';

const tmp = tempDir('split-identity-');
afterAll(() => removeDir(tmp));

const CASES = [
  { file: 'scenarios/aml-graph.yaml', set: ['actors.clients.count=3000'] },
  { file: 'scenarios/card-fraud-city.yaml', set: ['params.clients=2000'] },
  { file: 'scenarios/social-purchases.yaml', set: ['actors.users.count=3000'] },
];

function run(file: string, set: string[], out: string, extra: string[]): { files: { file: string; rows: number }[]; text: string } {
  const r = cli(['run', file, '--out', out, '--quiet', ...set.flatMap((s) => ['--set', s]), ...extra]);
  expect(r.status, r.stderr).toBe(0);
  const text = readFileSync(join(out, 'manifest.json'), 'utf8');
  return { files: JSON.parse(text).files, text };
}

describe('the same bytes at any split, for every bundled scenario', () => {
  for (const { file, set } of CASES) {
    it(`${file}: --workers 1, 2, 3 and shards 1..3 of 3`, () => {
      const name = file.split('/')[1].replace('.yaml', '');
      const one = run(file, set, join(tmp, `${name}-w1`), ['--workers', '1']);
      expect(one.files.reduce((n, f) => n + f.rows, 0)).toBeGreaterThan(200_000);
      // The manifest lists every file's sha256: equal manifests, equal files.
      for (const w of [2, 3]) expect(run(file, set, join(tmp, `${name}-w${w}`), ['--workers', String(w)]).text, `--workers ${w}`).toBe(one.text);
      const shards = [1, 2, 3].map((i) => join(tmp, `${name}-s${i}`));
      shards.forEach((out, i) => run(file, set, out, ['--shard', `${i + 1}/3`, '--workers', '1']));
      for (const f of one.files) {
        const joined = Buffer.concat(shards.map((s) => readFileSync(join(s, f.file))));
        expect(joined.equals(readFileSync(join(tmp, `${name}-w1`, f.file))), f.file).toBe(true);
      }
    }, 180_000);
  }
});
