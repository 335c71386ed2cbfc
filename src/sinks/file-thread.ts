/**
 * A thread that writes the output files and computes their sha256, so the thread making rows
 * does neither: in a card-fraud-city run those two were about 7% of the generating thread's
 * time (0.45 s of 6.4 s), and on a machine with a second core they now overlap with it.
 *
 * The bytes travel in buffers of shared memory made once and known to both threads by number
 * (numbered-buffers.ts). The generating thread fills a buffer,
 * posts its number, and takes a free one; the file thread writes and hashes the bytes in
 * order, and posts the number back. The generating thread never turns its event loop while
 * it runs, so it reads those replies with receiveMessageOnPort and, when it must wait (every
 * buffer queued, or a file closing), sleeps on a counter the file thread bumps after each
 * reply (Atomics.wait).
 *
 * A failed write (a full disk) is kept by the file thread and thrown by the writer at its
 * next flush or at close, as the error writeSync threw there before: the run fails the same
 * way, one buffer later. Hand-written because it is the hot path of every output.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { FileReply, FileRequest, WriteError } from './file-thread-messages.js';
import { NumberedBuffers } from './numbered-buffers.js';

const WORKER_URL = new URL('./file-thread-worker.js', import.meta.url);
/**
 * Size of each buffer. With two queued, the few buffers a run cycles through stay in cache:
 * 1 MiB buffers with eight queued (ten in turn) gained half as much on card-fraud-city.
 */
export const FILE_CHUNK = 1 << 18;
/** Buffers queued for the file thread before a writer waits: writing one takes far less than filling one. */
const QUEUED = 2;

let shared: FileThread | null | undefined;

/**
 * The process's file thread, started on first use; undefined where it cannot run (the
 * worker's script is not built, as when tests run from the sources) or would not help (one
 * core: nothing to overlap with), or when SCENARIO_FILE_THREAD=0 asks writers to write in
 * their own thread.
 */
export function fileThread(): FileThread | undefined {
  if (shared === undefined) {
    const wanted = process.env.SCENARIO_FILE_THREAD !== '0' && availableParallelism() > 1;
    shared = (wanted && existsSync(fileURLToPath(WORKER_URL)) ? FileThread.start() : undefined) ?? null;
  }
  return shared ?? undefined;
}

/** How long a starting file thread may take to say it is ready before writers do without it. */
const START_MS = 10_000;

export class FileThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** [0]: replies posted by the file thread, bumped after each; [1]: 1 once it listens. */
  private readonly replies: Int32Array;
  private readonly buffers = new NumberedBuffers();
  private readonly free: number[] = [];
  /** Files open here: each writer holds a buffer to fill, so the pool may grow by that many. */
  private held = 0;
  private nextFile = 0;
  private readonly done = new Map<number, string>();
  private readonly failures = new Map<number, WriteError>();
  /** Bytes handed over so far (all files): tells tests the thread did the writing. */
  handedOver = 0;

  /**
   * Starts the thread and waits until it listens; undefined if it does not within START_MS
   * (say its script fails to load). Past that point it catches every error and replies, so a
   * writer waiting on it always wakes.
   */
  static start(): FileThread | undefined {
    const thread = new FileThread();
    if (Atomics.wait(thread.replies, 1, 0, START_MS) === 'timed-out') {
      void thread.worker.terminate();
      return undefined;
    }
    return thread;
  }

  private constructor() {
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.replies = new Int32Array(new SharedArrayBuffer(8));
    this.worker = new Worker(WORKER_URL, { workerData: { port: channel.port2, replies: this.replies }, transferList: [channel.port2] });
    // Neither keeps the process alive: every file is closed (and waited for) before a run ends.
    this.worker.unref();
    this.port.unref();
  }

  /** Starts writing to the open file descriptor `fd` (the caller closes it once `close` or `abandon` returns); returns the file's number. */
  open(fd: number): number {
    const file = this.nextFile++;
    this.held++;
    this.post({ type: 'open', file, fd });
    return file;
  }

  /** A buffer of FILE_CHUNK bytes to fill, waiting for one when QUEUED are with the file thread. */
  buffer(): Buffer {
    this.drain();
    while (this.free.length === 0 && this.buffers.count >= QUEUED + this.held) this.waitForReply();
    const n = this.free.pop();
    if (n !== undefined) return this.buffers.byId(n);
    const buffer = this.buffers.allocate(FILE_CHUNK);
    for (const [id, memory] of this.buffers.takeFresh()) this.post({ type: 'buffer', n: id, memory });
    return buffer;
  }

  /** True when `buf` is one of this thread's buffers (it can be handed over without a copy). */
  owns(buf: Buffer): boolean {
    return this.buffers.idOf(buf) !== undefined;
  }

  /** Hands over the first `length` bytes of `buf` (one of this thread's buffers) for `file`; the writer must not touch it again. */
  write(file: number, buf: Buffer, length: number): void {
    this.handedOver += length;
    this.post({ type: 'write', file, n: this.buffers.idOf(buf)!, length });
  }

  /** Copies `bytes` into buffers and hands them over for `file`. */
  copy(file: number, bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; at += FILE_CHUNK) {
      const piece = bytes.subarray(at, at + FILE_CHUNK);
      const buf = this.buffer();
      buf.set(piece);
      this.write(file, buf, piece.length);
    }
  }

  /** Takes back a buffer a writer held without handing it over (its file is done). */
  release(buf: Buffer): void {
    const n = this.buffers.idOf(buf);
    if (n !== undefined) this.free.push(n);
  }

  /** Throws the error a write to `file` met, if any (as writeSync threw it). */
  check(file: number): void {
    this.drain();
    const failure = this.failures.get(file);
    if (failure) throw asError(failure);
  }

  /** Waits until every byte of `file` is written and returns its sha256; throws a write's error. */
  close(file: number): string {
    this.post({ type: 'close', file });
    while (!this.done.has(file) && !this.failures.has(file)) this.waitForReply();
    const sha256 = this.done.get(file);
    this.done.delete(file);
    this.check(file);
    return sha256!;
  }

  /** Done with `file` without its sha256 (a failed run): waits until the file thread has finished what was queued for it. */
  abandon(file: number): void {
    this.post({ type: 'abandon', file });
    while (!this.done.has(file)) this.waitForReply();
    this.done.delete(file);
    this.failures.delete(file);
  }

  private post(request: FileRequest): void {
    this.port.postMessage(request);
  }

  private drain(): void {
    for (let r = receiveMessageOnPort(this.port); r; r = receiveMessageOnPort(this.port)) this.handle(r.message as FileReply);
  }

  /**
   * Sleeps until the file thread replies. The counter is read before looking for a reply: a
   * reply posted after that bumps it, so the wait cannot miss it.
   */
  private waitForReply(): void {
    const seen = Atomics.load(this.replies, 0);
    const r = receiveMessageOnPort(this.port);
    if (r) {
      this.handle(r.message as FileReply);
      return;
    }
    Atomics.wait(this.replies, 0, seen);
    this.drain();
  }

  private handle(reply: FileReply): void {
    if (reply.type === 'free') {
      this.free.push(reply.n);
    } else if (reply.type === 'closed') {
      this.held--;
      this.done.set(reply.file, reply.sha256);
      if (reply.error) this.failures.set(reply.file, reply.error);
    } else {
      this.failures.set(reply.file, reply.error);
    }
  }
}

/** The error as writeSync threw it: its message, code, errno, syscall and path. */
function asError(e: WriteError): Error {
  return Object.assign(new Error(e.message), e.code === undefined ? {} : { code: e.code }, e.errno === undefined ? {} : { errno: e.errno }, e.syscall === undefined ? {} : { syscall: e.syscall });
}
