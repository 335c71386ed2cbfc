import { Writable } from 'node:stream';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { RunView } from '../../src/ui/app.js';

// ink draws only the final frame when it detects CI (it reads the environment when it is
// first imported), and CI runs set CI=true. These tests are about live redraws on a
// terminal, so ink is imported with CI off; vi.hoisted runs before the imports above.
const ciBefore = vi.hoisted(() => {
  const before = process.env.CI;
  process.env.CI = 'false';
  return before;
});
afterAll(() => {
  if (ciBefore === undefined) delete process.env.CI;
  else process.env.CI = ciBefore;
});
import type { ProgressEvent } from '../../src/ui/progress.js';
import { createReporter, TTY_RENDER_INTERVAL_MS } from '../../src/ui/reporter.js';
import { initialState, reduce, type UiState } from '../../src/ui/state.js';

const WIDTH = 80;

/** Colour and cursor codes, which the assertions ignore. */
function plain(text: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (text ?? '').replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
}

const plan: ProgressEvent = {
  type: 'plan',
  scenario: 'card-fraud',
  seed: 42,
  outDir: 'out/card-fraud',
  stages: [
    { id: 'cards', label: 'cards (population)', total: 20_000, unit: 'actors' },
    { id: 'tx', label: 'transactions (poisson over cards)', total: 600_000, unit: 'events' },
    { id: 'rules', label: 'rules (detector)', total: 0, unit: 'alerts' },
  ],
};

const summary: ProgressEvent = {
  type: 'summary',
  outDir: 'out/card-fraud',
  seconds: 65,
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
  ],
};

/** The run up to the middle of the transactions stage. */
const midRun: [number, ProgressEvent][] = [
  [0, plan],
  [10, { type: 'stage-start', id: 'cards' }],
  [1510, { type: 'stage-end', id: 'cards', done: 20_000, rows: 20_000, bytes: 1_510_000, seconds: 1.5 }],
  [1510, { type: 'stage-start', id: 'tx' }],
  [3510, { type: 'stage-progress', id: 'tx', done: 300_000, rows: 300_000, bytes: 24e6 }],
];

const toTheEnd: [number, ProgressEvent][] = [
  [6710, { type: 'stage-end', id: 'tx', done: 600_000, rows: 600_000, bytes: 48e6, seconds: 5.2 }],
  [6710, { type: 'stage-start', id: 'rules' }],
  [9500, { type: 'stage-end', id: 'rules', done: 4200, rows: 0, bytes: 0, seconds: 2.79 }],
  [65_000, summary],
];

function replay(steps: [number, ProgressEvent][], from: UiState = initialState()): UiState {
  return steps.reduce((state, [t, e]) => reduce(state, e, t), from);
}

describe('RunView', () => {
  it('shows finished stages, the live stage with bar, rate and ETA, and what comes next', () => {
    const app = render(<RunView state={replay(midRun)} width={WIDTH} />);
    const lines = plain(app.lastFrame()).split('\n');
    expect(lines).toContain('scenario card-fraud seed 42 · 3 stages → out/card-fraud');
    expect(lines).toContain('✔ cards (population)  1.5s  20.0 k rows  1.4 MiB  13.3 k rows/s');
    expect(lines).toContain('▸ transactions (poisson over cards)  2.0s');
    // 300,000 of 600,000 in 2 s: half the bar, 150 k rows/s, 2 s to go.
    const live = lines.find((l) => l.includes('300,000/600,000 events (50%)'));
    expect(live).toBeDefined();
    expect(live).toContain('150 k rows/s');
    expect(live).toContain('ETA 2.0s');
    const bar = /[█░]+/.exec(live!)![0];
    expect(bar.length).toBeGreaterThanOrEqual(10);
    expect([...bar].filter((c) => c === '█')).toHaveLength(Math.floor(bar.length / 2));
    expect(lines).toContain('next: rules (detector)');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(WIDTH);
    app.unmount();
  });

  it('fits the bar to a narrower width', () => {
    const wide = plain(render(<RunView state={replay(midRun)} width={100} />).lastFrame());
    const narrow = plain(render(<RunView state={replay(midRun)} width={70} />).lastFrame());
    const barOf = (frame: string) => /[█░]+/.exec(frame)![0].length;
    expect(barOf(narrow)).toBeLessThan(barOf(wide));
    for (const line of narrow.split('\n')) expect(line.length).toBeLessThanOrEqual(70);
  });

  it('shows no bar and no ETA for a stage of unknown size', () => {
    const state = replay([
      [0, plan],
      [0, { type: 'stage-start', id: 'rules' }],
      [2000, { type: 'stage-progress', id: 'rules', done: 300, rows: 0, bytes: 0 }],
    ]);
    const frame = plain(render(<RunView state={state} width={WIDTH} />).lastFrame());
    expect(frame).toContain('  300 alerts  150 alerts/s');
    expect(frame).not.toMatch(/[█░]/);
    expect(frame).not.toContain('ETA');
  });

  it('prints each finished stage once as the run goes on, then the summary', () => {
    const state = replay(midRun);
    const app = render(<RunView state={state} width={WIDTH} />);
    const end = replay(toTheEnd, state);
    app.rerender(<RunView state={end} width={WIDTH} />);
    const frame = plain(app.lastFrame());
    expect(frame.match(/✔ cards/g)).toHaveLength(1);
    expect(frame).toContain('✔ transactions (poisson over cards)  5.2s  600 k rows  45.8 MiB  115 k rows/s');
    // A stage writing no rows reports its own unit.
    expect(frame).toContain('✔ rules (detector)  2.8s  4.2 k alerts  0 B  1.5 k alerts/s');
    expect(frame).not.toContain('▸');
    expect(frame).not.toContain('next:');
    expect(frame).toContain('finished in 1m 05s: 2 outputs in out/card-fraud');
    expect(frame).toContain('  cards          20,000   1.4 MiB  -');
    expect(frame).toContain('  transactions  600,000  45.8 MiB  is_fraud 0.84% (5,040 positive)');
    expect(frame).toContain('note: amounts are in EUR cents');
    app.unmount();
  });

  it('renders nothing before the plan arrives', () => {
    expect(plain(render(<RunView state={initialState()} width={WIDTH} />).lastFrame())).toBe('');
  });
});

/** A terminal-like stream 80 columns wide that keeps what is written to it. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  Object.assign(stream, { columns: WIDTH, rows: 40 });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => plain(chunks.join('')) };
}

describe("createReporter('tty')", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws the final state on close, even if the last events were not drawn yet', async () => {
    const term = fakeTerminal();
    let t = 0;
    const reporter = createReporter('tty', {
      stdout: term.stream,
      stderr: term.stream,
      now: () => t,
      patchConsole: false,
    });
    for (const [at, event] of [...midRun, ...toTheEnd]) {
      t = at;
      reporter.onEvent(event);
    }
    await reporter.close();
    const text = term.text();
    expect(text).toContain('scenario card-fraud seed 42');
    expect(text).toContain('✔ transactions (poisson over cards)');
    expect(text).toContain('is_fraud 0.84% (5,040 positive)');
    expect(text).toContain('finished in 1m 05s');
  });

  it('redraws at most every 100 ms, showing the latest state', async () => {
    vi.useFakeTimers();
    const term = fakeTerminal();
    let t = 0;
    const reporter = createReporter('tty', { stdout: term.stream, now: () => t, patchConsole: false });
    reporter.onEvent(plan);
    expect(term.text()).toContain('next: cards (population)');

    // Within the interval: the state changes, the screen does not yet.
    t = 10;
    reporter.onEvent({ type: 'stage-start', id: 'cards' });
    t = 20;
    reporter.onEvent({ type: 'stage-progress', id: 'cards', done: 5000, rows: 5000, bytes: 0 });
    vi.advanceTimersByTime(50);
    expect(term.text()).not.toContain('▸ cards');

    t = TTY_RENDER_INTERVAL_MS;
    vi.advanceTimersByTime(TTY_RENDER_INTERVAL_MS);
    expect(term.text()).toContain('▸ cards (population)');
    expect(term.text()).toContain('5,000/20,000 actors (25%)');

    vi.useRealTimers();
    await reporter.close();
  });

  it('writes nothing when closed before any event', async () => {
    const term = fakeTerminal();
    const reporter = createReporter('tty', { stdout: term.stream });
    await reporter.close();
    expect(term.text()).toBe('');
  });
});
