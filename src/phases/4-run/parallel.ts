/**
 * Runs a process's chunks on worker threads and writes their bytes in chunk order, so the
 * files are byte-identical to a single-threaded run. At most two chunks per worker are in
 * flight, which bounds memory whatever the size of the run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OutputState } from './attach.js';
import { DiagnosticError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ColumnWriter } from '../../sinks/parquet/column-writer.js';
import type { ChunkResult, ChunkTask, WorkerInit } from './worker.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** True when compiled worker code is available (it is not when running from TypeScript sources). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private ready: Promise<void>;

  constructor(count: number, init: WorkerInit) {
    const starts: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const w = new Worker(WORKER_URL, { workerData: init });
      this.workers.push(w);
      starts.push(
        new Promise((resolve, reject) => {
          const onMessage = (m: { type: string; message?: string }) => {
            w.off('message', onMessage);
            if (m.type === 'ready') resolve();
            else reject(new Error(`worker failed to start: ${m.message}`));
          };
          w.on('message', onMessage);
          w.once('error', reject);
        }),
      );
    }
    this.ready = Promise.all(starts).then(() => undefined);
    this.ready.catch(() => undefined);
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs the tasks and calls `write` with each result in task order. `shouldStop` is
   * checked as results arrive; a stop rejects with the error it returns. No task is sent
   * while `pending` returns a promise (the writers are behind): it is sent once that settles.
   */
  async run(tasks: ChunkTask[], write: (r: ChunkResult) => void, shouldStop: () => Error | undefined, pending: () => Promise<void> | undefined = () => undefined): Promise<void> {
    await this.ready;
    const done = new Map<number, ChunkResult>();
    let next = 0; // next task to send
    let written = 0; // next result to write
    await new Promise<void>((resolve, reject) => {
      if (tasks.length === 0) return resolve();
      const inFlight = new Map<Worker, number>();
      const cleanup = () => this.workers.forEach((w) => (w.removeAllListeners('message'), w.removeAllListeners('error')));
      const fail = (e: Error) => (cleanup(), reject(e));
      const feed = (w: Worker) => {
        while ((inFlight.get(w) ?? 0) < 2 && next < tasks.length) {
          w.postMessage(tasks[next++]);
          inFlight.set(w, (inFlight.get(w) ?? 0) + 1);
        }
      };
      const refill = (w: Worker) => {
        const wait = pending();
        if (wait) return void wait.then(() => refill(w));
        // Keep the reorder buffer small: feed only while the writer is not far behind.
        if (next - written < this.workers.length * 2) feed(w);
        for (const other of this.workers) if ((inFlight.get(other) ?? 0) === 0 && next - written < this.workers.length * 2) feed(other);
      };
      for (const w of this.workers) {
        w.on('error', fail);
        w.on('message', (m: ChunkResult | { type: 'error'; message: string; diagnostics?: Diagnostic[] }) => {
          if (m.type === 'error') return fail(m.diagnostics ? new DiagnosticError(m.diagnostics) : new Error(m.message));
          inFlight.set(w, inFlight.get(w)! - 1);
          done.set(m.id, m);
          try {
            while (done.has(tasks[written]?.id)) {
              const r = done.get(tasks[written].id)!;
              done.delete(r.id);
              write(r);
              written++;
            }
          } catch (e) {
            return fail(e as Error);
          }
          const stop = shouldStop();
          if (stop) return fail(stop);
          if (written === tasks.length) return (cleanup(), resolve());
          refill(w);
        });
      }
      for (const w of this.workers) feed(w);
    });
  }

  async close(): Promise<void> {
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
