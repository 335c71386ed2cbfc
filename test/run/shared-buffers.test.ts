/**
 * Output buffers in shared memory: a chunk crosses threads as a buffer number and a length,
 * each buffer is announced once, and bytes that did not come from the pool (an oversized
 * row's own buffer) still arrive whole.
 */
import { describe, expect, it } from 'vitest';
import type { ChunkResult } from '../../src/phases/4-run/chunk-runner.js';
import { SharedBufferPool, SharedBufferViews } from '../../src/phases/4-run/shared-buffers.js';

const result = (id: number, chunks: Buffer[]): ChunkResult => ({
  type: 'result',
  id,
  outputs: [{ name: 'sessions', chunks, rows: 1, positive: 0 }],
  counters: {},
});

describe('shared output buffers', () => {
  it('send numbers and lengths, announce each buffer once, and open to the same bytes', () => {
    const pool = new SharedBufferPool();
    const views = new SharedBufferViews();
    const a = pool.allocate(16);
    const b = pool.allocate(16);
    a.write('hello, ');
    b.write('world');
    const first = pool.share(result(0, [a.subarray(0, 7), b.subarray(0, 5)]));
    expect(first.message.outputs[0].chunks).toEqual([[0, 7], [1, 5]]);
    expect(first.message.fresh.map(([id]) => id)).toEqual([0, 1]);
    expect(first.transfer).toEqual([]);
    const opened = views.open(first.message);
    expect(Buffer.concat(opened.result.outputs[0].chunks).toString()).toBe('hello, world');
    expect(opened.back.outputs).toEqual([{ name: 'sessions', ids: [0, 1] }]);
    expect('fresh' in opened.result).toBe(false);

    // The same memory: what the worker writes next is what the main thread reads, no new announcement.
    a.write('again');
    const second = pool.share(result(1, [a.subarray(0, 5)]));
    expect(second.message.fresh).toEqual([]);
    expect(views.open(second.message).result.outputs[0].chunks[0].toString()).toBe('again');
    expect(pool.byId(1)).toBe(b);
  });

  it('moves bytes that are not in the pool (an oversized row) as they are', () => {
    const pool = new SharedBufferPool();
    const views = new SharedBufferViews();
    const big = Buffer.alloc(64, 'x');
    const { message, transfer } = pool.share(result(0, [big.subarray(0, 40)]));
    expect(transfer).toEqual([big.buffer]);
    const opened = views.open(message);
    expect(opened.result.outputs[0].chunks[0].toString()).toBe('x'.repeat(40));
    expect(opened.back.outputs).toEqual([]);
  });
});
