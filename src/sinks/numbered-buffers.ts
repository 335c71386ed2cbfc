/**
 * Buffers of shared memory made once and known by number to the threads they are sent to:
 * each crosses once (taken from `takeFresh`), and afterwards only its number does. Moving an
 * ArrayBuffer per message instead makes V8 count fresh external memory every time and collect
 * garbage far more often (see 4-run/shared-buffers.ts). Used for worker threads' output chunks
 * (4-run/shared-buffers.ts) and for the file thread (file-thread.ts).
 */
export class NumberedBuffers {
  private readonly buffers: Buffer[] = [];
  private readonly ids = new Map<ArrayBufferLike, number>();
  private fresh: [number, SharedArrayBuffer][] = [];

  /** How many have been made. */
  get count(): number {
    return this.buffers.length;
  }

  /** A new buffer of `size` bytes in shared memory (usable as a writer's allocator). */
  readonly allocate = (size: number): Buffer => {
    const memory = new SharedArrayBuffer(size);
    const id = this.buffers.length;
    const buffer = Buffer.from(memory);
    this.buffers.push(buffer);
    this.ids.set(memory, id);
    this.fresh.push([id, memory]);
    return buffer;
  };

  /** The number of `bytes` when they start one of these buffers, else undefined. */
  idOf(bytes: Uint8Array): number | undefined {
    return bytes.byteOffset === 0 ? this.ids.get(bytes.buffer) : undefined;
  }

  byId(id: number): Buffer {
    return this.buffers[id];
  }

  /** The buffers made since the last call, with their numbers, for the other thread to know. */
  takeFresh(): [number, SharedArrayBuffer][] {
    const fresh = this.fresh;
    this.fresh = [];
    return fresh;
  }
}
