/**
 * A worker thread: compiles the same scenario with the same options as the main thread,
 * draws the populations, then runs the chunks it is sent into in-memory writers and sends
 * the encoded bytes back. The main thread writes them in chunk order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { bindColumns, drawPopulation } from '../../model/population.js';
import { loadScenario, type LoadOptions } from '../../pipeline.js';
import { workerWriter } from '../../sinks/open-writers.js';
import { ColumnWriter, type ColumnChunk } from '../../sinks/parquet/column-writer.js';
import { sinksOf, type OutputState } from './attach.js';
import { DiagnosticError } from '../../diagnostics/diagnostic.js';
import type { InvalidValues } from '../../model/invalid.js';
import { RowBudget } from './budget.js';
import { asRunDiagnostic } from './failures.js';

export interface WorkerInit {
  file: string;
  load: LoadOptions;
}

export interface ChunkTask {
  id: number;
  process: string;
  from: number;
  to: number;
}

export interface ChunkResult {
  type: 'result';
  id: number;
  /** Parquet outputs send their values as `columns` (the main thread writes the file). */
  outputs: { name: string; chunks: Buffer[]; rows: number; positive: number; columns?: ColumnChunk }[];
  counters: Record<string, number>;
  /** Invalid values written as null in this chunk (`on_invalid: warn`), for the run's warnings. */
  invalid?: ReturnType<InvalidValues['take']>;
}

const port = parentPort!;
const init = workerData as WorkerInit;
try {
  const loaded = loadScenario(init.file, { ...init.load, trusted: true });
  if (!loaded.compiled) throw new Error(`the scenario no longer compiles: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  const compiled = loaded.compiled;
  for (const pop of compiled.populations.values()) {
    drawPopulation(pop, compiled.seed);
    bindColumns(pop);
  }
  const states: OutputState[] = compiled.outputs.map((o) => ({ output: o, writer: workerWriter(o), rows: 0, positive: 0 }));
  // Rows of every chunk count against limits.max_rows here too: a single chunk may run away.
  const budget = new RowBudget(compiled.safety, () => states.reduce((n, s) => n + s.writer.bytes + s.writer.pos, 0));
  const sinks = new Map(compiled.processes.map((p) => [p.name, sinksOf(p.name, states, budget)]));
  port.on('message', (task: ChunkTask) => {
    try {
      const proc = compiled.processes.find((p) => p.name === task.process)!;
      const before = proc.counters();
      for (const s of states) (s.rows = 0), (s.positive = 0);
      budget.process = proc.name;
      try {
        proc.run(compiled.seed, task.from, task.to, sinks.get(proc.name)!);
      } catch (e) {
        throw asRunDiagnostic(e, proc.name, compiled.safety, task.from);
      }
      const after = proc.counters();
      const counters = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]));
      const outputs = states
        .filter((s) => 'process' in s.output.source && s.output.source.process === task.process)
        .map((s) => ({
          name: s.output.name,
          chunks: s.writer.take(),
          rows: s.rows,
          positive: s.positive,
          ...(s.writer instanceof ColumnWriter ? { columns: s.writer.takeChunk() } : {}),
        }));
      const transfer = outputs.flatMap((o) => o.chunks.map((c) => c.buffer as ArrayBuffer));
      port.postMessage({ type: 'result', id: task.id, outputs, counters, invalid: compiled.safety.invalid.take() } satisfies ChunkResult, transfer);
    } catch (e) {
      // Diagnostics travel as data, so the main thread reports them with their places.
      port.postMessage({ type: 'error', message: (e as Error).message, diagnostics: e instanceof DiagnosticError ? e.diagnostics : undefined });
    }
  });
  port.postMessage({ type: 'ready' });
} catch (e) {
  port.postMessage({ type: 'error', message: (e as Error).message });
}
