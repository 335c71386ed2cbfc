/**
 * `fake:` attributes: the same values for the same seed, other values for another seed,
 * locales, the fill probability, and located errors for unknown kinds and locales.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/pipeline.js';
import { removeDir, runToTemp } from '../helpers.js';
import { readTable } from './graph-files.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => removeDir(d)));

function scenario(attributes: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-test-'));
  dirs.push(dir);
  const file = join(dir, 'scenario.yaml');
  const names = attributes.map((a) => a.split(':')[0].trim());
  writeFileSync(
    file,
    [
      'scenario: fake-test',
      'seed: 5',
      'actors:',
      '  people:',
      '    count: 400',
      '    attributes:',
      ...attributes.map((a) => `      ${a}`),
      'processes:',
      '  rows: { members: { actor: people } }',
      'outputs:',
      `  people: { from: rows, delimiter: "|", columns: { ${names.map((n) => `${n}: actor.${n}`).join(', ')} } }`,
    ].join('\n'),
  );
  return file;
}

async function rows(file: string, seed?: number): Promise<Record<string, string>[]> {
  const run = await runToTemp(file, { seed });
  dirs.push(dirname(run.dir));
  return readTable(join(run.dir, 'people.csv'));
}

const ATTRS = ['first: { fake: person.firstName }', 'email: { fake: internet.email }', 'city: { fake: { kind: location.city, locale: de } }', 'title: { fake: { kind: person.jobTitle, fill: 0.15 } }'];

describe('fake attributes', () => {
  it('are identical across runs with the same seed, and differ with another seed', async () => {
    const file = scenario(ATTRS);
    const a = await rows(file);
    const b = await rows(file);
    expect(b).toEqual(a);
    const c = await rows(file, 6);
    expect(c.filter((r, i) => r.email !== a[i].email).length).toBeGreaterThan(390);
    expect(a.every((r) => r.first.length > 0 && r.email.includes('@'))).toBe(true);
  }, 60_000);

  it('fills a value with the fill probability (binomial, 4 sd)', async () => {
    const r = await rows(scenario(ATTRS));
    const filled = r.filter((x) => x.title !== '').length;
    expect(Math.abs(filled - 0.15 * 400)).toBeLessThanOrEqual(4 * Math.sqrt(400 * 0.15 * 0.85));
  }, 30_000);

  it('draws from the chosen locale', async () => {
    const de = await rows(scenario(['city: { fake: { kind: location.city, locale: de } }']));
    const en = await rows(scenario(['city: { fake: { kind: location.city, locale: en } }']));
    expect(de.filter((r, i) => r.city !== en[i].city).length).toBeGreaterThan(350);
  }, 30_000);

  it('reports an unknown method or locale where it is written', () => {
    const bad = loadScenario(scenario(['x: { fake: person.shoeSize }']));
    expect(bad.diagnostics[0]?.line).toBe(7);
    const locale = loadScenario(scenario(['x: { fake: { kind: person.firstName, locale: xx_YY } }']));
    expect(locale.diagnostics.map((d) => [d.code, d.line])).toEqual([['ref-unknown', 7]]);
  });
});
