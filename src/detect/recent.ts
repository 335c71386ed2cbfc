/**
 * For every user v, the newest T purchases made by v's friends, kept up to date as purchases and
 * friendships arrive.
 *
 * A check used to look at every member of the buyer's network (about 310 with D = 3 and degree
 * 6). With these lists it reads only the lists of the users within D - 1 hops (about 55 on the benchmark): the
 * D-hop network is the union of their friends (see baseline.ts). The work moves to purchase
 * time, where it is small: a purchase is filed into the list of each of the buyer's friends.
 *
 * Invariant: `list(v)` holds exactly the newest min(T, n) purchases of the n purchases kept in
 * the own histories (history.ts) of v's current friends, oldest first. A list holding fewer than
 * T therefore holds all of them; a full one may have dropped older ones.
 */
import { rankOf, type PurchaseHistory } from './history.js';
import type { FriendGraph } from './graph.js';
import { NewestFirstMerge } from './merge.js';
import { centsField, copyRecord, isLater, RECORD, SEQ, TS, writeRecord } from './record.js';
import { FixedRings } from './rings.js';
import { UserSlots } from './slots.js';

/** T up to which every user gets a fixed block of T records (64 x 16 bytes = 1 KiB a user). */
const FIXED_BLOCKS_UP_TO = 64;

export class FriendPurchases {
  readonly slots: FixedRings | UserSlots<Float64Array>;
  /** Lists rebuilt after an unfriend removed entries from a full list. */
  rebuilds = 0;
  /**
   * False until the first check. Nothing reads the lists before then, and building them once
   * from the own histories at the end of the batch log costs far less than keeping them up to
   * date through it (every purchase filed with every friend, every befriend merging lists).
   */
  built = false;
  // Scratch for rewriting one list, newest first; grown as needed (up to T lists' worth).
  private scratch: Float64Array = new Float64Array(0);
  private readonly merge = new NewestFirstMerge();

  constructor(
    readonly limit: number,
    private readonly graph: FriendGraph,
    private readonly history: PurchaseHistory,
  ) {
    // Fixed blocks of T records per user are fastest, but cost T records for every user up
    // front; beyond a small T, blocks that grow with the list keep memory to what is used.
    this.slots = limit <= FIXED_BLOCKS_UP_TO ? new FixedRings(RECORD, limit) : new UserSlots((n) => new Float64Array(n), RECORD, limit);
  }

  /** The scratch, with room for `records` records. */
  private room(records: number): Float64Array {
    if (this.scratch.length < records * RECORD) this.scratch = new Float64Array(Math.max(records, (2 * this.scratch.length) / RECORD) * RECORD);
    return this.scratch;
  }

  /** Builds every list from the own histories; from then on every change keeps them up to date. */
  buildAll(users: number): void {
    if (users > 0) this.slots.reserve(users - 1);
    for (let user = 0; user < users; user++) this.fill(user);
    this.built = true;
  }

  /** Files a purchase just kept in `buyer`'s own history into the list of each of their friends. */
  addPurchase(buyer: number, ts: number, seq: number, cents: number): void {
    if (!this.built) return;
    const field = centsField(cents);
    const degree = this.graph.degree(buyer);
    for (let i = 0; i < degree; i++) this.insert(this.graph.friend(buyer, i), ts, seq, field);
  }

  /** After a befriend: each side's list takes in the other's own purchases. */
  befriended(a: number, b: number): void {
    if (!this.built) return;
    this.takeIn(a, b);
    this.takeIn(b, a);
  }

  /** After an unfriend: each side's list loses the other's purchases. */
  unfriended(a: number, b: number): void {
    if (!this.built) return;
    this.dropBuyer(a, b);
    this.dropBuyer(b, a);
  }

  /** Inserts into `user`'s list in (timestamp, input order), dropping the oldest when full. */
  private insert(user: number, ts: number, seq: number, cents: number): void {
    const s = this.slots;
    s.reserve(user);
    const count = s.count(user);
    let at = count;
    // Usually the newest, so it goes last; an out-of-order timestamp moves down.
    while (at > 0) {
      const o = s.offset(user, at - 1);
      if (!isLater(s.data[o + TS], s.ints[2 * o + SEQ], ts, seq)) break;
      at--;
    }
    if (count === this.limit) {
      if (at === 0) return; // older than all T kept, so not among the newest T
      s.dropFirst(user);
      at--;
    }
    s.insertAt(user, at); // may move the arena: data and ints are read after it
    writeRecord(s.data, s.ints, s.offset(user, at), ts, seq, cents);
  }

  /** Merges `friend`'s own purchases into `user`'s list, keeping the newest `limit`. */
  private takeIn(user: number, friend: number): void {
    const own = this.history.slots;
    let j = own.count(friend) - 1;
    if (j < 0) return;
    const s = this.slots;
    s.reserve(user);
    let i = s.count(user) - 1;
    const out = this.room(Math.min(this.limit, i + 1 + j + 1));
    let n = 0;
    // Both lists are oldest first: walk back from their ends, newest first, into the scratch.
    for (; n < this.limit && (i >= 0 || j >= 0); n++) {
      const o = i >= 0 ? s.offset(user, i) : -1;
      const f = j >= 0 ? own.offset(friend, j) : -1;
      if (f < 0 || (o >= 0 && isLater(s.data[o + TS], s.ints[2 * o + SEQ], own.data[f + TS], own.ints[2 * f + SEQ]))) {
        copyRecord(s.data, o, out, n * RECORD);
        i--;
      } else {
        copyRecord(own.data, f, out, n * RECORD);
        j--;
      }
    }
    this.rewrite(user, n);
  }

  /**
   * Removes `buyer`'s purchases from `user`'s list. Entries do not name their buyer (record.ts),
   * but each of the list's is in its buyer's own history, so `buyer`'s are the entries that
   * history holds: both are in (timestamp, input order), and one walk through both finds them.
   * A full list may have dropped older purchases of other friends that now belong in it, so it is
   * rebuilt from the friends' own histories.
   */
  private dropBuyer(user: number, buyer: number): void {
    const s = this.slots;
    const own = this.history.slots;
    const count = s.count(user);
    const theirs = own.count(buyer);
    let j = 0;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const o = s.offset(user, i);
      const ts = s.data[o + TS];
      const seq = s.ints[2 * o + SEQ];
      while (j < theirs && isLater(ts, seq, own.data[own.offset(buyer, j) + TS], own.ints[2 * own.offset(buyer, j) + SEQ])) j++;
      if (j < theirs && own.ints[2 * own.offset(buyer, j) + SEQ] === seq) {
        j++;
        continue;
      }
      if (kept !== i) copyRecord(s.data, o, s.data, s.offset(user, kept));
      kept++;
    }
    if (kept === count) return;
    if (count === this.limit) {
      this.rebuilds++;
      this.fill(user);
    } else {
      s.truncate(user, kept);
    }
  }

  /** (Re)computes `user`'s list from the own histories of their current friends. */
  private fill(user: number): void {
    const own = this.history.slots;
    const merge = this.merge;
    const friends = this.graph.friendsOf(user);
    merge.start(own, friends);
    let records = 0;
    for (let k = 0; k < friends.length; k++) records += own.count(friends[k]);
    const out = this.room(Math.min(this.limit, records));
    let n = 0;
    for (; n < this.limit; n++) {
      const at = merge.peek();
      if (at < 0) break;
      copyRecord(own.data, at, out, n * RECORD);
      merge.advance();
    }
    this.rewrite(user, n);
  }

  /** Replaces `user`'s list with the first `n` scratch entries (newest first). */
  private rewrite(user: number, n: number): void {
    const s = this.slots;
    const out = this.scratch;
    if (n > 0) s.reserve(user);
    s.truncate(user, 0);
    for (let k = 0; k < n; k++) {
      s.insertAt(user, k);
      copyRecord(out, (n - 1 - k) * RECORD, s.data, s.offset(user, k));
    }
  }

  /** After PurchaseHistory.renumber: every entry takes its purchase's new sequence number. */
  renumber(old: Int32Array, users: number): void {
    const s = this.slots;
    for (let u = 0; u < users; u++) {
      for (let i = 0; i < s.count(u); i++) {
        const o = 2 * s.offset(u, i) + SEQ;
        s.ints[o] = rankOf(old, s.ints[o]);
      }
    }
  }
}
