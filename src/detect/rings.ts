/**
 * One fixed-capacity ring of records per user, at a position computed from the user number.
 *
 * The friends' purchase lists (recent.ts) are read on every check, about 55 of them with D = 3,
 * each a cache miss in a large arena. UserSlots finds a block through per-user bookkeeping and
 * moves blocks as they grow; here a user's block sits at `user * capacity` records, so finding
 * a list's newest entry needs only its length and ring head, packed in 2 bytes a user (200 KB
 * for 100,000 users, which stays in the CPU's second-level cache, where 8 bytes a user did not:
 * that read was a fifth of a check's set-up), and nothing is ever copied to grow a list or
 * compacted. The price is memory for full capacity from a user's first record on, which the
 * friends' lists fill anyway: a list holds the newest purchases of all of a user's friends.
 */
import type { Cursors } from './merge.js';

/** A user's bookkeeping: list length in the low bits, ring slot of the oldest record above. */
const SIZE_BITS = 7;
const SIZE_MASK = (1 << SIZE_BITS) - 1;
/** Largest capacity the packing holds (the length takes 7 bits, the slot 9). */
const MAX_LIMIT = SIZE_MASK;

export class FixedRings {
  private arena: Float64Array = new Float64Array(0);
  /** The arena's memory as 32-bit integers (record.ts reads fields of purchases through it). */
  private arenaInts: Int32Array = new Int32Array(0);
  /** Per user: list length | ring slot of the oldest record << SIZE_BITS. */
  private ring: Uint16Array = new Uint16Array(1); // one user's worth, so `heads` always reads in bounds
  private users = 0;
  private readonly stride: number;

  constructor(
    readonly width: number,
    readonly limit: number,
  ) {
    if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new RangeError(`fixed rings hold 1 to ${MAX_LIMIT} records a user, not ${limit}`);
    this.stride = width * limit;
  }

  /** The typed array holding every record; read it through the offsets. Replaced on growth. */
  get data(): Float64Array {
    return this.arena;
  }

  /** The same memory as `data`, as 32-bit integers; replaced with it. */
  get ints(): Int32Array {
    return this.arenaInts;
  }

  /** Makes `user` (and every lower number) addressable. */
  reserve(user: number): void {
    if (user < this.users) return;
    const users = Math.max(user + 1, Math.ceil(this.users * 1.5), 1024);
    const arena = new Float64Array(users * this.stride);
    arena.set(this.arena);
    const ring = new Uint16Array(users);
    ring.set(this.ring);
    this.arena = arena;
    this.arenaInts = new Int32Array(arena.buffer);
    this.ring = ring;
    this.users = users;
  }

  count(user: number): number {
    return user < this.users ? this.ring[user] & SIZE_MASK : 0;
  }

  /** Position in `data` of field 0 of the user's record at list index `index` (0 = oldest). */
  offset(user: number, index: number): number {
    let slot = (this.ring[user] >> SIZE_BITS) + index;
    if (slot >= this.limit) slot -= this.limit;
    return user * this.stride + slot * this.width;
  }

  /** See PurchaseLists.heads (merge.ts). */
  heads(users: ArrayLike<number>, m: number, into: Cursors): number {
    const ring = this.ring;
    const known = this.users;
    const { stride, limit, width } = this;
    const { owner, left, position, blockStart, capacity } = into;
    let n = 0;
    for (let i = 0; i < m; i++) {
      const user = users[i];
      // On the user number, not on a loaded value: predicted right (users past the table are rare).
      const listed = user < known;
      const bits = ring[listed ? user : 0];
      const size = listed ? bits & SIZE_MASK : 0;
      let slot = (bits >> SIZE_BITS) + size - 1;
      // slot - limit when slot >= limit, without a branch: (limit - 1 - slot) >> 31 is -1 then, else 0.
      slot -= limit & ((limit - 1 - slot) >> 31);
      owner[n] = user;
      left[n] = size;
      position[n] = user * stride + slot * width;
      blockStart[n] = user * stride;
      capacity[n] = limit;
      n += -size >>> 31; // 1 when the list has records: the next list takes this cursor otherwise
    }
    return n;
  }

  /** Opens a record at `index` (shifting later records up); the list must not be full. */
  insertAt(user: number, index: number): void {
    const size = this.ring[user] & SIZE_MASK;
    const w = this.width;
    const arena = this.arena;
    for (let i = size; i > index; i--) {
      const to = this.offset(user, i);
      const from = this.offset(user, i - 1);
      for (let f = 0; f < w; f++) arena[to + f] = arena[from + f];
    }
    this.ring[user]++; // the length is in the low bits, and below the limit
  }

  /** Drops the oldest record. */
  dropFirst(user: number): void {
    const bits = this.ring[user];
    const head = (bits >> SIZE_BITS) + 1;
    this.ring[user] = ((head === this.limit ? 0 : head) << SIZE_BITS) | ((bits & SIZE_MASK) - 1);
  }

  /** Keeps the oldest `length` records and drops the rest. */
  truncate(user: number, length: number): void {
    if (user < this.users) this.ring[user] = (this.ring[user] & ~SIZE_MASK) | length;
  }
}
