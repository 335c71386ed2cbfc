/**
 * UI state built from progress events by a pure reducer.
 *
 * Every view (ink app, plain lines) renders from this state only, so what a user sees can be
 * reproduced in a test by replaying events with a fake clock.
 */
import type { OutputSummary, ProgressEvent, StageInfo } from './progress.js';

export type StageStatus = 'pending' | 'running' | 'done';

/** What the UI knows about one stage. */
export interface StageState extends StageInfo {
  status: StageStatus;
  /** Work done so far, in `unit`s. */
  done: number;
  rows: number;
  bytes: number;
  /** Clock time the stage started at; undefined while pending. */
  startedAtMs: number | undefined;
  /** Duration reported by stage-end; undefined until then. */
  seconds: number | undefined;
  /** Smoothed work rate in `unit`s per second (the stage average once done). */
  rate: number;
  /** Smoothed output rate in rows per second (the stage average once done). */
  rowsRate: number;
  /** Seconds left at the current rate; undefined when the total or the rate is unknown. */
  etaSeconds: number | undefined;
  /** Point the next rate measurement starts from. */
  sample: { atMs: number; done: number; rows: number } | undefined;
}

/** The run's final report, as published by the summary event. */
export interface RunSummary {
  outDir: string;
  outputs: OutputSummary[];
  seconds: number;
  notes: string[];
}

/** Everything the progress views render. */
export interface UiState {
  plan: { scenario: string; seed: number; outDir: string } | undefined;
  /** Clock time of the plan event. */
  startedAtMs: number | undefined;
  /** Clock time of the latest event; lets views show elapsed time without reading a clock. */
  nowMs: number;
  /** Stages in plan order. */
  stages: StageState[];
  /**
   * Ids of finished stages in the order they finished. Append-only, because ink's <Static>
   * prints only the items added since its last render.
   */
  finished: string[];
  summary: RunSummary | undefined;
}

/**
 * How quickly the smoothed rate follows the measured one: a change in speed is 63% reflected
 * after this long. Long enough to steady the ETA against bursty batches, short enough to
 * notice a real slowdown.
 */
export const RATE_TIME_CONSTANT_MS = 3000;

/** The state before any event. */
export function initialState(): UiState {
  return {
    plan: undefined,
    startedAtMs: undefined,
    nowMs: 0,
    stages: [],
    finished: [],
    summary: undefined,
  };
}

/** A stage as announced by the plan, before it starts. */
function pendingStage(info: StageInfo): StageState {
  return {
    id: info.id,
    label: info.label,
    total: info.total,
    unit: info.unit,
    status: 'pending',
    done: 0,
    rows: 0,
    bytes: 0,
    startedAtMs: undefined,
    seconds: undefined,
    rate: 0,
    rowsRate: 0,
    etaSeconds: undefined,
    sample: undefined,
  };
}

/** Seconds left, or undefined when there is no total or no speed to divide by. */
function eta(total: number, done: number, rate: number): number | undefined {
  if (total <= 0 || rate <= 0) return undefined;
  return Math.max(0, total - done) / rate;
}

/** Starts a pending stage at `nowMs`. */
function started(stage: StageState, nowMs: number): StageState {
  return {
    ...stage,
    status: 'running',
    startedAtMs: nowMs,
    sample: { atMs: nowMs, done: stage.done, rows: stage.rows },
  };
}

/**
 * Applies a progress report. Rates are an exponential moving average weighted by the time
 * since the previous measurement, so irregular reporting intervals do not skew them.
 */
function progressed(
  stage: StageState,
  done: number,
  rows: number,
  bytes: number,
  nowMs: number,
): StageState {
  const sample = stage.sample ?? { atMs: nowMs, done: stage.done, rows: stage.rows };
  const elapsedMs = nowMs - sample.atMs;
  if (elapsedMs <= 0) {
    // No time to divide by: keep the counts and measure the next rate from the old sample.
    return { ...stage, done, rows, bytes, etaSeconds: eta(stage.total, done, stage.rate), sample };
  }
  const measuredRate = Math.max(0, done - sample.done) / (elapsedMs / 1000);
  const measuredRowsRate = Math.max(0, rows - sample.rows) / (elapsedMs / 1000);
  // The first measurement has nothing to smooth against.
  const first = stage.rate === 0 && stage.rowsRate === 0;
  const weight = first ? 1 : 1 - Math.exp(-elapsedMs / RATE_TIME_CONSTANT_MS);
  const rate = stage.rate + weight * (measuredRate - stage.rate);
  const rowsRate = stage.rowsRate + weight * (measuredRowsRate - stage.rowsRate);
  return {
    ...stage,
    done,
    rows,
    bytes,
    rate,
    rowsRate,
    etaSeconds: eta(stage.total, done, rate),
    sample: { atMs: nowMs, done, rows },
  };
}

/** Closes a stage with its final figures; its rates become the stage averages. */
function ended(
  stage: StageState,
  done: number,
  rows: number,
  bytes: number,
  seconds: number,
  nowMs: number,
): StageState {
  return {
    ...stage,
    status: 'done',
    done,
    rows,
    bytes,
    seconds,
    startedAtMs: stage.startedAtMs ?? nowMs - seconds * 1000,
    rate: seconds > 0 ? done / seconds : stage.rate,
    rowsRate: seconds > 0 ? rows / seconds : stage.rowsRate,
    etaSeconds: 0,
    sample: undefined,
  };
}

/**
 * Returns `state` with `update` applied to stage `id`. A stage missing from the plan is added
 * (labelled by its id) so that events are never silently lost.
 */
function updateStage(
  state: UiState,
  id: string,
  update: (stage: StageState) => StageState,
): UiState {
  const index = state.stages.findIndex((s) => s.id === id);
  if (index < 0) {
    const added = update(pendingStage({ id, label: id, total: 0, unit: '' }));
    return { ...state, stages: [...state.stages, added] };
  }
  const current = state.stages[index]!;
  const next = update(current);
  if (next === current) return state;
  const stages = state.stages.slice();
  stages[index] = next;
  return { ...state, stages };
}

/**
 * The state after `event`, received at clock time `nowMs` (milliseconds).
 * Pure: `state` is not modified. Late events for a finished stage are ignored.
 */
export function reduce(state: UiState, event: ProgressEvent, nowMs: number): UiState {
  const timed = { ...state, nowMs };
  switch (event.type) {
    case 'plan':
      // A plan starts a run: anything before it belongs to no run.
      return {
        ...initialState(),
        plan: { scenario: event.scenario, seed: event.seed, outDir: event.outDir },
        startedAtMs: nowMs,
        nowMs,
        stages: event.stages.map(pendingStage),
      };
    case 'stage-start':
      return updateStage(timed, event.id, (stage) =>
        stage.status === 'pending' ? started(stage, nowMs) : stage,
      );
    case 'stage-progress':
      return updateStage(timed, event.id, (stage) => {
        if (stage.status === 'done') return stage;
        const running = stage.status === 'pending' ? started(stage, nowMs) : stage;
        return progressed(running, event.done, event.rows, event.bytes, nowMs);
      });
    case 'stage-end': {
      const alreadyDone = state.stages.some((s) => s.id === event.id && s.status === 'done');
      if (alreadyDone) return timed;
      const next = updateStage(timed, event.id, (stage) =>
        ended(stage, event.done, event.rows, event.bytes, event.seconds, nowMs),
      );
      return { ...next, finished: [...next.finished, event.id] };
    }
    case 'summary':
      return {
        ...timed,
        summary: {
          outDir: event.outDir,
          outputs: event.outputs,
          seconds: event.seconds,
          notes: event.notes,
        },
      };
  }
}

/** 1-based position of a stage in the plan, for "[2/5]" style prefixes. */
export function stagePosition(state: UiState, id: string): { index: number; count: number } {
  return { index: state.stages.findIndex((s) => s.id === id) + 1, count: state.stages.length };
}
