/**
 * Draws a population's members on the main thread and the worker threads at once.
 *
 * Members are drawn in blocks of BLOCK, handed out by a counter in shared memory: each
 * thread takes the next block number with Atomics.add until none is left, so a thread still
 * loading the scenario simply takes none, and the main thread never waits for one. Numeric,
 * boolean and category columns are shared typed arrays that every thread writes in place;
 * other values (strings, faker's) come back with each block's message. Member i draws from
 * its own stream (seed, "actor/<name>", i) wherever it is drawn, so the columns are the ones
 * a single thread draws.
 *
 * What cannot be split exactly is redone on the main thread alone: when a block found an
 * invalid value (whose warning quotes the first occurrences in member order) or failed (the
 * error a single thread reports is the one of the lowest member), the population is drawn
 * again from the start by `drawPopulation`, with what was recorded meanwhile undone.
 */
import type { Worker } from 'node:worker_threads';
import { allocateColumns, drawMembers, drawPopulation, type AttributeColumn, type Population } from '../../model/population.js';

/** Members per block: small enough for two threads to share a population of a few thousand. */
export const BLOCK = 256;

/** Main thread to worker threads: draw blocks of `population` from `counter`. */
export interface DrawMessage {
  type: 'draw';
  population: string;
  /** The shared typed columns, by attribute; null for a column of plain values. */
  columns: (Float64Array | Uint8Array | Int32Array | null)[];
  counter: Int32Array;
  blocks: number;
}

/** Worker thread to main thread: one block drawn (or failed). */
export interface DrawnMessage {
  type: 'drawn';
  population: string;
  block: number;
  /** The block's plain values, by attribute (null for a shared typed column). */
  values: (unknown[] | null)[];
  /** The block found an invalid value or failed: the main thread draws the population again. */
  redo: boolean;
}

/** How a population was drawn, for tests and progress notes. */
export interface DrawStats {
  blocks: number;
  /** Blocks the worker threads drew. */
  byThreads: number;
  /** True when the population was drawn again by the main thread alone (see above). */
  redone: boolean;
}

/**
 * Draws `pop` with `workers`' help into shared columns (the caller then binds them).
 * `local: false` leaves every block to the threads (tests use it to make them draw).
 */
export async function drawAcrossThreads(pop: Population, seed: number, workers: Worker[], local = true): Promise<DrawStats> {
  const n = pop.count;
  const blocks = Math.ceil(n / BLOCK);
  const cols = allocateColumns(pop, true);
  const plain = cols.map((col) => ArrayBuffer.isView(col.data) === false);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const mark = pop.invalid?.mark();
  const message: DrawMessage = { type: 'draw', population: pop.name, columns: cols.map((col, k) => (plain[k] ? null : (col.data as Float64Array | Uint8Array | Int32Array))), counter, blocks };
  const arrived = new Map<number, DrawnMessage>();
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const onMessage = (m: DrawnMessage | { type: string; message?: string }) => {
    if (m.type === 'error') failure ??= new Error(`a worker thread failed: ${(m as { message?: string }).message}`);
    else if (m.type !== 'drawn' || (m as DrawnMessage).population !== pop.name) return;
    else arrived.set((m as DrawnMessage).block, m as DrawnMessage);
    wake?.();
  };
  const onError = (e: Error) => {
    failure ??= e;
    wake?.();
  };
  const onExit = () => onError(new Error('a worker thread stopped while drawing a population'));
  for (const w of workers) {
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    w.postMessage(message);
  }
  try {
    let redo = false;
    const mine = new Set<number>();
    let taken = blocks;
    if (local) {
      for (let b = Atomics.add(counter, 0, 1); b < blocks; b = Atomics.add(counter, 0, 1)) {
        // Ours whether it succeeds or not (a failed block is redrawn with the rest).
        mine.add(b);
        try {
          drawMembers(pop, cols, seed, b * BLOCK, Math.min(n, (b + 1) * BLOCK), 0);
        } catch {
          redo = true;
          // Nobody takes another block; the ones taken so far are still reported.
          taken = Math.min(Atomics.add(counter, 0, blocks), blocks);
          break;
        }
      }
    } else {
      // The threads alone: wait until they have taken every block, or one of them gave up.
      while (Atomics.load(counter, 0) < blocks && ![...arrived.values()].some((m) => m.redo)) {
        if (failure) throw failure;
        await new Promise<void>((r) => (wake = r));
      }
      taken = Math.min(Atomics.add(counter, 0, blocks), blocks);
    }
    // Every block below `taken` was taken by someone: wait for the threads' ones.
    const theirs = () => {
      for (let b = 0; b < taken; b++) if (!mine.has(b) && !arrived.has(b)) return false;
      return true;
    };
    while (!theirs()) {
      if (failure) throw failure;
      await new Promise<void>((r) => (wake = r));
    }
    for (const m of arrived.values()) {
      if (m.redo) redo = true;
      const from = m.block * BLOCK;
      m.values.forEach((values, k) => {
        if (!values) return;
        const data = cols[k].data as unknown[];
        for (let j = 0; j < values.length; j++) data[from + j] = values[j];
      });
    }
    if (mark && pop.invalid!.since(mark) > 0) redo = true;
    if (redo) {
      if (mark) pop.invalid!.restore(mark);
      drawPopulation(pop, seed, true);
    } else {
      pop.columns = new Map(cols.map((col) => [col.name, col]));
      pop.drawn = { seed, clean: true };
    }
    return { blocks, byThreads: arrived.size, redone: redo };
  } finally {
    for (const w of workers) {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    }
  }
}

/**
 * The worker thread's side: takes blocks from the counter until none is left and sends each
 * one's plain values back. Its own record of invalid values is emptied after each block: the
 * main thread draws the population again whenever a block found one.
 */
export function drawBlocks(pop: Population, seed: number, m: DrawMessage, post: (d: DrawnMessage) => void): void {
  const n = pop.count;
  for (let b = Atomics.add(m.counter, 0, 1); b < m.blocks; b = Atomics.add(m.counter, 0, 1)) {
    const from = b * BLOCK;
    const to = Math.min(n, from + BLOCK);
    const cols = pop.attributes.map(({ dist }, k) => {
      const shared = m.columns[k];
      return { kind: dist.kind, values: dist.values, data: shared ? shared.subarray(from, to) : new Array(to - from) };
    });
    const before = pop.invalid?.mark();
    let redo = false;
    try {
      drawMembers(pop, cols, seed, from, to, from);
    } catch {
      redo = true;
    }
    if (before && pop.invalid!.since(before) > 0) {
      redo = true;
      pop.invalid!.restore(before);
    }
    post({ type: 'drawn', population: pop.name, block: b, values: cols.map((col, k) => (m.columns[k] ? null : (col.data as unknown[]))), redo });
    // After a failure the main thread redraws everything: no point taking more.
    if (redo) break;
  }
}
