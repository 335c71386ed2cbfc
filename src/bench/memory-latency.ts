/**
 * How long one load takes when it misses the caches: a reference figure printed beside the
 * benchmarks, since the detector and card payments spend most of their time waiting on memory.
 *
 * Development hosts are shared and their memory latency moves from one hour to the next (the
 * same detector run has taken 9 s and 12 s), so a figure taken beside the benchmarks tells
 * whether a slower run is the code or the host. The probe follows a chain of loads, each
 * address read from the previous load, through a random cycle over the cache lines of an array:
 * no two loads overlap, so the time per load is the latency of the level that holds the array
 * (1 MB: the core's own cache; 256 MB: main memory, with address-translation misses, as the
 * detector's random reads have them).
 */
import { rngFor } from '../rng/index.js';

/** Int32 slots per 64-byte cache line: the chain uses the first slot of each line. */
const SLOTS_PER_LINE = 16;

/**
 * An array over `lines` cache lines whose first slot of line i holds the slot of the next line
 * of one random cycle through all of them (Sattolo's shuffle gives a single cycle), so following
 * it from slot 0 visits every line once before coming back.
 */
export function pointerCycle(lines: number, seed: number): Int32Array {
  const r = rngFor(seed, 'bench/memory-latency');
  const order = new Int32Array(lines);
  for (let i = 0; i < lines; i++) order[i] = i;
  for (let i = lines - 1; i > 0; i--) {
    const j = Math.floor(r() * i); // j < i: Sattolo's variant, one cycle
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const chain = new Int32Array(lines * SLOTS_PER_LINE);
  for (let i = 0; i < lines; i++) chain[order[i] * SLOTS_PER_LINE] = order[(i + 1) % lines] * SLOTS_PER_LINE;
  return chain;
}

/** Nanoseconds per dependent load through `megabytes` of memory (after one warm-up lap). */
export function loadLatency(megabytes: number, loads = 2_000_000, seed = 1): number {
  const lines = Math.max(2, Math.floor((megabytes * 2 ** 20) / (SLOTS_PER_LINE * 4)));
  const chain = pointerCycle(lines, seed);
  let at = 0;
  for (let i = 0; i < lines; i++) at = chain[at];
  const started = process.hrtime.bigint();
  for (let i = 0; i < loads; i++) at = chain[at];
  const ns = Number(process.hrtime.bigint() - started) / loads;
  // `at` is used, so the loop cannot be dropped; it is never negative.
  return at < 0 ? NaN : ns;
}

/** The figures printed with the benchmarks: latency in a 1 MB and a 256 MB array. */
export interface MemoryLatency {
  cacheNs: number;
  memoryNs: number;
}

export function memoryLatency(): MemoryLatency {
  return { cacheNs: loadLatency(1), memoryNs: loadLatency(256) };
}

export function describeLatency(m: MemoryLatency): string {
  return `dependent load ${m.cacheNs.toFixed(0)} ns in 1 MB, ${m.memoryNs.toFixed(0)} ns in 256 MB`;
}
