/**
 * The memory-latency probe printed with the benchmarks: its chain must be one cycle through
 * every cache line (else the loads would circle in a few lines that stay in cache, and the
 * figure would be a cache hit whatever the array's size), drawn from the project's RNG.
 */
import { describe, expect, it } from 'vitest';
import { loadLatency, pointerCycle } from '../../src/bench/memory-latency.js';

const SLOTS_PER_LINE = 16;

describe('memory-latency probe', () => {
  it('chains every cache line into a single cycle, one link a line', () => {
    const lines = 5_000;
    const chain = pointerCycle(lines, 7);
    expect(chain.length).toBe(lines * SLOTS_PER_LINE);
    const seen = new Uint8Array(lines);
    let at = 0;
    for (let step = 0; step < lines; step++) {
      expect(at % SLOTS_PER_LINE).toBe(0);
      const line = at / SLOTS_PER_LINE;
      expect(seen[line], `line ${line} visited twice`).toBe(0);
      seen[line] = 1;
      at = chain[at];
    }
    // Back at the start after exactly `lines` loads, having seen them all.
    expect(at).toBe(0);
    expect(seen.every((s) => s === 1)).toBe(true);
    // Only the first slot of a line is used: the rest stay zero.
    let others = 0;
    for (let i = 0; i < chain.length; i++) if (i % SLOTS_PER_LINE !== 0) others += chain[i];
    expect(others).toBe(0);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(Array.from(pointerCycle(300, 1))).toEqual(Array.from(pointerCycle(300, 1)));
    expect(Array.from(pointerCycle(300, 1))).not.toEqual(Array.from(pointerCycle(300, 2)));
  });

  it('reports a finite time per load', () => {
    const ns = loadLatency(0.25, 50_000);
    expect(Number.isFinite(ns)).toBe(true);
    expect(ns).toBeGreaterThan(0);
  });
});
