/**
 * Plain-lines reporter for output that is not a terminal (CI logs, pipes, files): no cursor
 * movement, no colours, a bounded number of lines however long the run.
 */
import {
  formatBytes,
  formatDuration,
  formatInteger,
  outputTable,
  stageCounts,
  stageEta,
  stageRate,
} from './format.js';
import type { ProgressEvent, Reporter } from './progress.js';
import { initialState, reduce, stagePosition, type StageState, type UiState } from './state.js';

/** Minimum time between two progress lines of one stage. */
export const PLAIN_PROGRESS_INTERVAL_MS = 2000;

/** Options of {@link createPlainReporter}. */
export interface PlainReporterOptions {
  /** Clock in milliseconds; injected so tests can script time. Defaults to Date.now. */
  now?: () => number;
  /** Minimum time between two progress lines of one stage. */
  intervalMs?: number;
}

/** "[2/5] sessions (markov over users)" */
function stagePrefix(state: UiState, stage: StageState): string {
  const { index, count } = stagePosition(state, stage.id);
  return `[${index}/${count}] ${stage.label}`;
}

/** The lines `event` adds to the log, given the state after it. */
function linesFor(state: UiState, event: ProgressEvent, shouldReport: (id: string) => boolean): string[] {
  switch (event.type) {
    case 'plan': {
      const count = event.stages.length;
      const stages = `${count} stage${count === 1 ? '' : 's'}`;
      return [`scenario ${event.scenario} (seed ${event.seed}): ${stages} -> ${event.outDir}`];
    }
    case 'stage-start': {
      const stage = state.stages.find((s) => s.id === event.id);
      // A start for a finished stage is ignored by the reducer, so it prints nothing either.
      if (stage === undefined || stage.status !== 'running') return [];
      const expected = stage.total > 0 ? `, ${formatInteger(stage.total)} ${stage.unit}`.trimEnd() : '';
      return [`${stagePrefix(state, stage)}: started${expected}`];
    }
    case 'stage-progress': {
      const stage = state.stages.find((s) => s.id === event.id);
      if (stage === undefined || stage.status !== 'running' || !shouldReport(stage.id)) return [];
      const eta = stage.total > 0 ? `, ${stageEta(stage)}` : '';
      return [`${stagePrefix(state, stage)}: ${stageCounts(stage)}, ${stageRate(stage)}${eta}`];
    }
    case 'stage-end': {
      const stage = state.stages.find((s) => s.id === event.id);
      if (stage === undefined) return [];
      const unit = stage.unit === '' ? '' : ` ${stage.unit}`;
      const figures = [
        `${formatInteger(stage.done)}${unit}`,
        `${formatInteger(stage.rows)} rows`,
        formatBytes(stage.bytes),
      ].join(', ');
      return [
        `${stagePrefix(state, stage)}: done in ${formatDuration(event.seconds)}, ${figures} (${stageRate(stage)})`,
      ];
    }
    case 'summary': {
      const count = event.outputs.length;
      const outputs = `${count} output${count === 1 ? '' : 's'}`;
      return [
        `finished in ${formatDuration(event.seconds)}: ${outputs} in ${event.outDir}`,
        ...(count > 0 ? outputTable(event.outputs).map((line) => `  ${line}`) : []),
        ...event.notes.map((note) => `note: ${note}`),
      ];
    }
  }
}

/**
 * A reporter writing one line per plan, stage start and stage end, at most one progress line
 * per stage every `intervalMs`, and the summary as a table. Writes to `out` only.
 */
export function createPlainReporter(
  out: NodeJS.WritableStream,
  options: PlainReporterOptions = {},
): Reporter {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? PLAIN_PROGRESS_INTERVAL_MS;
  let state = initialState();
  /** When each stage last printed a line; its start counts, so short stages print no progress. */
  const lastLineAt = new Map<string, number>();

  return {
    onEvent(event) {
      const nowMs = now();
      state = reduce(state, event, nowMs);
      const shouldReport = (id: string): boolean => {
        const last = lastLineAt.get(id);
        if (last !== undefined && nowMs - last < intervalMs) return false;
        lastLineAt.set(id, nowMs);
        return true;
      };
      if (event.type === 'stage-start') lastLineAt.set(event.id, nowMs);
      for (const line of linesFor(state, event, shouldReport)) out.write(`${line}\n`);
    },
    close() {
      // Lines are written as events arrive; nothing is buffered here.
      return Promise.resolve();
    },
  };
}
