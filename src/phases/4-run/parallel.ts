/**
 * Runs a process's chunks on worker threads and writes their bytes in chunk order, so the
 * files are byte-identical to a single-threaded run.
 *
 * With N workers the pool starts N - 1 threads and the main thread is the N-th: it writes
 * (and hashes) every result, and whenever nothing is ready to write it runs the next chunk
 * itself. On a machine with N cores that keeps N threads busy rather than N + 1 competing
 * ones, spares one thread's start-up (loading the scenario, drawing the populations), and
 * lets the run start at once while the threads are still starting. The threads are started
 * before the populations are drawn and load the scenario meanwhile; the drawn populations
 * follow in shared memory (`share`). Chunks in flight are bounded (three per thread), which
 * bounds memory whatever the size of the run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OutputState } from './attach.js';
import { DiagnosticError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ColumnWriter } from '../../sinks/parquet/column-writer.js';
import type { ChunkResult, ChunkRunner, ChunkTask } from './chunk-runner.js';
import { SharedBufferViews, type SharedChunkResult, type SharedRecycle } from './shared-buffers.js';
import type { PopulationsMessage, WorkerInit } from './worker.js';
import type { Population } from '../../model/population.js';
import { drawAcrossThreads, type DrawnMessage, type DrawStats } from './parallel-draw.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * Chunks a thread may hold at once. Three, so that a thread still has work queued while the
 * main thread is busy running a chunk of its own and cannot hand out more.
 */
const IN_FLIGHT = 3;

/** True when compiled worker code is available (it is not when running from TypeScript sources). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

type WorkerMessage = SharedChunkResult | DrawnMessage | { type: 'ready' } | { type: 'error'; message: string; diagnostics?: Diagnostic[] };

export class WorkerPool {
  private readonly workers: Worker[] = [];
  /** Per thread, its shared output buffers as this thread sees them. */
  private readonly views: SharedBufferViews[] = [];
  private readonly starting: Promise<void>;
  private started = false;
  private closed = false;

  /** Runs chunks in this thread; set by `share`. */
  private local: ChunkRunner | undefined;

  /** `count` workers in all: `count - 1` threads, and this thread, once `share` is called. */
  constructor(count: number, init: WorkerInit) {
    const starts: Promise<void>[] = [];
    for (let i = 0; i < count - 1; i++) {
      const w = new Worker(WORKER_URL, { workerData: init });
      this.workers.push(w);
      this.views.push(new SharedBufferViews());
      starts.push(
        new Promise((resolve, reject) => {
          const onMessage = (m: WorkerMessage) => {
            // Blocks of a population the thread helped draw (see draw) come before 'ready'.
            if (m.type === 'drawn') return;
            w.off('message', onMessage);
            if (m.type === 'ready') resolve();
            else reject(new Error(`worker failed to start: ${'message' in m ? m.message : m.type}`));
          };
          w.on('message', onMessage);
          w.once('error', reject);
        }),
      );
    }
    this.starting = Promise.all(starts).then(() => {
      this.started = true;
    });
    this.starting.catch(() => undefined);
  }

  /** Draws a population in this thread and the pool's threads at once (parallel-draw.ts). */
  draw(pop: Population, seed: number, local = true): Promise<DrawStats> {
    return drawAcrossThreads(pop, seed, this.workers, local);
  }

  /** Hands the drawn populations to the threads, and `local` runs chunks in this thread. */
  share(populations: PopulationsMessage['populations'], local: ChunkRunner): void {
    this.local = local;
    const message: PopulationsMessage = { type: 'populations', populations };
    for (const w of this.workers) w.postMessage(message);
  }

  get size(): number {
    return this.workers.length + 1;
  }

  /**
   * Runs the tasks and calls `write` with each result in task order. `shouldStop` is
   * checked between chunks; a stop rejects with the error it returns. No chunk is handed
   * out while `pending` returns a promise (the writers are behind, e.g. Parquet row groups
   * queued for DuckDB): the pool waits for it first.
   */
  async run(tasks: ChunkTask[], write: (r: ChunkResult) => void, shouldStop: () => Error | undefined, pending: () => Promise<void> | undefined = () => undefined): Promise<void> {
    const local = this.local;
    if (!local) throw new Error('WorkerPool.run before share');
    const done = new Map<number, { result: ChunkResult; from?: Worker; back?: SharedRecycle }>();
    const inFlight = new Map<Worker, number>(this.workers.map((w) => [w, 0]));
    // Results may run ahead of the writer by this many chunks; beyond it nobody takes more.
    const window = this.size * IN_FLIGHT;
    let next = 0; // next task to hand out
    let written = 0; // next result to write
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      wake?.();
      wake = undefined;
    };
    this.starting.then(notify, (e: Error) => ((failure ??= e), notify()));
    const listeners = this.workers.map((w, i) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'error') failure ??= m.diagnostics ? new DiagnosticError(m.diagnostics) : new Error(m.message);
        else if (m.type === 'result') {
          inFlight.set(w, inFlight.get(w)! - 1);
          const { result, back } = this.views[i].open(m);
          done.set(m.id, { result, from: w, back });
        }
        notify();
      };
      const onError = (e: Error) => ((failure ??= e), notify());
      w.on('message', onMessage);
      w.on('error', onError);
      return () => (w.off('message', onMessage), w.off('error', onError));
    });
    const feed = () => {
      if (!this.started) return;
      for (const w of this.workers) {
        while (inFlight.get(w)! < IN_FLIGHT && next < tasks.length && next - written < window) {
          w.postMessage(tasks[next++]);
          inFlight.set(w, inFlight.get(w)! + 1);
        }
      }
    };
    try {
      while (written < tasks.length) {
        if (failure) throw failure;
        while (done.has(tasks[written]?.id)) {
          const { result, from, back } = done.get(tasks[written].id)!;
          done.delete(result.id);
          write(result);
          // The buffers go back to whoever filled them (by number: they are shared memory),
          // so no thread allocates or collects a buffer per chunk.
          if (from) from.postMessage(back);
          else local.recycleResult(result);
          written++;
        }
        const stop = shouldStop();
        if (stop) throw stop;
        const behind = pending();
        if (behind) {
          // Results that arrive meanwhile are written at the top of the loop: go back there.
          await behind;
          continue;
        }
        feed();
        if (written === tasks.length) break;
        if (next < tasks.length && next - written < window) {
          // Nothing to write: run a chunk here, then let the threads' messages in.
          const task = tasks[next++];
          done.set(task.id, { result: local.run(task) });
          await new Promise((r) => setImmediate(r));
        } else {
          await new Promise<void>((r) => (wake = r));
        }
      }
    } finally {
      for (const off of listeners) off();
    }
  }

  /** Stops the threads; closing again does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Adds a worker's result for one chunk to the output files. */
export function writeResult(states: OutputState[], r: ChunkResult): void {
  for (const o of r.outputs) {
    const s = states.find((x) => x.output.name === o.name)!;
    for (const c of o.chunks) s.writer.writeChunk(c);
    if (o.columns) (s.writer as ColumnWriter).appendChunk(o.columns);
    s.rows += o.rows;
    s.positive += o.positive;
  }
}
