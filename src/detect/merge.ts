/**
 * A newest-first merge over several users' purchase lists in one arena.
 *
 * Lists are stored oldest first (see UserSlots), so each list gets a cursor that walks back from
 * its end, and a max-heap of cursors keyed by (timestamp, input order) yields the newest entry
 * not yet taken. Everything is reused between merges: no allocation.
 *
 * Setting up is what costs: the lists are scattered over a large arena, so the first read of
 * each is a cache miss, twice (its bookkeeping, then its newest entry). `start` therefore reads
 * all the bookkeeping in one loop and all the newest entries in a second: reads that do not
 * depend on each other, whose misses the CPU overlaps instead of paying them one after another.
 */
import { SEQ, TS } from './history.js';

/** Per-user lists of records, oldest first, in rings inside one arena (UserSlots, FixedRings). */
export interface PurchaseLists {
  readonly data: Float64Array;
  readonly width: number;
  count(user: number): number;
  /** Arena position of the user's newest record, or -1 when none. */
  lastOffset(user: number): number;
  /** Arena position of the user's ring block, and its capacity in records. */
  blockStart(user: number): number;
  capacity(user: number): number;
}

export class NewestFirstMerge {
  private data: Float64Array = new Float64Array(0);
  private width = 1;
  private size = 0;
  // Per cursor: the list's owner, entries left (the current one included), the arena position of
  // the current entry, the list's block (to wrap around its ring), and the current entry's key.
  private owner = new Int32Array(64);
  private left = new Int32Array(64);
  private position = new Int32Array(64);
  private blockStart = new Int32Array(64);
  private capacity = new Int32Array(64);
  private ts = new Float64Array(64);
  private seq = new Float64Array(64);
  /** Cursor numbers, a max-heap on (ts, seq). */
  private heap = new Int32Array(64);
  /** Sink for the prefetching reads, so the compiler cannot drop them. */
  private touched = 0;

  /** Starts a merge over the lists of `users` in `slots` (empty lists are left out). */
  start(slots: PurchaseLists, users: ArrayLike<number>): void {
    if (users.length > this.owner.length) this.grow(users.length);
    let n = 0;
    for (let i = 0; i < users.length; i++) {
      const user = users[i];
      const at = slots.lastOffset(user);
      if (at < 0) continue;
      this.owner[n] = user;
      this.position[n] = at;
      this.left[n] = slots.count(user);
      n++;
    }
    const data = slots.data;
    const width = slots.width;
    let touched = 0;
    for (let c = 0; c < n; c++) {
      const at = this.position[c];
      this.ts[c] = data[at + TS];
      this.seq[c] = data[at + SEQ];
      // The entry before is often on the previous cache line: fetch it now, alongside the rest.
      if (at >= width) touched += data[at - width + TS];
    }
    this.touched = touched;
    for (let c = 0; c < n; c++) {
      const user = this.owner[c];
      this.blockStart[c] = slots.blockStart(user);
      this.capacity[c] = slots.capacity(user);
      this.heap[c] = c;
    }
    this.data = data;
    this.width = slots.width;
    this.size = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Arena position of the newest entry not yet taken, or -1 when every list is used up. */
  peek(): number {
    return this.size === 0 ? -1 : this.position[this.heap[0]];
  }

  /** Owner of the list that `peek` reads from. */
  peekOwner(): number {
    return this.owner[this.heap[0]];
  }

  /** Takes the entry `peek` returned. Returns true when that used up its list. */
  advance(): boolean {
    const c = this.heap[0];
    if (--this.left[c] === 0) {
      this.heap[0] = this.heap[--this.size];
      if (this.size > 1) this.siftDown(0);
      return true;
    }
    let at = this.position[c] - this.width;
    if (at < this.blockStart[c]) at += this.capacity[c] * this.width; // wrap around the ring
    this.position[c] = at;
    this.ts[c] = this.data[at + TS];
    this.seq[c] = this.data[at + SEQ];
    this.siftDown(0);
    return false;
  }

  private siftDown(from: number): void {
    const heap = this.heap;
    const ts = this.ts;
    const seq = this.seq;
    const size = this.size;
    const c = heap[from];
    const cTs = ts[c];
    const cSeq = seq[c];
    let i = from;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      let k = heap[child];
      if (child + 1 < size) {
        const r = heap[child + 1];
        if (ts[r] > ts[k] || (ts[r] === ts[k] && seq[r] > seq[k])) {
          child++;
          k = r;
        }
      }
      if (!(ts[k] > cTs || (ts[k] === cTs && seq[k] > cSeq))) break;
      heap[i] = k;
      i = child;
    }
    heap[i] = c;
  }

  private grow(need: number): void {
    const n = Math.max(need, this.owner.length * 2);
    this.owner = new Int32Array(n);
    this.left = new Int32Array(n);
    this.position = new Int32Array(n);
    this.blockStart = new Int32Array(n);
    this.capacity = new Int32Array(n);
    this.ts = new Float64Array(n);
    this.seq = new Float64Array(n);
    this.heap = new Int32Array(n);
  }
}
