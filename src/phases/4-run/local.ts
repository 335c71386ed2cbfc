/**
 * Runs a process in this thread over [from, to) in small batches, yielding to the event loop
 * every ~50 ms so the progress UI redraws and a stop request is seen promptly, and waiting
 * whenever `pending` says the writers are behind (Parquet row groups queued for DuckDB).
 */
import type { ProcessRuntime, RecordSink } from '../../kernels/types.js';

const YIELD_MS = 50;
const BATCH = 16;

export async function runLocal(
  proc: ProcessRuntime,
  seed: number,
  from: number,
  to: number,
  sinks: Record<string, RecordSink[]>,
  progress: (done: number) => void,
  stopError: () => Error | undefined,
  pending: () => Promise<void> | undefined = () => undefined,
): Promise<void> {
  let lastYield = performance.now();
  for (let a = from; a < to; ) {
    const b = Math.min(to, a + BATCH);
    proc.run(seed, a, b, sinks);
    a = b;
    for (let p = pending(); p; p = pending()) await p;
    if (performance.now() - lastYield > YIELD_MS) {
      progress(a);
      await new Promise((r) => setImmediate(r));
      const stop = stopError();
      if (stop) throw stop;
      lastYield = performance.now();
    }
  }
}
