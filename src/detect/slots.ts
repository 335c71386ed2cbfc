/**
 * Per-user lists packed into one typed array.
 *
 * Millions of small arrays (one per user's friends or purchases) cost an object header and a
 * pointer chase each, and a network check reads hundreds of them: with a shared arena a user's
 * list is one read of a dense index plus one contiguous block. Each block is a ring (so dropping
 * the oldest purchase is O(1)) whose capacity doubles up to `maxItems`; an outgrown block is left
 * behind as waste and the arena is compacted when waste passes half of it.
 */

import type { Cursors } from './merge.js';

type NumberArray = Float64Array | Int32Array;

/** Layout of a user's entry in `meta`. */
const META = 4;
const START = 0;
const CAP = 1;
const HEAD = 2;
const SIZE = 3;

/** Lists of fixed-width records, one list per dense user number. */
export class UserSlots<A extends NumberArray> {
  private arena: A;
  /** The arena's memory as 32-bit integers (record.ts reads fields of purchases through it). */
  private arenaInts: Int32Array;
  private used = 0; // records, including waste
  private waste = 0;
  /**
   * Per user, side by side so one cache line serves a lookup: block start (in records), block
   * capacity, ring head, list length.
   */
  private meta: Int32Array = new Int32Array(META); // one entry, so `heads` always reads in bounds
  private users = 0;

  constructor(
    private readonly make: (length: number) => A,
    readonly width: number,
    readonly maxItems: number,
  ) {
    this.arena = make(1024 * width);
    this.arenaInts = intsOf(this.arena);
  }

  /** Makes `user` (and every lower number) addressable. */
  reserve(user: number): void {
    if (user < this.users) return;
    this.users = Math.max(user + 1, this.users * 2, 1024);
    const meta = new Int32Array(this.users * META);
    meta.set(this.meta);
    this.meta = meta;
  }

  /** The typed array holding every record; read it through `offset`. Replaced on growth. */
  get data(): A {
    return this.arena;
  }

  /** The same memory as `data`, as 32-bit integers; replaced with it. */
  get ints(): Int32Array {
    return this.arenaInts;
  }

  count(user: number): number {
    return user < this.users ? this.meta[user * META + SIZE] : 0;
  }

  /** Position in `data` of field 0 of the user's record at list index `index`. */
  offset(user: number, index: number): number {
    const m = user * META;
    let slot = this.meta[m + HEAD] + index;
    if (slot >= this.meta[m + CAP]) slot -= this.meta[m + CAP];
    return (this.meta[m + START] + slot) * this.width;
  }

  /**
   * For users[from..to), writes into `out` (from index 0) the position of each list's first
   * record and its length, side by side; a user without a list gets (0, 0). The bookkeeping of
   * users met at random is a cache miss each: this loop only loads and stores, with no branch
   * that depends on what it loads, so the CPU keeps many of those misses in flight at once (a
   * branch on a loaded value that goes the unexpected way throws away the loads issued after it).
   * For lists that do not wrap, such as friend lists.
   */
  spans(users: ArrayLike<number>, from: number, to: number, out: Int32Array): void {
    const meta = this.meta;
    const known = this.users;
    const w = this.width;
    for (let j = from, k = 0; j < to; j++, k += 2) {
      const user = users[j];
      // Users past the table (no list yet) are rare, so this test is predicted right: it is
      // on the user number, not on a loaded value.
      const listed = user < known;
      const m = listed ? user * META : 0;
      out[k] = (meta[m + START] + meta[m + HEAD]) * w;
      out[k + 1] = listed ? meta[m + SIZE] : 0;
    }
  }

  /** See PurchaseLists.heads (merge.ts). */
  heads(users: ArrayLike<number>, m: number, into: Cursors): number {
    const meta = this.meta;
    const known = this.users;
    const w = this.width;
    const { owner, left, position, blockStart, capacity } = into;
    let n = 0;
    for (let i = 0; i < m; i++) {
      const user = users[i];
      const listed = user < known;
      const k = listed ? user * META : 0;
      const size = listed ? meta[k + SIZE] : 0;
      const cap = meta[k + CAP];
      let slot = meta[k + HEAD] + size - 1;
      // slot - cap when slot >= cap, without a branch (as in FixedRings.heads).
      slot -= cap & ((cap - 1 - slot) >> 31);
      owner[n] = user;
      left[n] = size;
      position[n] = (meta[k + START] + slot) * w;
      blockStart[n] = meta[k + START] * w;
      capacity[n] = cap;
      n += -size >>> 31; // 1 when the list has records: the next list takes this cursor otherwise
    }
    return n;
  }

  get(user: number, index: number, field: number): number {
    return this.arena[this.offset(user, index) + field];
  }

  set(user: number, index: number, field: number, value: number): void {
    this.arena[this.offset(user, index) + field] = value;
  }

  /** Opens a record at `index` (shifting later records up); the caller fills its fields. */
  insertAt(user: number, index: number): void {
    const m = user * META;
    if (this.meta[m + SIZE] === this.meta[m + CAP]) this.growBlock(user);
    const w = this.width;
    for (let i = this.meta[m + SIZE]; i > index; i--) {
      const to = this.offset(user, i);
      const from = this.offset(user, i - 1);
      for (let f = 0; f < w; f++) this.arena[to + f] = this.arena[from + f];
    }
    this.meta[m + SIZE]++;
  }

  /** Drops the record at index 0. */
  dropFirst(user: number): void {
    const m = user * META;
    this.meta[m + HEAD] = this.meta[m + HEAD] + 1 === this.meta[m + CAP] ? 0 : this.meta[m + HEAD] + 1;
    this.meta[m + SIZE]--;
  }

  /** Keeps the first `length` records and drops the rest. */
  truncate(user: number, length: number): void {
    if (user < this.users) this.meta[user * META + SIZE] = length;
  }

  /** Drops the record at `index` by moving the last record into its place (order not kept). */
  swapRemove(user: number, index: number): void {
    const last = this.meta[user * META + SIZE] - 1;
    const to = this.offset(user, index);
    const from = this.offset(user, last);
    for (let f = 0; f < this.width; f++) this.arena[to + f] = this.arena[from + f];
    this.meta[user * META + SIZE] = last;
  }

  private growBlock(user: number): void {
    const m = user * META;
    const oldCap = this.meta[m + CAP];
    const newCap = Math.min(Math.max(oldCap * 2, 2), this.maxItems);
    if (newCap <= oldCap) throw new RangeError(`list of user ${user} is full (${this.maxItems} records)`);
    if (this.waste > 1024 && this.waste * 2 > this.used) this.compact(newCap);
    const at = this.allocate(newCap);
    this.copyBlock(this.arena, user, at);
    this.waste += oldCap;
    this.meta[m + START] = at;
    this.meta[m + CAP] = newCap;
    this.meta[m + HEAD] = 0;
  }

  /** Reserves `records` records at the end of the arena, growing it when needed. */
  private allocate(records: number): number {
    const need = (this.used + records) * this.width;
    if (need > this.arena.length) {
      const bigger = this.make(Math.max(need, this.arena.length * 2)) as A;
      bigger.set(this.arena.subarray(0, this.used * this.width) as never);
      this.arena = bigger;
      this.arenaInts = intsOf(bigger);
    }
    const at = this.used;
    this.used += records;
    return at;
  }

  /** Copies the user's list, in order, to record position `at` of the current arena. */
  private copyBlock(source: A, user: number, at: number): void {
    const w = this.width;
    const m = user * META;
    for (let i = 0; i < this.meta[m + SIZE]; i++) {
      let slot = this.meta[m + HEAD] + i;
      if (slot >= this.meta[m + CAP]) slot -= this.meta[m + CAP];
      const from = (this.meta[m + START] + slot) * w;
      for (let f = 0; f < w; f++) this.arena[(at + i) * w + f] = source[from + f];
    }
  }

  /** Rewrites every live block contiguously; `extra` records of headroom are kept free. */
  private compact(extra: number): void {
    const old = this.arena;
    const live = this.used - this.waste;
    this.arena = this.make(Math.max((live + extra) * 2, 1024) * this.width);
    this.arenaInts = intsOf(this.arena);
    this.used = 0;
    this.waste = 0;
    for (let u = 0; u < this.users; u++) {
      const m = u * META;
      if (this.meta[m + CAP] === 0) continue;
      const at = this.allocate(this.meta[m + CAP]);
      this.copyBlock(old, u, at);
      this.meta[m + START] = at;
      this.meta[m + HEAD] = 0;
    }
  }
}

function intsOf(array: NumberArray): Int32Array {
  return array instanceof Int32Array ? array : new Int32Array(array.buffer, array.byteOffset, array.byteLength / 4);
}
