/**
 * A worker thread's output buffers in shared memory, known to the main thread by number.
 *
 * Moving an ArrayBuffer between threads makes the receiving thread create a new one over the
 * bytes, and V8 counts each as fresh external memory: a run moving gigabytes through 1 MiB
 * buffers triggered a full garbage collection every few dozen chunks on the main thread (48
 * instead of 3 in an aml-graph run, and the marking threads took about a tenth of the CPU).
 * Here each buffer is a SharedArrayBuffer made once; the main thread is sent it once and
 * afterwards only its number and the length filled, and sends the numbers back once written.
 */
import { NumberedBuffers } from '../../sinks/numbered-buffers.js';
import type { ChunkResult } from './chunk-runner.js';

/** A chunk as it crosses threads: [buffer number, bytes filled], or the bytes themselves (a buffer made for one oversized row). */
export type ChunkRef = [number, number] | Uint8Array;

/** What a worker thread sends for a chunk: ChunkResult with references instead of bytes. */
export interface SharedChunkResult extends Omit<ChunkResult, 'outputs'> {
  outputs: (Omit<ChunkResult['outputs'][number], 'chunks'> & { chunks: ChunkRef[] })[];
  /** Buffers made since the last result, for the main thread to know by number. */
  fresh: [number, SharedArrayBuffer][];
}

/** Buffer numbers the main thread has written, by output, handed back for reuse. */
export interface SharedRecycle {
  type: 'recycle';
  outputs: { name: string; ids: number[] }[];
}

/** The worker side: makes the buffers and turns results into references. */
export class SharedBufferPool extends NumberedBuffers {
  /** The result as references, and the ArrayBuffers to move with it (oversized rows only). */
  share(result: ChunkResult): { message: SharedChunkResult; transfer: ArrayBuffer[] } {
    const transfer: ArrayBuffer[] = [];
    const outputs = result.outputs.map((o) => ({
      ...o,
      chunks: o.chunks.map((c): ChunkRef => {
        const id = this.idOf(c);
        if (id !== undefined) return [id, c.length];
        transfer.push(c.buffer as ArrayBuffer);
        return c;
      }),
    }));
    const message: SharedChunkResult = { ...result, outputs, fresh: this.takeFresh() };
    return { message, transfer };
  }
}

/** The main thread's side, one per worker thread: turns references back into bytes. */
export class SharedBufferViews {
  private readonly views: Buffer[] = [];

  /** The result with its chunks as Buffers over the shared memory, and the numbers to hand back once written. */
  open(message: SharedChunkResult): { result: ChunkResult; back: SharedRecycle } {
    for (const [id, memory] of message.fresh) this.views[id] = Buffer.from(memory);
    const back: SharedRecycle = { type: 'recycle', outputs: [] };
    const outputs = message.outputs.map((o) => {
      const ids: number[] = [];
      const chunks = o.chunks.map((c) => {
        if (!Array.isArray(c)) return Buffer.from(c.buffer, c.byteOffset, c.length);
        ids.push(c[0]);
        return this.views[c[0]].subarray(0, c[1]);
      });
      if (ids.length > 0) back.outputs.push({ name: o.name, ids });
      return { ...o, chunks };
    });
    const { fresh: _fresh, ...rest } = message;
    return { result: { ...rest, outputs }, back };
  }
}
