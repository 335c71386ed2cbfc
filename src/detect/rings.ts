/**
 * One fixed-capacity ring of records per user, at a position computed from the user number.
 *
 * The friends' purchase lists (recent.ts) are read on every check, about 55 of them with D = 3,
 * each a cache miss in a large arena. UserSlots finds a block through per-user bookkeeping and
 * moves blocks as they grow; here a user's block sits at `user * capacity` records, so finding
 * a list's newest entry needs only its length and ring head (8 bytes a user, a small array that
 * stays in cache), and nothing is ever copied to grow a list or compacted. The price is memory
 * for full capacity from a user's first record on, which the friends' lists fill anyway: a list
 * holds the newest purchases of all of a user's friends.
 */
import { HEAD_AT, HEAD_BLOCK, HEAD_CAPACITY, HEAD_FIELDS, HEAD_SIZE } from './merge.js';

const SIZE = 0;
const HEAD = 1;

export class FixedRings {
  private arena: Float64Array = new Float64Array(0);
  /** Per user: list length, ring slot of the oldest record. */
  private ring: Int32Array = new Int32Array(2); // one user's worth, so `heads` always reads in bounds
  private users = 0;
  private readonly stride: number;

  constructor(
    readonly width: number,
    readonly limit: number,
  ) {
    this.stride = width * limit;
  }

  /** The typed array holding every record; read it through the offsets. Replaced on growth. */
  get data(): Float64Array {
    return this.arena;
  }

  /** Makes `user` (and every lower number) addressable. */
  reserve(user: number): void {
    if (user < this.users) return;
    const users = Math.max(user + 1, Math.ceil(this.users * 1.5), 1024);
    const arena = new Float64Array(users * this.stride);
    arena.set(this.arena);
    const ring = new Int32Array(users * 2);
    ring.set(this.ring);
    this.arena = arena;
    this.ring = ring;
    this.users = users;
  }

  count(user: number): number {
    return user < this.users ? this.ring[2 * user + SIZE] : 0;
  }

  /** Position in `data` of field 0 of the user's record at list index `index` (0 = oldest). */
  offset(user: number, index: number): number {
    let slot = this.ring[2 * user + HEAD] + index;
    if (slot >= this.limit) slot -= this.limit;
    return user * this.stride + slot * this.width;
  }

  /** See PurchaseLists.heads (merge.ts). */
  heads(users: ArrayLike<number>, m: number, out: Int32Array): void {
    const ring = this.ring;
    const known = this.users;
    const { stride, limit, width } = this;
    for (let i = 0, h = 0; i < m; i++, h += HEAD_FIELDS) {
      const user = users[i];
      // On the user number, not on a loaded value: predicted right (users past the table are rare).
      const listed = user < known;
      const k = listed ? 2 * user : 0;
      const size = listed ? ring[k + SIZE] : 0;
      let slot = ring[k + HEAD] + size - 1;
      // slot - limit when slot >= limit, without a branch: (limit - 1 - slot) >> 31 is -1 then, else 0.
      slot -= limit & ((limit - 1 - slot) >> 31);
      out[h + HEAD_SIZE] = size;
      out[h + HEAD_AT] = user * stride + slot * width;
      out[h + HEAD_BLOCK] = user * stride;
      out[h + HEAD_CAPACITY] = limit;
    }
  }

  /** Opens a record at `index` (shifting later records up); the list must not be full. */
  insertAt(user: number, index: number): void {
    const size = this.ring[2 * user + SIZE];
    const w = this.width;
    const arena = this.arena;
    for (let i = size; i > index; i--) {
      const to = this.offset(user, i);
      const from = this.offset(user, i - 1);
      for (let f = 0; f < w; f++) arena[to + f] = arena[from + f];
    }
    this.ring[2 * user + SIZE] = size + 1;
  }

  /** Drops the oldest record. */
  dropFirst(user: number): void {
    const head = this.ring[2 * user + HEAD] + 1;
    this.ring[2 * user + HEAD] = head === this.limit ? 0 : head;
    this.ring[2 * user + SIZE]--;
  }

  /** Keeps the oldest `length` records and drops the rest. */
  truncate(user: number, length: number): void {
    if (user < this.users) this.ring[2 * user + SIZE] = length;
  }
}
