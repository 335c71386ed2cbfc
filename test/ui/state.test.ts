import { describe, expect, it } from 'vitest';
import type { ProgressEvent, StageInfo } from '../../src/ui/progress.js';
import { initialState, reduce, RATE_TIME_CONSTANT_MS, stagePosition, type UiState } from '../../src/ui/state.js';

const stages: StageInfo[] = [
  { id: 'users', label: 'users (population)', total: 1000, unit: 'actors' },
  { id: 'sessions', label: 'sessions (markov over users)', total: 0, unit: 'sessions' },
];

const plan: ProgressEvent = { type: 'plan', scenario: 'demo', seed: 7, outDir: 'out/demo', stages };

/** Replays [time, event] pairs from the initial state. */
function replay(steps: [number, ProgressEvent][]): UiState {
  return steps.reduce((state, [t, e]) => reduce(state, e, t), initialState());
}

function stage(state: UiState, id: string) {
  const found = state.stages.find((s) => s.id === id);
  if (found === undefined) throw new Error(`no stage ${id}`);
  return found;
}

describe('reduce', () => {
  it('starts with nothing', () => {
    const s = initialState();
    expect(s.plan).toBeUndefined();
    expect(s.stages).toEqual([]);
    expect(s.finished).toEqual([]);
    expect(s.summary).toBeUndefined();
  });

  it('lays out the plan as pending stages', () => {
    const s = reduce(initialState(), plan, 1000);
    expect(s.plan).toEqual({ scenario: 'demo', seed: 7, outDir: 'out/demo' });
    expect(s.startedAtMs).toBe(1000);
    expect(s.stages.map((x) => [x.id, x.status, x.total, x.unit])).toEqual([
      ['users', 'pending', 1000, 'actors'],
      ['sessions', 'pending', 0, 'sessions'],
    ]);
  });

  it('does not modify the state it is given', () => {
    const before = reduce(initialState(), plan, 0);
    const snapshot = structuredClone(before);
    reduce(before, { type: 'stage-start', id: 'users' }, 10);
    reduce(before, { type: 'stage-progress', id: 'users', done: 5, rows: 5, bytes: 50 }, 20);
    expect(before).toEqual(snapshot);
  });

  it('marks a started stage running at the event time', () => {
    const s = replay([
      [0, plan],
      [500, { type: 'stage-start', id: 'users' }],
    ]);
    expect(stage(s, 'users').status).toBe('running');
    expect(stage(s, 'users').startedAtMs).toBe(500);
    expect(stage(s, 'sessions').status).toBe('pending');
    expect(s.nowMs).toBe(500);
  });

  it('measures the first rate since the start and derives the ETA from it', () => {
    const s = replay([
      [0, plan],
      [0, { type: 'stage-start', id: 'users' }],
      [2000, { type: 'stage-progress', id: 'users', done: 200, rows: 400, bytes: 4096 }],
    ]);
    const users = stage(s, 'users');
    expect(users.done).toBe(200);
    expect(users.rows).toBe(400);
    expect(users.bytes).toBe(4096);
    expect(users.rate).toBeCloseTo(100); // 200 actors in 2 s
    expect(users.rowsRate).toBeCloseTo(200);
    expect(users.etaSeconds).toBeCloseTo(8); // 800 actors left at 100/s
  });

  it('smooths later rates with a time-weighted moving average', () => {
    const s = replay([
      [0, plan],
      [0, { type: 'stage-start', id: 'users' }],
      [1000, { type: 'stage-progress', id: 'users', done: 100, rows: 100, bytes: 0 }],
      // Next second runs at 300/s; the smoothed rate moves only part of the way there.
      [2000, { type: 'stage-progress', id: 'users', done: 400, rows: 400, bytes: 0 }],
    ]);
    const weight = 1 - Math.exp(-1000 / RATE_TIME_CONSTANT_MS);
    const expected = 100 + weight * (300 - 100);
    const users = stage(s, 'users');
    expect(users.rate).toBeCloseTo(expected);
    expect(users.rate).toBeGreaterThan(100);
    expect(users.rate).toBeLessThan(300);
    expect(users.etaSeconds).toBeCloseTo(600 / expected);
  });

  it('keeps the rate when two reports arrive at the same instant', () => {
    const s = replay([
      [0, plan],
      [0, { type: 'stage-start', id: 'users' }],
      [1000, { type: 'stage-progress', id: 'users', done: 100, rows: 100, bytes: 0 }],
      [1000, { type: 'stage-progress', id: 'users', done: 150, rows: 150, bytes: 0 }],
    ]);
    const users = stage(s, 'users');
    expect(users.done).toBe(150);
    expect(users.rate).toBeCloseTo(100);
    expect(Number.isFinite(users.rate)).toBe(true);
    // The next measurement spans both reports.
    expect(users.sample).toEqual({ atMs: 1000, done: 100, rows: 100 });
  });

  it('has no ETA when the total is unknown', () => {
    const s = replay([
      [0, plan],
      [0, { type: 'stage-start', id: 'sessions' }],
      [1000, { type: 'stage-progress', id: 'sessions', done: 50, rows: 500, bytes: 0 }],
    ]);
    expect(stage(s, 'sessions').rate).toBeCloseTo(50);
    expect(stage(s, 'sessions').etaSeconds).toBeUndefined();
  });

  it('treats progress for a pending stage as its start', () => {
    const s = replay([
      [0, plan],
      [300, { type: 'stage-progress', id: 'users', done: 10, rows: 10, bytes: 0 }],
    ]);
    expect(stage(s, 'users').status).toBe('running');
    expect(stage(s, 'users').startedAtMs).toBe(300);
  });

  it('closes a stage with the reported figures and its average rate', () => {
    const s = replay([
      [0, plan],
      [0, { type: 'stage-start', id: 'users' }],
      [1000, { type: 'stage-progress', id: 'users', done: 900, rows: 900, bytes: 9000 }],
      [4000, { type: 'stage-end', id: 'users', done: 1000, rows: 2000, bytes: 20000, seconds: 4 }],
    ]);
    const users = stage(s, 'users');
    expect(users.status).toBe('done');
    expect([users.done, users.rows, users.bytes, users.seconds]).toEqual([1000, 2000, 20000, 4]);
    expect(users.rate).toBe(250);
    expect(users.rowsRate).toBe(500);
    expect(users.etaSeconds).toBe(0);
    expect(s.finished).toEqual(['users']);
  });

  it('lists finished stages in the order they finished, once each', () => {
    const end = (id: string): ProgressEvent => ({ type: 'stage-end', id, done: 1, rows: 1, bytes: 1, seconds: 1 });
    const s = replay([
      [0, plan],
      [0, { type: 'stage-start', id: 'users' }],
      [0, { type: 'stage-start', id: 'sessions' }],
      [1000, end('sessions')],
      [2000, end('users')],
      [3000, end('users')],
    ]);
    expect(s.finished).toEqual(['sessions', 'users']);
  });

  it('ignores late events for a finished stage', () => {
    const ended = replay([
      [0, plan],
      [0, { type: 'stage-start', id: 'users' }],
      [1000, { type: 'stage-end', id: 'users', done: 1000, rows: 1000, bytes: 10, seconds: 1 }],
    ]);
    const late = reduce(ended, { type: 'stage-progress', id: 'users', done: 10, rows: 10, bytes: 1 }, 2000);
    const restarted = reduce(late, { type: 'stage-start', id: 'users' }, 2500);
    expect(stage(restarted, 'users')).toEqual(stage(ended, 'users'));
    expect(restarted.nowMs).toBe(2500);
  });

  it('adds a stage the plan did not announce instead of dropping its events', () => {
    const s = replay([
      [0, plan],
      [100, { type: 'stage-start', id: 'extra' }],
    ]);
    expect(s.stages.map((x) => x.id)).toEqual(['users', 'sessions', 'extra']);
    expect(stage(s, 'extra')).toMatchObject({ label: 'extra', status: 'running', total: 0 });
  });

  it('backdates the start of a stage that only reported its end', () => {
    const s = replay([
      [0, plan],
      [5000, { type: 'stage-end', id: 'users', done: 1000, rows: 1000, bytes: 10, seconds: 2 }],
    ]);
    expect(stage(s, 'users').startedAtMs).toBe(3000);
  });

  it('keeps the summary', () => {
    const s = replay([
      [0, plan],
      [
        9000,
        {
          type: 'summary',
          outDir: 'out/demo',
          outputs: [{ name: 'users', file: 'users.csv', rows: 1000, bytes: 2048 }],
          seconds: 9,
          notes: ['sampled 1%'],
        },
      ],
    ]);
    expect(s.summary).toEqual({
      outDir: 'out/demo',
      outputs: [{ name: 'users', file: 'users.csv', rows: 1000, bytes: 2048 }],
      seconds: 9,
      notes: ['sampled 1%'],
    });
  });

  it('starts afresh on a new plan', () => {
    const s = replay([
      [0, plan],
      [0, { type: 'stage-start', id: 'users' }],
      [1000, { type: 'stage-end', id: 'users', done: 1, rows: 1, bytes: 1, seconds: 1 }],
      [2000, { ...plan, scenario: 'second' } as ProgressEvent],
    ]);
    expect(s.plan?.scenario).toBe('second');
    expect(s.finished).toEqual([]);
    expect(stage(s, 'users').status).toBe('pending');
  });
});

describe('stagePosition', () => {
  it('is 1-based in plan order', () => {
    const s = reduce(initialState(), plan, 0);
    expect(stagePosition(s, 'sessions')).toEqual({ index: 2, count: 2 });
  });
});
