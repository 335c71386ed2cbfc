import { describe, expect, it } from 'vitest';
import { chunks, parseShard, shardRange } from '../../src/phases/4-run/split.js';

/** The chunks must tile [from, to) in order, with no gap and no overlap. */
function expectTiles(parts: [number, number][], from: number, to: number): void {
  expect(parts[0][0]).toBe(from);
  expect(parts[parts.length - 1][1]).toBe(to);
  for (let i = 1; i < parts.length; i++) expect(parts[i][0]).toBe(parts[i - 1][1]);
  for (const [a, b] of parts) expect(b).toBeGreaterThan(a);
}

describe('splitting work', () => {
  it('shards tile the units in order, and a sequential process runs whole in shard 1', () => {
    const parts = [1, 2, 3].map((index) => shardRange(10, { index, count: 3 }));
    expect(parts).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
    expect(shardRange(10, { index: 1, count: 3 }, true)).toEqual([0, 10]);
    expect(shardRange(10, { index: 2, count: 3 }, true)).toEqual([0, 0]);
  });

  it('parses I/N and refuses what is not a shard', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1', 'a/b', '1/0']) expect(parseShard(bad)).toBeUndefined();
  });

  it('chunks aim at a byte size and keep every thread busy', () => {
    // 1,000 bytes a unit and 8 MiB chunks: 8,388 units each, unless balance asks for fewer.
    const big = chunks(0, 1_000_000, 1000, 2);
    expectTiles(big, 0, 1_000_000);
    expect(big[0][1] - big[0][0]).toBe(Math.floor((8 << 20) / 1000));
    // Few units: at least 16 chunks per thread.
    const small = chunks(5, 165, 10, 2);
    expectTiles(small, 5, 165);
    expect(small.length).toBeGreaterThanOrEqual(32);
  });

  it('without a size estimate, chunks stay small (held in memory whole, Ctrl-C seen between them)', () => {
    const parts = chunks(0, 2_000_000, 0, 2);
    expectTiles(parts, 0, 2_000_000);
    expect(Math.max(...parts.map(([a, b]) => b - a))).toBe(256);
  });
});
