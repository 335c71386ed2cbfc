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
}

const port = parentPort!;
const init = workerData as WorkerInit;
try {
  const loaded = loadScenario(init.file, init.load);
  if (!loaded.compiled) throw new Error(`the scenario no longer compiles: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  const compiled = loaded.compiled;
  for (const pop of compiled.populations.values()) {
    drawPopulation(pop, compiled.seed);
    bindColumns(pop);
  }
  const states: OutputState[] = compiled.outputs.map((o) => ({ output: o, writer: workerWriter(o), rows: 0, positive: 0 }));
  const sinks = new Map(compiled.processes.map((p) => [p.name, sinksOf(p.name, states)]));
  port.on('message', (task: ChunkTask) => {
    try {
      const proc = compiled.processes.find((p) => p.name === task.process)!;
      const before = proc.counters();
      for (const s of states) (s.rows = 0), (s.positive = 0);
      proc.run(compiled.seed, task.from, task.to, sinks.get(proc.name)!);
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
      port.postMessage({ type: 'result', id: task.id, outputs, counters } satisfies ChunkResult, transfer);
    } catch (e) {
      port.postMessage({ type: 'error', message: (e as Error).message });
    }
  });
  port.postMessage({ type: 'ready' });
} catch (e) {
  port.postMessage({ type: 'error', message: (e as Error).message });
}
