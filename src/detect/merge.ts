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
   * Opens a cursor in `into` for each list of users[0..m) that has records, in order, and returns
   * how many: the owner, the list's length, the arena position of its newest record, and its ring
   * block's position and capacity in records. `into` has room for m. Loads only, with no branch
   * on what is loaded (see the note above): an empty list's cursor is written, then overwritten.
   */
  heads(users: ArrayLike<number>, m: number, into: Cursors): number;
}

/** Cursors of a merge, one entry each (see NewestFirstMerge). */
export interface Cursors {
  readonly owner: Int32Array;
  readonly left: Int32Array;
  readonly position: Int32Array;
  readonly blockStart: Int32Array;
  readonly capacity: Int32Array;
}

/** 16-byte records (record.ts) a 64-byte cache line holds. */
const LINE_RECORDS = 4;

export class NewestFirstMerge implements Cursors {
  private data: Float64Array = new Float64Array(0);
  private ints: Int32Array = new Int32Array(0);
  private width = 1;
  private size = 0;
  // Per cursor: the list's owner, entries left (the current one included), the arena position of
  // the current entry, the list's block (to wrap around its ring), and the current entry's key.
  owner = new Int32Array(64);
  left = new Int32Array(64);
  position = new Int32Array(64);
  blockStart = new Int32Array(64);
  capacity = new Int32Array(64);
  private ts = new Float64Array(64);
  private seq = new Float64Array(64);
  /** Cursor numbers, a max-heap on (ts, seq). */
  private heap = new Int32Array(64);
  /** Sink for the prefetching reads, so the compiler cannot drop them. */
  private touched = 0;

  /** Starts a merge over the lists of `users` in `slots` (empty lists are left out). */
  start(slots: PurchaseLists, users: ArrayLike<number>): void {
    const m = users.length;
    if (m > this.owner.length) this.grow(m);
    const n = slots.heads(users, m, this);
    // The newest entry of every list and the one four records older, which is on the cache line
    // before (four 16-byte records share a line): loads only, so their misses overlap. A check
    // takes at most one entry from 71% of the lists, but the rest often need their second line,
    // and then waited for it in the merge, one miss after another; reading it here made whole
    // runs about 4% faster (6 of 7 pairs) than reading only the entry before the newest, which
    // shares its line three times in four. Only then are the keys copied: a store that
    // waits for a missing load holds a place in the store queue, and with three of them a list
    // the queue filled and stopped the loop long before the loads of the later lists were issued
    // (whole runs about 10% slower when this loop stored the keys).
    const { position, blockStart, capacity, heap, ts, seq } = this;
    const data = slots.data;
    const ints = slots.ints;
    const width = slots.width;
    let touched = 0;
    for (let c = 0; c < n; c++) {
      const at = position[c];
      const cap = capacity[c];
      const back = at - (cap < LINE_RECORDS ? cap : LINE_RECORDS) * width;
      const prev = back < blockStart[c] ? back + cap * width : back; // around the ring
      touched += data[at] + data[prev];
    }
    this.touched = touched;
    for (let c = 0; c < n; c++) {
      const at = position[c];
      ts[c] = data[at + TS];
      seq[c] = ints[2 * at + SEQ];
      heap[c] = c;
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
  }
}
