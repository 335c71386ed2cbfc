/**
 * The terminal progress UI: ink components that render a UiState and nothing else, so a frame
 * is fully determined by the events replayed into the state.
 */
import { Box, Static, Text } from 'ink';
import {
  formatBytes,
  formatCount,
  formatDuration,
  outputTable,
  progressBar,
  stageCounts,
  stageEta,
  stageRate,
} from './format.js';
import type { RunSummary, StageState, UiState } from './state.js';

/** Props of {@link RunView}. */
export interface RunViewProps {
  state: UiState;
  /** Columns available, usually the terminal width. */
  width: number;
}

/** Narrowest and widest progress bar; the bar takes what the figures beside it leave. */
const MIN_BAR_WIDTH = 10;
const MAX_BAR_WIDTH = 40;
/** Room kept for "  150 k rows/s  ETA 1m 05s" beside the bar. */
const RATE_AND_ETA_WIDTH = 28;

/** Lines printed once, above the live area. */
type StaticLine =
  | { kind: 'plan'; key: string; plan: NonNullable<UiState['plan']>; stageCount: number }
  | { kind: 'stage'; key: string; stage: StageState };

/** The run's header: scenario, seed, number of stages, output folder. */
function PlanLine({ plan, stageCount }: { plan: NonNullable<UiState['plan']>; stageCount: number }) {
  const stages = `${stageCount} stage${stageCount === 1 ? '' : 's'}`;
  return (
    <Text wrap="truncate-end">
      <Text bold>scenario {plan.scenario}</Text>
      <Text dimColor>
        {' '}
        seed {plan.seed} · {stages} → {plan.outDir}
      </Text>
    </Text>
  );
}

/**
 * One line per finished stage: duration, output, average speed. Counts are abbreviated to
 * keep the line inside a terminal; a stage writing no rows shows its own unit instead.
 */
function FinishedStage({ stage }: { stage: StageState }) {
  const produced =
    stage.rows > 0 || stage.unit === '' ? `${formatCount(stage.rows)} rows` : `${formatCount(stage.done)} ${stage.unit}`;
  const figures = [formatDuration(stage.seconds ?? 0), produced, formatBytes(stage.bytes), stageRate(stage)].join('  ');
  return (
    <Text wrap="truncate-end">
      <Text color="green">✔ </Text>
      {stage.label}
      <Text dimColor>  {figures}</Text>
    </Text>
  );
}

/** A running stage: label and elapsed time, then bar, counts, rate and ETA. */
function LiveStage({ stage, width, nowMs }: { stage: StageState; width: number; nowMs: number }) {
  const elapsed = formatDuration(Math.max(0, nowMs - (stage.startedAtMs ?? nowMs)) / 1000);
  const known = stage.total > 0;
  const figures = [stageCounts(stage), stageRate(stage), ...(known ? [stageEta(stage)] : [])].join('  ');
  // Sized for the stage's final counts and a typical rate and ETA rather than the current
  // text, so the bar does not jump as the figures beside it change length.
  const finalCounts = stageCounts({ ...stage, done: stage.total });
  const reserved = 2 + 2 + finalCounts.length + RATE_AND_ETA_WIDTH;
  const barWidth = Math.min(MAX_BAR_WIDTH, Math.max(MIN_BAR_WIDTH, width - reserved));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color="cyan">▸ </Text>
        <Text bold>{stage.label}</Text>
        <Text dimColor>  {elapsed}</Text>
      </Text>
      <Text wrap="truncate-end">
        {'  '}
        {known ? <Text color="cyan">{progressBar(stage.done / stage.total, barWidth)}</Text> : null}
        {known ? '  ' : ''}
        {figures}
      </Text>
    </Box>
  );
}

/** The stages not started yet, on one line. */
function PendingStages({ stages }: { stages: StageState[] }) {
  return (
    <Text dimColor wrap="truncate-end">
      next: {stages.map((s) => s.label).join(', ')}
    </Text>
  );
}

/** Outputs with rows, size and label prevalence; elapsed time; notes. File names are in the plain log. */
function Summary({ summary }: { summary: RunSummary }) {
  const count = summary.outputs.length;
  const outputs = `${count} output${count === 1 ? '' : 's'}`;
  const [header, ...rows] = summary.outputs.length > 0 ? outputTable(summary.outputs, { withFile: false }) : [];
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text color="green" bold>
        finished in {formatDuration(summary.seconds)}: {outputs} in {summary.outDir}
      </Text>
      {header === undefined ? null : <Text dimColor>  {header}</Text>}
      {rows.map((line, i) => (
        <Text key={i}>  {line}</Text>
      ))}
      {summary.notes.map((note, i) => (
        <Text key={`note-${i}`} color="yellow">
          note: {note}
        </Text>
      ))}
    </Box>
  );
}

/**
 * The whole progress view. The plan line and finished stages go to ink's <Static> (printed
 * once, scrolling up with the terminal); running stages, the upcoming ones and the summary
 * are redrawn below.
 */
export function RunView({ state, width }: RunViewProps) {
  const staticLines: StaticLine[] = [];
  if (state.plan !== undefined) {
    staticLines.push({ kind: 'plan', key: 'plan', plan: state.plan, stageCount: state.stages.length });
  }
  for (const id of state.finished) {
    const stage = state.stages.find((s) => s.id === id);
    if (stage !== undefined) staticLines.push({ kind: 'stage', key: `stage-${id}`, stage });
  }
  const running = state.stages.filter((s) => s.status === 'running');
  const pending = state.stages.filter((s) => s.status === 'pending');

  return (
    <Box flexDirection="column" width={width}>
      <Static items={staticLines}>
        {(line) => (
          <Box key={line.key} width={width}>
            {line.kind === 'plan' ? (
              <PlanLine plan={line.plan} stageCount={line.stageCount} />
            ) : (
              <FinishedStage stage={line.stage} />
            )}
          </Box>
        )}
      </Static>
      {running.map((stage) => (
        <LiveStage key={stage.id} stage={stage} width={width} nowMs={state.nowMs} />
      ))}
      {pending.length > 0 && state.summary === undefined ? <PendingStages stages={pending} /> : null}
      {state.summary === undefined ? null : <Summary summary={state.summary} />}
    </Box>
  );
}
