/**
 * Attaches outputs to the records a process produces: each output becomes a sink that
 * encodes the record into its ByteWriter and counts rows and positive labels.
 */
import type { ExprContext } from '../../expr/compile.js';
import type { RecordSink } from '../../kernels/types.js';
import type { ByteWriter } from '../../sinks/byte-writer.js';
import type { OutputRuntime } from '../3-plan/outputs.js';
import type { RowBudget } from './budget.js';

export interface OutputState {
  output: OutputRuntime;
  writer: ByteWriter;
  rows: number;
  positive: number;
}

export function isPositive(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 'true' || v === 'True';
}

/**
 * The sink of one output; with a `budget`, every row written counts against the run's limits.
 * One closure with the optional steps as branches, rather than a closure per step: a row
 * goes through several sinks (aml-graph: six per transaction) and each extra call showed.
 */
export function sinkFor(state: OutputState, budget?: RowBudget): RecordSink {
  const { encoder, where } = state.output;
  const label = state.output.label?.value;
  const w = state.writer;
  return (c: ExprContext) => {
    if (where !== undefined && !where(c)) return;
    encoder.row(w, c);
    state.rows++;
    if (label !== undefined && isPositive(label(c))) state.positive++;
    if (budget !== undefined) budget.row();
  };
}

/** Sinks of one process, grouped by record kind. */
export function sinksOf(process: string, states: OutputState[], budget?: RowBudget): Record<string, RecordSink[]> {
  const sinks: Record<string, RecordSink[]> = {};
  for (const s of states) {
    const src = s.output.source;
    if ('process' in src && src.process === process) (sinks[src.record] ??= []).push(sinkFor(s, budget));
  }
  return sinks;
}

/** Writes a state-list output: one row per state, after an optional pad row. */
export function writeStateList(state: OutputState): void {
  const src = state.output.source;
  if (!('states' in src)) return;
  const names = src.pad !== undefined ? [src.pad, ...src.states] : src.states;
  const c = { r: () => 0, index: 0, name: '' };
  for (let i = 0; i < names.length; i++) {
    c.index = i;
    c.name = names[i];
    state.output.encoder.row(state.writer, c);
    state.rows++;
    if (state.output.label && isPositive(state.output.label.value(c))) state.positive++;
  }
}
