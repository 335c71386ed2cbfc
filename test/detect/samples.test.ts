/**
 * Every folder under test/samples/detect/ is a case: batch_log.json + stream_log.json in,
 * expected.json out, compared the way the challenge grader does (diff -wubB: whitespace and
 * blank lines ignored). An optional bad-lines.json lists the expected rejected lines per kind as
 * "file:line"; without it the case must have none.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFiles } from '../../src/detect/index.js';

const SAMPLES = join(import.meta.dirname, '..', 'samples', 'detect');

/** What `diff -wubB` compares: lines with all whitespace removed, blank lines dropped. */
function normalize(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ''))
    .filter((line) => line.length > 0);
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'detect-samples-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const cases = (await readdir(SAMPLES, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);

describe('detect samples', () => {
  it('has the official example and the hand-written cases', () => {
    expect(cases).toContain('official-test_1');
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(SAMPLES, name);
      const out = join(work, `${name}.json`);
      const report = await detectFiles({ batch: join(dir, 'batch_log.json'), stream: join(dir, 'stream_log.json'), out });
      const expected = await readFile(join(dir, 'expected.json'), 'utf8');
      expect(normalize(await readFile(out, 'utf8'))).toEqual(normalize(expected));
      expect(report.flagged).toBe(normalize(expected).length);

      const badFile = join(dir, 'bad-lines.json');
      const expectedBad: Record<string, string[]> = existsSync(badFile) ? JSON.parse(await readFile(badFile, 'utf8')) : {};
      const actualBad: Record<string, string[]> = {};
      for (const tally of report.badLines) {
        actualBad[tally.kind] = tally.examples.map((b) => `${basename(b.file)}:${b.line}`);
        expect(tally.count).toBe(tally.examples.length); // every case stays under the example cap
      }
      expect(actualBad).toEqual(expectedBad);
    });
  }
});
