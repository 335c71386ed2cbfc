/**
 * Rows are encoded straight into one large Buffer and written in big chunks: a write per
 * row tops out near 1.3 M rows/s here, a 1 MiB buffer near 5.8 M. Hand-written because it is
 * the hot path of every output. The sha256 of the file is computed as chunks go out, by the
 * file thread when there is one (file-thread.ts), else here.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileThread, type FileThread } from './file-thread.js';
import { countDigits, write8 } from './fixed-decimal.js';

const CHUNK = 1 << 20;
/** Enough spare buffers for two chunks in flight of a few MiB each. */
const SPARE_LIMIT = 32;

/**
 * Turns the bytes of a file into what is stored (gzip, see gzip.ts). It must produce the
 * same output for the same bytes however they are cut into chunks, so that files written
 * with worker threads stay byte-identical.
 */
export interface ByteTransform {
  push(chunk: Uint8Array): Uint8Array[];
  end(): Uint8Array[];
}

/** Makes an output buffer (a worker thread's come from shared memory, see 4-run/shared-buffers.ts). */
export type Allocate = (size: number) => Buffer;
const allocUnsafe: Allocate = (size) => Buffer.allocUnsafe(size);

export class ByteWriter {
  buf: Buffer;
  pos = 0;
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private fd: number | undefined;
  /**
   * The file thread writing this file, and the file's number there; else this thread writes.
   * Chosen at the first flush: a file that fits in one buffer is written here at close, with
   * no thread to start for it.
   */
  private io: FileThread | undefined;
  private file = -1;
  private attached = false;
  /** Bytes stored in the file (differs from `bytes` when a transform compresses). */
  private stored = 0;

  /** Chunks kept in memory when the writer collects (worker threads). */
  chunks: Buffer[] | undefined;

  /**
   * Buffers the main thread has written and handed back (worker threads). Reusing them keeps
   * a worker from allocating, and the main thread from collecting, 1 MiB per flush: that
   * churn of external memory made the main thread spend about an eighth of its time in the
   * garbage collector.
   */
  private readonly spare: Buffer[] = [];

  /**
   * `path`: write to that file. No path: count bytes only (plan estimates), or with
   * `collect` keep the flushed chunks in memory (a worker hands them to the main thread).
   * `useFileThread`: hand the writing and hashing to the file thread (file-thread.ts).
   */
  constructor(
    readonly path?: string,
    collect = false,
    private readonly transform?: ByteTransform,
    private readonly allocate: Allocate = allocUnsafe,
    private readonly useFileThread = false,
  ) {
    this.buf = allocate(CHUNK);
    if (path) this.fd = openSync(path, 'w');
    if (collect) this.chunks = [];
  }

  /** Writes a chunk encoded elsewhere (by a worker), after what is buffered here. */
  writeChunk(chunk: Uint8Array): void {
    this.flush();
    if (this.fd !== undefined) this.store(chunk);
    this.bytes += chunk.length;
  }

  /** Takes the collected chunks (flushing first) and starts a new collection. */
  take(): Buffer[] {
    this.flush();
    const out = this.chunks ?? [];
    this.chunks = [];
    return out;
  }

  /** Takes back a buffer whose bytes have been written elsewhere, for reuse. */
  recycle(buffer: Buffer): void {
    if (buffer.length === CHUNK && this.spare.length < SPARE_LIMIT) this.spare.push(buffer);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) {
        this.io?.release(this.buf);
        this.buf = Buffer.allocUnsafe(Math.max(n, CHUNK));
      }
    }
  }

  /** Flushes so far: a row written with no change here is still whole in `buf` (shared-columns.ts). */
  flushes = 0;

  flush(): void {
    if (this.pos === 0) return;
    this.flushes++;
    const chunk = this.buf.subarray(0, this.pos);
    if (this.fd !== undefined) {
      if (!this.attached) this.attach();
      if (this.io && !this.transform) {
        // Hand the filled buffer to the file thread whole and go on in a free one: no copy
        // (this writer's first buffer, or one grown for a long row, is copied).
        if (this.io.owns(this.buf)) this.io.write(this.file, this.buf, this.pos);
        else this.io.copy(this.file, chunk);
        this.buf = this.io.buffer();
        this.io.check(this.file);
      } else this.store(chunk);
    } else if (this.chunks) {
      // Hand the filled buffer over whole and start a new one: no copy.
      this.chunks.push(chunk);
      this.buf = this.spare.pop() ?? this.allocate(CHUNK);
    }
    this.bytes += this.pos;
    this.pos = 0;
  }

  /**
   * Writes a string; any Unicode is written as UTF-8. Short ASCII strings (most fields) are
   * copied by a plain loop: Buffer.write's native call costs more than the copy itself.
   */
  str(s: string): void {
    const n = s.length;
    this.ensure(n * 3);
    if (n <= 64) {
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 128) {
          this.pos += buf.write(s, this.pos);
          return;
        }
        buf[p++] = c;
      }
      this.pos = p;
      return;
    }
    this.pos += this.buf.write(s, this.pos);
  }

  /**
   * Writes a CSV field: as is when it holds no delimiter, quote or line break (checked
   * while copying, in one pass), else quoted with inner quotes doubled (RFC 4180).
   */
  csvField(s: string, delimiter: number): void {
    const n = s.length;
    if (n <= 64) {
      this.ensure(n);
      const buf = this.buf;
      let p = this.pos;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 128 || c === delimiter || c === 34 || c === 10 || c === 13) break;
        buf[p++] = c;
      }
      if (i === n) {
        this.pos = p;
        return;
      }
    }
    const d = String.fromCharCode(delimiter);
    this.str(s.includes(d) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s);
  }

  /**
   * Writes already-encoded bytes. Short ones (state names, separators) by a plain loop:
   * TypedArray.prototype.set is a builtin call that costs more than such a copy.
   */
  raw(b: Uint8Array): void {
    const n = b.length;
    this.ensure(n);
    if (n <= 32) {
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) buf[p++] = b[i];
      this.pos = p;
      return;
    }
    this.buf.set(b, this.pos);
    this.pos += n;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.flush();
    this.buf[this.pos++] = b;
  }

  /** An integer 0 <= n <= 2^31 - 1, formatted as `int` does, without its checks (the caller made them). */
  uint(n: number): void {
    this.ensure(10);
    if (n < 10) {
      this.buf[this.pos++] = 48 + n;
      return;
    }
    const digits = countDigits(n);
    write8(this.buf, this.pos + digits, n, digits);
    this.pos += digits;
  }

  /** Integers are formatted by hand, two digits per division: faster than String(n) plus a string write. */
  int(n: number): void {
    if (n < 0 || n > 0x7fffffff || !Number.isInteger(n)) {
      this.str(String(n));
      return;
    }
    this.uint(n);
  }

  /** Hands the file to the file thread, if asked and there is one (at the first bytes to go out). */
  private attach(): void {
    this.attached = true;
    this.io = this.useFileThread ? fileThread() : undefined;
    if (this.io) this.file = this.io.open(this.fd!);
  }

  /** Writes bytes to the file (through the transform, if any) and hashes what is stored. */
  private store(chunk: Uint8Array): void {
    if (!this.attached) this.attach();
    for (const piece of this.transform ? this.transform.push(chunk) : [chunk]) this.put(piece);
  }

  private put(piece: Uint8Array): void {
    this.stored += piece.length;
    if (this.io) {
      this.io.copy(this.file, piece);
      this.io.check(this.file);
      return;
    }
    let off = 0;
    while (off < piece.length) off += writeSync(this.fd!, piece, off, piece.length - off);
    this.hash.update(piece);
  }

  /** Flushes and closes; returns the file's size and sha256. */
  close(): { bytes: number; sha256: string } {
    // Nothing gone out yet: the whole file is in `buf`, written here.
    this.attached = true;
    this.flush();
    let sha256: string | undefined;
    if (this.fd !== undefined) {
      if (this.transform) for (const piece of this.transform.end()) this.put(piece);
      const fd = this.fd;
      this.fd = undefined;
      if (this.io) {
        this.io.release(this.buf);
        try {
          sha256 = this.io.close(this.file);
        } finally {
          closeSync(fd);
        }
      } else closeSync(fd);
    }
    return { bytes: this.transform ? this.stored : this.bytes, sha256: sha256 ?? this.hash.digest('hex') };
  }

  /** Closes the file without caring about its content (a failed run). */
  abandon(): void {
    if (this.fd === undefined) return;
    if (this.io) {
      this.io.release(this.buf);
      this.io.abandon(this.file);
    }
    closeSync(this.fd);
    this.fd = undefined;
  }
}
