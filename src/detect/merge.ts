/**
 * A newest-first merge over several users' purchase lists in one arena.
 *
 * Lists are stored oldest first (see UserSlots), so each list gets a cursor that walks back from
 * its end, and a max-heap of cursors keyed by (timestamp, input order) yields the newest entry
 * not yet taken. Everything is reused between merges: no allocation.
 *
 * Setting up is what costs: the lists are scattered over a large arena, so the first read of
 * each is a cache miss, twice (its bookkeeping, then its newest entries). `start` therefore reads
 * all the bookkeeping in one loop (`heads`) and all the newest entries in another: reads that do
 * not depend on each other, whose misses the CPU overlaps instead of paying them one after
 * another. Both loops only load: no branch depends on a loaded value, since a branch that goes
 * the unexpected way once its load arrives throws away the loads issued after it, and with them
 * the overlap (an empty list's test sat in the bookkeeping loop; moving it out made a D = 3
 * check about 10% faster).
 */
import { SEQ, TS } from './record.js';

/** Per-user lists of purchase records (record.ts), oldest first, in rings inside one arena (UserSlots, FixedRings). */
export interface PurchaseLists {
  readonly data: Float64Array;
  /** The same memory as 32-bit integers: a record's sequence number and cents. */
  readonly ints: Int32Array;
  readonly width: number;
  count(user: number): number;
  /**
   * For users[0..m), four numbers each into `out`: list length, arena position of the newest
   * record (meaningless when the length is 0), arena position of the ring block and its capacity
   * in records. Loads only, with no branch on what is loaded (see the note above).
   */
  heads(users: ArrayLike<number>, m: number, out: Int32Array): void;
}

/** Fields of `heads`' output, per user. */
export const HEAD_SIZE = 0;
export const HEAD_AT = 1;
export const HEAD_BLOCK = 2;
export const HEAD_CAPACITY = 3;
export const HEAD_FIELDS = 4;

export class NewestFirstMerge {
  private data: Float64Array = new Float64Array(0);
  private ints: Int32Array = new Int32Array(0);
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
  /** What `heads` reported for the users of the current merge. */
  private heads = new Int32Array(64 * HEAD_FIELDS);
  /** Sink for the prefetching reads, so the compiler cannot drop them. */
  private touched = 0;

  /** Starts a merge over the lists of `users` in `slots` (empty lists are left out). */
  start(slots: PurchaseLists, users: ArrayLike<number>): void {
    const m = users.length;
    if (m > this.owner.length) this.grow(m);
    const heads = this.heads;
    slots.heads(users, m, heads);
    // The cursors of the lists that have entries: branches here test what is already in cache.
    const { owner, position, left, blockStart, capacity, heap } = this;
    let n = 0;
    for (let i = 0, h = 0; i < m; i++, h += HEAD_FIELDS) {
      const size = heads[h + HEAD_SIZE];
      if (size === 0) continue;
      owner[n] = users[i];
      position[n] = heads[h + HEAD_AT];
      left[n] = size;
      blockStart[n] = heads[h + HEAD_BLOCK];
      capacity[n] = heads[h + HEAD_CAPACITY];
      heap[n] = n;
      n++;
    }
    // The newest entry of every list and the one before (on the previous cache line one time in
    // four): loads only, so their misses overlap.
    const data = slots.data;
    const ints = slots.ints;
    const width = slots.width;
    let touched = 0;
    for (let c = 0; c < n; c++) {
      const at = position[c];
      const back = at - width;
      const prev = back < blockStart[c] ? back + capacity[c] * width : back;
      touched += data[at] + data[prev];
    }
    this.touched = touched;
    const { ts, seq } = this;
    for (let c = 0; c < n; c++) {
      const at = position[c];
      ts[c] = data[at + TS];
      seq[c] = ints[2 * at + SEQ];
    }
    this.data = data;
    this.ints = ints;
    this.width = width;
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
    this.seq[c] = this.ints[2 * at + SEQ];
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
    this.heads = new Int32Array(n * HEAD_FIELDS);
  }
}
