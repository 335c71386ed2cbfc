/**
 * Runs a part of a file run (see `runPart` in files.ts) on a worker thread (`part-worker.ts`),
 * which posts the result, or the error, back. A DetectInputError keeps its class across the
 * thread boundary, so a bad line under --strict reads the same whichever thread found it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DetectInputError, type PartOptions, type PartResult } from './files.js';

const THREAD_URL = new URL('./part-worker.js', import.meta.url);

/** What a part's thread posts back. */
export type PartMessage = { type: 'done'; result: PartResult } | { type: 'error'; message: string; input: boolean; file?: string; line?: number };

/** A part running on its own thread. */
export interface PartThread {
  result: Promise<PartResult>;
  /** Ends the thread early (its result is no longer needed); `result` then rejects. */
  stop(): Promise<unknown>;
}

/** True when compiled code is at hand (not when running from TypeScript sources). */
export function partThreadsAvailable(): boolean {
  return existsSync(fileURLToPath(THREAD_URL));
}

export function startPartThread(part: PartOptions): PartThread {
  const worker = new Worker(THREAD_URL, { workerData: part });
  const result = new Promise<PartResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: PartMessage) => {
      settled = true;
      if (m.type === 'done') resolve(m.result);
      else reject(m.input ? new DetectInputError(m.message, m.file ?? part.stream, m.line) : new Error(m.message));
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`detector thread stopped (exit code ${code})`));
    });
  });
  // A rejection nobody awaits yet (the run awaits the parts in order) must not end the process.
  result.catch(() => undefined);
  return { result, stop: () => worker.terminate() };
}
