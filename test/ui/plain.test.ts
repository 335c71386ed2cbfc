import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPlainReporter } from '../../src/ui/plain.js';
import type { ProgressEvent } from '../../src/ui/progress.js';
import { chooseMode, createReporter } from '../../src/ui/reporter.js';

/** A stream that keeps what is written to it. */
function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** A clock the test moves by hand. */
function fakeClock() {
  let t = 0;
  return { now: () => t, set: (ms: number) => void (t = ms) };
}

/** A small run: three stages, one with an unknown total, then the summary. */
const run: [number, ProgressEvent][] = [
  [
    0,
    {
      type: 'plan',
      scenario: 'card-fraud',
      seed: 42,
      outDir: 'out/card-fraud',
      stages: [
        { id: 'cards', label: 'cards (population)', total: 20_000, unit: 'actors' },
        { id: 'tx', label: 'transactions (poisson over cards)', total: 600_000, unit: 'events' },
        { id: 'rules', label: 'rules (detector)', total: 0, unit: 'alerts' },
      ],
    },
  ],
  [10, { type: 'stage-start', id: 'cards' }],
  // Under 2 s after the start: no progress line.
  [900, { type: 'stage-progress', id: 'cards', done: 12_000, rows: 12_000, bytes: 900_000 }],
  [1510, { type: 'stage-end', id: 'cards', done: 20_000, rows: 20_000, bytes: 1_510_000, seconds: 1.5 }],
  [1510, { type: 'stage-start', id: 'tx' }],
  [2510, { type: 'stage-progress', id: 'tx', done: 100_000, rows: 100_000, bytes: 8e6 }],
  [3510, { type: 'stage-progress', id: 'tx', done: 220_000, rows: 220_000, bytes: 17.6e6 }],
  [4510, { type: 'stage-progress', id: 'tx', done: 330_000, rows: 330_000, bytes: 26.4e6 }],
  [5510, { type: 'stage-progress', id: 'tx', done: 450_000, rows: 450_000, bytes: 36e6 }],
  [6710, { type: 'stage-end', id: 'tx', done: 600_000, rows: 600_000, bytes: 48e6, seconds: 5.2 }],
  [6710, { type: 'stage-start', id: 'rules' }],
  [9000, { type: 'stage-progress', id: 'rules', done: 3100, rows: 0, bytes: 0 }],
  [9500, { type: 'stage-end', id: 'rules', done: 4200, rows: 4200, bytes: 300_000, seconds: 2.79 }],
  [
    9600,
    {
      type: 'summary',
      outDir: 'out/card-fraud',
      seconds: 9.6,
      notes: ['amounts are in EUR cents'],
      outputs: [
        { name: 'cards', file: 'cards.csv', rows: 20_000, bytes: 1_510_000 },
        {
          name: 'transactions',
          file: 'transactions.csv',
          rows: 600_000,
          bytes: 48e6,
          label: { column: 'is_fraud', positive: 5040, share: 0.0084 },
        },
        {
          name: 'alerts',
          file: 'alerts.csv',
          rows: 4200,
          bytes: 300_000,
          label: { column: 'true_positive', positive: 1890, share: 0.45 },
        },
      ],
    },
  ],
];

const expectedLines = [
  'scenario card-fraud (seed 42): 3 stages -> out/card-fraud',
  '[1/3] cards (population): started, 20,000 actors',
  '[1/3] cards (population): done in 1.5s, 20,000 actors, 20,000 rows, 1.4 MiB (13.3 k rows/s)',
  '[2/3] transactions (poisson over cards): started, 600,000 events',
  // 2 s after the start; smoothed rate 100 k/s then 120 k/s -> 106 k/s; 380,000 left.
  '[2/3] transactions (poisson over cards): 220,000/600,000 events (37%), 106 k rows/s, ETA 3.6s',
  '[2/3] transactions (poisson over cards): 450,000/600,000 events (75%), 111 k rows/s, ETA 1.4s',
  '[2/3] transactions (poisson over cards): done in 5.2s, 600,000 events, 600,000 rows, 45.8 MiB (115 k rows/s)',
  '[3/3] rules (detector): started',
  // No rows yet and no total: rate in the stage's unit, no ETA.
  '[3/3] rules (detector): 3,100 alerts, 1.4 k alerts/s',
  '[3/3] rules (detector): done in 2.8s, 4,200 alerts, 4,200 rows, 293 KiB (1.5 k rows/s)',
  'finished in 9.6s: 3 outputs in out/card-fraud',
  '  output        file                 rows      size  label',
  '  cards         cards.csv          20,000   1.4 MiB  -',
  '  transactions  transactions.csv  600,000  45.8 MiB  is_fraud 0.84% (5,040 positive)',
  '  alerts        alerts.csv          4,200   293 KiB  true_positive 45.00% (1,890 positive)',
  'note: amounts are in EUR cents',
];

describe('createPlainReporter', () => {
  it('prints the plan, stage starts and ends, throttled progress and the summary', async () => {
    const out = sink();
    const clock = fakeClock();
    const reporter = createPlainReporter(out.stream, { now: clock.now });
    for (const [t, event] of run) {
      clock.set(t);
      reporter.onEvent(event);
    }
    await reporter.close();
    expect(out.text().split('\n')).toEqual([...expectedLines, '']);
  });

  it('prints at most one progress line per stage every 2 s', () => {
    const out = sink();
    const clock = fakeClock();
    const reporter = createPlainReporter(out.stream, { now: clock.now });
    reporter.onEvent({
      type: 'plan',
      scenario: 's',
      seed: 1,
      outDir: 'o',
      stages: [
        { id: 'a', label: 'a', total: 1000, unit: 'x' },
        { id: 'b', label: 'b', total: 1000, unit: 'x' },
      ],
    });
    reporter.onEvent({ type: 'stage-start', id: 'a' });
    reporter.onEvent({ type: 'stage-start', id: 'b' });
    // Both stages report every 250 ms for 10 s.
    for (let t = 250; t <= 10_000; t += 250) {
      clock.set(t);
      reporter.onEvent({ type: 'stage-progress', id: 'a', done: t / 10, rows: t / 10, bytes: 0 });
      reporter.onEvent({ type: 'stage-progress', id: 'b', done: t / 10, rows: t / 10, bytes: 0 });
    }
    const progressLines = out.text().split('\n').filter((l) => l.includes('ETA'));
    const perStage = (id: string) => progressLines.filter((l) => l.startsWith(`[${id === 'a' ? 1 : 2}/2] ${id}:`));
    // At 2, 4, 6, 8 and 10 s: one stage's reports do not hold back the other's.
    expect(perStage('a')).toHaveLength(5);
    expect(perStage('b')).toHaveLength(5);
    expect(perStage('a')[0]).toBe('[1/2] a: 200/1,000 x (20%), 100 rows/s, ETA 8.0s');
  });

  it('honours a custom interval', () => {
    const out = sink();
    const clock = fakeClock();
    const reporter = createPlainReporter(out.stream, { now: clock.now, intervalMs: 500 });
    reporter.onEvent({ type: 'stage-start', id: 'a' });
    for (const t of [400, 500, 700, 1000]) {
      clock.set(t);
      reporter.onEvent({ type: 'stage-progress', id: 'a', done: t, rows: 0, bytes: 0 });
    }
    // A stage not in any plan is still reported, numbered by its arrival.
    expect(out.text()).toBe('[1/1] a: started\n[1/1] a: 500, 1.0 k/s\n[1/1] a: 1,000, 1.0 k/s\n');
  });
});

describe('chooseMode', () => {
  it('lets --quiet win, uses the ink UI only on a terminal outside CI', () => {
    expect(chooseMode({ quiet: true, isTTY: true, ci: false })).toBe('quiet');
    expect(chooseMode({ quiet: true, isTTY: false, ci: true })).toBe('quiet');
    expect(chooseMode({ quiet: false, isTTY: true, ci: false })).toBe('tty');
    expect(chooseMode({ quiet: false, isTTY: true, ci: true })).toBe('plain');
    expect(chooseMode({ quiet: false, isTTY: false, ci: false })).toBe('plain');
  });
});

describe('createReporter', () => {
  it("writes plain lines in 'plain' mode", async () => {
    const out = sink();
    const clock = fakeClock();
    const reporter = createReporter('plain', { stdout: out.stream, now: clock.now });
    for (const [t, event] of run) {
      clock.set(t);
      reporter.onEvent(event);
    }
    await reporter.close();
    expect(out.text().split('\n')).toEqual([...expectedLines, '']);
  });

  it("writes nothing in 'quiet' mode", async () => {
    const out = sink();
    const reporter = createReporter('quiet', { stdout: out.stream, stderr: out.stream });
    for (const [, event] of run) reporter.onEvent(event);
    await reporter.close();
    expect(out.text()).toBe('');
  });
});
