/**
 * The detector against the naive reference on generated logs: dense small graphs, churn, repeated
 * and out-of-order timestamps, amounts with three decimals or beyond exact doubles, spikes, and
 * a few lines the detector must skip. Several D and T, fixed seeds; then logs shaped to stress the
 * friends' purchase lists: heavy churn, dense graphs where lists fill, heavy buyers, and checks
 * that must fall back to the exact merge.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AnomalyDetector, BadEventError, detectFiles, parseEventLine } from '../../src/detect/index.js';
import { PurchaseHistory } from '../../src/detect/history.js';
import { rngFor } from '../../src/rng/index.js';
import { referenceDetect, referenceRun } from './reference.js';

interface Generated {
  batch: string[];
  stream: string[];
}

/** Event mix: shares of befriend and unfriend events; `heavy` is the share of purchases by user 1. */
interface Mix {
  befriend: number;
  unfriend: number;
  heavy: number;
}

const USUAL: Mix = { befriend: 0.25, unfriend: 0.08, heavy: 0 };

function generate(seed: number, D: number, T: number, users: number, events: number, mix: Mix = USUAL): Generated {
  const rng = rngFor(seed, 'detect-reference-test', D, T);
  const pick = (): string => String(1 + Math.floor(rng() * users));
  const buyer = (): string => (rng() < mix.heavy ? '1' : pick());
  const lines: string[] = [];
  let clock = Date.UTC(2017, 5, 13, 11, 0, 0);
  for (let i = 0; i < events; i++) {
    if (rng() > 0.6) clock += 1000 * (1 + Math.floor(rng() * 3));
    // Now and then an event stamped in the past: order comes from timestamps, not arrival.
    const when = rng() < 0.05 ? clock - 1000 * Math.floor(rng() * 30) : clock;
    const ts = new Date(when).toISOString().slice(0, 19).replace('T', ' ');
    const r = rng();
    if (r < mix.befriend) {
      const a = pick();
      const b = rng() < 0.05 ? a : pick(); // sometimes a self-befriend, which must be skipped
      lines.push(`{"event_type":"befriend", "timestamp":"${ts}", "id1": "${a}", "id2": "${b}"}`);
    } else if (r < mix.befriend + mix.unfriend) {
      lines.push(`{"event_type":"unfriend", "timestamp":"${ts}", "id1": "${pick()}", "id2": "${pick()}"}`);
    } else {
      lines.push(`{"event_type":"purchase", "timestamp":"${ts}", "id": "${buyer()}", "amount": "${amount(rng)}"}`);
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

function runDetector({ batch, stream }: Generated, stats?: { fallbacks: number; rebuilds: number }, seqLimit?: number): string[] {
  const header = JSON.parse(batch[0]) as { D: string; T: string };
  const detector = new AnomalyDetector({ D: Number(header.D), T: Number(header.T), seqLimit });
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
  if (stats !== undefined) {
    stats.fallbacks += detector.stats.fallbacks;
    stats.rebuilds += detector.stats.rebuilds;
  }
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
  // T above 64: the friends' lists grow block by block instead of taking T slots up front.
  [2, 80, 20],
  [3, 120, 30],
];

describe('detector against the reference implementation', () => {
  for (const [D, T, users] of CONFIGS) {
    for (const seed of [1, 2]) {
      it(`D=${D} T=${T} users=${users} seed=${seed}`, () => {
        const logs = generate(seed, D, T, users, 1500);
        const expected = referenceDetect(logs.batch, logs.stream);
        expect(expected.length).toBeGreaterThan(0); // the comparison must cover flagged purchases
        expect(runDetector(logs)).toEqual(expected);
      });
    }
  }

  // Logs that push the friends' purchase lists to their edge cases: unfriends of full lists
  // (rebuilt from the histories), dense graphs where the buyer's own purchases crowd the lists of
  // their friends (the fallback), a heavy buyer, T = 2, D = 1..4, out-of-order timestamps.
  const STRESS: [name: string, D: number, T: number, users: number, mix: Mix][] = [
    ['high churn', 2, 4, 20, { befriend: 0.3, unfriend: 0.25, heavy: 0 }],
    ['high churn', 3, 3, 25, { befriend: 0.3, unfriend: 0.25, heavy: 0 }],
    ['dense, heavy buyer', 2, 2, 8, { befriend: 0.2, unfriend: 0.05, heavy: 0.5 }],
    ['dense, heavy buyer', 3, 5, 10, { befriend: 0.2, unfriend: 0.05, heavy: 0.4 }],
    ['dense, heavy buyer', 4, 2, 12, { befriend: 0.15, unfriend: 0.1, heavy: 0.3 }],
    ['sparse, heavy buyer', 2, 6, 60, { befriend: 0.1, unfriend: 0.02, heavy: 0.3 }],
    ['heavy buyer', 1, 2, 10, { befriend: 0.2, unfriend: 0.1, heavy: 0.5 }],
    ['heavy buyer', 1, 7, 15, { befriend: 0.2, unfriend: 0.15, heavy: 0.3 }],
    ['growing lists, high churn', 2, 70, 10, { befriend: 0.3, unfriend: 0.25, heavy: 0.3 }],
  ];

  it('stays exact on logs that stress the friends lists, and exercises the fallback', () => {
    const stats = { fallbacks: 0, rebuilds: 0 };
    for (const [name, D, T, users, mix] of STRESS) {
      for (const seed of [11, 12, 13]) {
        const logs = generate(seed, D, T, users, 2000, mix);
        const expected = referenceDetect(logs.batch, logs.stream);
        expect(runDetector(logs, stats), `${name} D=${D} T=${T} seed=${seed}`).toEqual(expected);
      }
    }
    expect(stats.fallbacks).toBeGreaterThan(0);
    expect(stats.rebuilds).toBeGreaterThan(0);
  });

  it('renumbers its sequence numbers as it goes without changing a flag', () => {
    // Sequence numbers are stored in 31 bits and renumbered before they run out (after about 2.1
    // billion events); a low limit makes that happen every few hundred events here, in the middle
    // of full and growing lists, out-of-order timestamps, unfriends and exact amounts.
    const renumber = vi.spyOn(PurchaseHistory.prototype, 'renumber');
    try {
      for (const [name, D, T, users, mix] of STRESS) {
        const logs = generate(31, D, T, users, 2000, mix);
        const limit = users * T + 100; // above the most purchases the detector can keep
        const before = renumber.mock.calls.length;
        expect(runDetector(logs, undefined, limit), `${name} D=${D} T=${T}`).toEqual(referenceDetect(logs.batch, logs.stream));
        expect(renumber.mock.calls.length, `${name} D=${D} T=${T}: renumbered`).toBeGreaterThan(before);
      }
    } finally {
      renumber.mockRestore();
    }
  });

  it('says so when it keeps more purchases than its sequence numbers can order', () => {
    const detector = new AnomalyDetector({ D: 2, T: 10, seqLimit: 20 });
    const purchase = (i: number) => parseEventLine(`{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "${i % 5}", "amount": "1.00"}`);
    expect(() => {
      for (let i = 0; i < 40; i++) detector.apply(purchase(i));
    }).toThrow(/keeps 20 purchases, more than its sequence numbers can order \(20\)/);
  });

  it('keeps the lists exact when checks start before the batch ends', () => {
    // The lists are built at the first check and maintained from then on, including through
    // later batch events: feed a log as check, apply, check, ... in turns.
    for (const [D, T, users, mix] of [[2, 3, 15, STRESS[2][4]], [3, 4, 25, STRESS[1][4]]] as const) {
      const logs = generate(21, D, T, users, 1500, mix);
      const all = [...logs.batch.slice(1), ...logs.stream];
      const detector = new AnomalyDetector({ D, T });
      const flagged: string[] = [];
      all.forEach((line, i) => {
        try {
          if (i % 2 === 1) detector.apply(parseEventLine(line));
          else {
            const flag = detector.check(parseEventLine(line));
            if (flag !== null) flagged.push(flag.line);
          }
        } catch (err) {
          if (!(err instanceof BadEventError)) throw err;
        }
      });
      expect(flagged.length).toBeGreaterThan(0);
      expect(flagged).toEqual(referenceRun(logs.batch[0], all.map((line, i) => [line, i % 2 === 0] as const)));
    }
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
