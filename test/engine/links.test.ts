/**
 * The links kernel on small inline scenarios (seed 3): the pair model at p = 1 and against
 * the binomial, drawn out-degrees (constant, heavy-tailed, weighted targets), and that pair
 * probabilities cost time per link, not per pair.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, runToTemp } from '../helpers.js';
import { readLinks } from './graph-files.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => removeDir(d)));

/** Runs one links process from `a` (n members) to `b` (m members; `a` itself when m is undefined). */
async function links(spec: string, n: number, m?: number): Promise<[number, number][]> {
  const dir = mkdtempSync(join(tmpdir(), 'links-test-'));
  dirs.push(dir);
  const file = join(dir, 'scenario.yaml');
  writeFileSync(
    file,
    [
      'scenario: links-test',
      'seed: 3',
      'actors:',
      `  a: { count: ${n}, attributes: { popular: { expr: "index < 10" } } }`,
      ...(m === undefined ? [] : [`  b: { count: ${m}, attributes: { popular: { expr: "index < 10" } } }`]),
      'processes:',
      `  l: { links: { from: a, to: ${m === undefined ? 'a' : 'b'}, ${spec} } }`,
      'outputs:',
      '  l: { from: l, delimiter: "|", columns: { source: source.id, target: target.id } }',
    ].join('\n'),
  );
  const run = await runToTemp(file);
  dirs.push(dirname(run.dir));
  return readLinks(join(run.dir, 'l.csv'));
}

const key = ([s, t]: [number, number]) => `${s}>${t}`;

describe('links', () => {
  it('p = 1 within one population gives every ordered pair but self-links', async () => {
    const l = await links('p: 1', 30);
    expect(l.length).toBe(30 * 29);
    expect(l.some(([s, t]) => s === t)).toBe(false);
    expect(new Set(l.map(key)).size).toBe(l.length);
  }, 30_000);

  it('p per pair matches the binomial (4 sd), without duplicates', async () => {
    const l = await links('p: 0.05', 300, 200);
    const pairs = 300 * 200;
    expect(Math.abs(l.length - 0.05 * pairs)).toBeLessThanOrEqual(4 * Math.sqrt(pairs * 0.05 * 0.95));
    expect(new Set(l.map(key)).size).toBe(l.length);
    // Targets uniform: each half of the targets gets about half the links (4 sd).
    const low = l.filter(([, t]) => t < 100).length;
    expect(Math.abs(low - l.length / 2)).toBeLessThanOrEqual(4 * Math.sqrt(l.length / 4));
  }, 30_000);

  it('costs time per link, not per pair: 10^10 pairs at p = 10^-7 in seconds (testing each pair would take minutes)', async () => {
    const started = performance.now();
    const l = await links('p: 0.0000001', 100_000, 100_000);
    expect(Math.abs(l.length - 1000)).toBeLessThanOrEqual(4 * Math.sqrt(1000));
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('out_degree gives each source that many distinct targets, never itself', async () => {
    const l = await links('out_degree: 5', 50);
    expect(l.length).toBe(250);
    expect(l.some(([s, t]) => s === t)).toBe(false);
    expect(new Set(l.map(key)).size).toBe(250);
  }, 30_000);

  it('a Pareto out-degree is heavy-tailed', async () => {
    const l = await links('out_degree: "floor(pareto(1, 1.2))"', 2000);
    const degree = new Map<number, number>();
    for (const [s] of l) degree.set(s, (degree.get(s) ?? 0) + 1);
    const sorted = [...degree.values()].sort((a, b) => a - b);
    // P(D >= 100) = 100^-1.2 = 0.4%, so about 8 of 2,000 sources; the median is 1.
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThanOrEqual(2);
    expect(sorted[sorted.length - 1]).toBeGreaterThanOrEqual(50);
  }, 30_000);

  it('target_weight draws popular targets more often', async () => {
    const l = await links('out_degree: 3, target_weight: "target.popular ? 100 : 1"', 1000, 1000);
    // Weight 1,000 of 1,990 on the 10 popular targets, less what duplicates and self-links remove.
    const share = l.filter(([, t]) => t < 10).length / l.length;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.55);
    expect(new Set(l.map(key)).size).toBe(l.length);
  });
});
