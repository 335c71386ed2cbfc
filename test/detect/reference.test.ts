/**
 * The detector against the naive reference on generated logs: dense small graphs, churn, repeated
 * and out-of-order timestamps, amounts with three decimals or beyond exact doubles, spikes, and
 * a few lines the detector must skip. Several D and T, fixed seeds, with and without the cache.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnomalyDetector, BadEventError, detectFiles, parseEventLine } from '../../src/detect/index.js';
import { rngFor } from '../../src/rng/index.js';
import { referenceDetect } from './reference.js';

interface Generated {
  batch: string[];
  stream: string[];
}

function generate(seed: number, D: number, T: number, users: number, events: number): Generated {
  const rng = rngFor(seed, 'detect-reference-test', D, T);
  const pick = (): string => String(1 + Math.floor(rng() * users));
  const lines: string[] = [];
  let clock = Date.UTC(2017, 5, 13, 11, 0, 0);
  for (let i = 0; i < events; i++) {
    if (rng() > 0.6) clock += 1000 * (1 + Math.floor(rng() * 3));
    // Now and then an event stamped in the past: order comes from timestamps, not arrival.
    const when = rng() < 0.05 ? clock - 1000 * Math.floor(rng() * 30) : clock;
    const ts = new Date(when).toISOString().slice(0, 19).replace('T', ' ');
    const r = rng();
    if (r < 0.25) {
      const a = pick();
      const b = rng() < 0.05 ? a : pick(); // sometimes a self-befriend, which must be skipped
      lines.push(`{"event_type":"befriend", "timestamp":"${ts}", "id1": "${a}", "id2": "${b}"}`);
    } else if (r < 0.33) {
      lines.push(`{"event_type":"unfriend", "timestamp":"${ts}", "id1": "${pick()}", "id2": "${pick()}"}`);
    } else {
      lines.push(`{"event_type":"purchase", "timestamp":"${ts}", "id": "${pick()}", "amount": "${amount(rng)}"}`);
    }
  }
  const cut = Math.floor(events * 0.4);
  return { batch: [`{"D":"${D}", "T":"${T}"}`, ...lines.slice(0, cut)], stream: lines.slice(cut) };
}

function amount(rng: () => number): string {
  const r = rng();
  if (r < 0.05) return (10 + Math.floor(rng() * 5)).toFixed(2); // repeated values: sd 0 and ties
  if (r < 0.1) return (rng() * 100).toFixed(3); // a third decimal
  if (r < 0.12) return (1e9 + Math.floor(rng() * 1e12) / 100).toFixed(2); // beyond exact doubles
  const base = 5 + rng() * 60;
  return (r < 0.2 ? base * (3 + rng() * 10) : base).toFixed(2); // some spikes get flagged
}

function runDetector({ batch, stream }: Generated, cacheBudget: number, cacheWindow?: number, stats?: { pauses: number }): string[] {
  const header = JSON.parse(batch[0]) as { D: string; T: string };
  const detector = new AnomalyDetector({ D: Number(header.D), T: Number(header.T), cacheBudget, cacheWindow });
  const skip = (err: unknown): void => {
    if (!(err instanceof BadEventError)) throw err;
  };
  for (const line of batch.slice(1)) {
    try {
      detector.apply(parseEventLine(line));
    } catch (err) {
      skip(err);
    }
  }
  const flagged: string[] = [];
  for (const line of stream) {
    try {
      const flag = detector.check(parseEventLine(line));
      if (flag !== null) flagged.push(flag.line);
    } catch (err) {
      skip(err);
    }
  }
  if (stats !== undefined) stats.pauses += detector.stats.cache.pauses;
  return flagged;
}

const CONFIGS: [D: number, T: number, users: number][] = [
  [1, 2, 12],
  [1, 5, 30],
  [2, 3, 25],
  [2, 10, 40],
  [3, 4, 30],
  [3, 50, 40],
  [4, 6, 60],
];

describe('detector against the reference implementation', () => {
  for (const [D, T, users] of CONFIGS) {
    for (const seed of [1, 2]) {
      it(`D=${D} T=${T} users=${users} seed=${seed}`, () => {
        const logs = generate(seed, D, T, users, 1500);
        const expected = referenceDetect(logs.batch, logs.stream);
        expect(expected.length).toBeGreaterThan(0); // the comparison must cover flagged purchases
        expect(runDetector(logs, 0)).toEqual(expected);
        expect(runDetector(logs, 4_000_000)).toEqual(expected);
        expect(runDetector(logs, 40)).toEqual(expected); // tiny budget: constant eviction
      });
    }
  }

  it('stays exact while the cache pauses and resumes itself', () => {
    const stats = { pauses: 0 };
    for (const [D, T, users] of CONFIGS.filter(([D]) => D > 1)) {
      const logs = generate(3, D, T, users, 1500);
      // Windows of 8 lookups: the heavy churn here makes the cache pause and come back often.
      expect(runDetector(logs, 4_000_000, 8, stats)).toEqual(referenceDetect(logs.batch, logs.stream));
    }
    expect(stats.pauses).toBeGreaterThan(0);
  });

  it('gives the same result through the file runner', async () => {
    const logs = generate(7, 3, 10, 40, 3000);
    const dir = await mkdtemp(join(tmpdir(), 'detect-reference-'));
    try {
      await writeFile(join(dir, 'batch.json'), logs.batch.join('\n') + '\n');
      await writeFile(join(dir, 'stream.json'), logs.stream.join('\n'));
      const report = await detectFiles({ batch: join(dir, 'batch.json'), stream: join(dir, 'stream.json'), out: join(dir, 'out.json') });
      const lines = (await readFile(join(dir, 'out.json'), 'utf8')).split('\n').filter((l) => l.length > 0);
      expect(lines).toEqual(referenceDetect(logs.batch, logs.stream));
      expect(report.flagged).toBe(lines.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
