/**
 * Runs one chunk of a process into in-memory writers and returns the encoded bytes, for the
 * main thread to write in chunk order. Worker threads use it, and so does the main thread,
 * which takes chunks itself whenever it has nothing to write (see parallel.ts).
 */
import type { CompiledScenario } from '../3-plan/index.js';
import type { Allocate } from '../../sinks/byte-writer.js';
import { workerWriter } from '../../sinks/open-writers.js';
import { ColumnWriter, type ColumnChunk } from '../../sinks/parquet/column-writer.js';
import type { InvalidValues } from '../../model/invalid.js';
import { sinksOf, type OutputState } from './attach.js';
import { RowBudget } from './budget.js';
import { asRunDiagnostic } from './failures.js';

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


export class ChunkRunner {
  private readonly states: OutputState[];
  private readonly budget: RowBudget;
  private readonly sinks: Map<string, ReturnType<typeof sinksOf>>;

  /** `compiled` must have its populations drawn and bound; `allocate` makes the output buffers. */
  constructor(private readonly compiled: CompiledScenario, allocate?: Allocate) {
    this.states = compiled.outputs.map((o) => ({ output: o, writer: workerWriter(o, allocate), rows: 0, positive: 0 }));
    // Rows of every chunk count against limits.max_rows here too: a single chunk may run away.
    this.budget = new RowBudget(compiled.safety, () => this.states.reduce((n, s) => n + s.writer.bytes + s.writer.pos, 0));
    this.sinks = new Map(compiled.processes.map((p) => [p.name, sinksOf(p.name, this.states, this.budget)]));
  }

  /** Runs the chunk; errors are thrown as diagnostics placed at the process. */
  run(task: ChunkTask): ChunkResult {
    const { compiled, states } = this;
    const proc = compiled.processes.find((p) => p.name === task.process)!;
    const before = proc.counters();
    for (const s of states) (s.rows = 0), (s.positive = 0);
    this.budget.process = proc.name;
    try {
      proc.run(compiled.seed, task.from, task.to, this.sinks.get(proc.name)!);
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
    return { type: 'result', id: task.id, outputs, counters, invalid: compiled.safety.invalid.take() };
  }

  /** Takes back an output's buffers once the main thread has written their bytes. */
  recycle(output: string, buffers: Buffer[]): void {
    const writer = this.states.find((s) => s.output.name === output)?.writer;
    for (const b of buffers) writer?.recycle(b);
  }

  /** Takes back the buffers of a result this runner made, once written. */
  recycleResult(r: ChunkResult): void {
    for (const o of r.outputs) this.recycle(o.name, o.chunks.map((c) => Buffer.from(c.buffer, 0, c.buffer.byteLength)));
  }
}
