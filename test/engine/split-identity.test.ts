/**
 * Every bundled scenario writes the same bytes whatever the split: `--workers 1`, 2 and 3
 * give identical files, and shards 1..3 of 3 concatenate to them (crm-theft's own checks are
 * in cli.test.ts). Each scale is above the plan's ~200,000 expected rows, below which a run
 * starts no worker threads; through the CLI, because worker threads run the compiled code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, removeDir, tempDir, writeIn } from '../helpers.js';

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

describe('a population draw that fails', () => {
  it('stops the run with the same located error whether the threads helped draw it or not', () => {
    // Member 700 divides by zero: the threads' blocks are redrawn by the main thread, which
    // reports the first failing member, as one thread does.
    const file = writeIn(
      tmp,
      'bad-draw.yaml',
      [
        'scenario: bad-draw',
        'actors:',
        '  people:',
        '    count: 3000',
        '    attributes:',
        '      first: { fake: person.firstName }',
        '      ratio: { expr: "index == 700 ? 1 / 0 : index" }',
        'processes:',
        '  rows: { members: { actor: people } }',
        'outputs:',
        '  people: { from: rows, columns: { first: actor.first, ratio: actor.ratio } }',
      ].join('\n'),
    );
    const runs = [1, 2].map((w) => cli(['run', file, '--out', join(tmp, `bad-${w}`), '--quiet', '--workers', String(w)]));
    for (const r of runs) {
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/bad-draw\.yaml:7:\d+/);
      expect(r.stderr).toMatch(/member 700/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(runs[1].stderr).toBe(runs[0].stderr);
  }, 60_000);
});
