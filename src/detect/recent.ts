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
import { CENTS, isLater, SEQ, TS, type PurchaseHistory } from './history.js';
import type { FriendGraph } from './graph.js';
import { NewestFirstMerge } from './merge.js';
import { FixedRings } from './rings.js';
import { UserSlots } from './slots.js';

/** Field of a list entry naming the buyer, after the fields of history.ts. */
export const BUYER = 3;
const WIDTH = 4;
/** T up to which every user gets a fixed block of T records (64 x 32 bytes = 2 KiB a user). */
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
    this.slots = limit <= FIXED_BLOCKS_UP_TO ? new FixedRings(WIDTH, limit) : new UserSlots((n) => new Float64Array(n), WIDTH, limit);
  }

  /** The scratch, with room for `records` records. */
  private room(records: number): Float64Array {
    if (this.scratch.length < records * WIDTH) this.scratch = new Float64Array(Math.max(records, 2 * this.scratch.length / WIDTH) * WIDTH);
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
    const degree = this.graph.degree(buyer);
    for (let i = 0; i < degree; i++) this.insert(this.graph.friend(buyer, i), ts, seq, cents, buyer);
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
  private insert(user: number, ts: number, seq: number, cents: number, buyer: number): void {
    const s = this.slots;
    s.reserve(user);
    const count = s.count(user);
    let at = count;
    // Usually the newest, so it goes last; an out-of-order timestamp moves down.
    while (at > 0) {
      const o = s.offset(user, at - 1);
      if (!isLater(s.data[o + TS], s.data[o + SEQ], ts, seq)) break;
      at--;
    }
    if (count === this.limit) {
      if (at === 0) return; // older than all T kept, so not among the newest T
      s.dropFirst(user);
      at--;
    }
    s.insertAt(user, at);
    const o = s.offset(user, at);
    const data = s.data;
    data[o + TS] = ts;
    data[o + SEQ] = seq;
    data[o + CENTS] = cents;
    data[o + BUYER] = buyer;
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
      const w = n * WIDTH;
      const fromList = j < 0 || (i >= 0 && isLater(s.data[s.offset(user, i) + TS], s.data[s.offset(user, i) + SEQ], own.get(friend, j, TS), own.get(friend, j, SEQ)));
      if (fromList) {
        const o = s.offset(user, i--);
        for (let f = 0; f < WIDTH; f++) out[w + f] = s.data[o + f];
      } else {
        const o = own.offset(friend, j--);
        out[w + TS] = own.data[o + TS];
        out[w + SEQ] = own.data[o + SEQ];
        out[w + CENTS] = own.data[o + CENTS];
        out[w + BUYER] = friend;
      }
    }
    this.rewrite(user, n);
  }

  /**
   * Removes `buyer`'s purchases from `user`'s list. A full list may have dropped older purchases
   * of other friends that now belong in it, so it is rebuilt from the friends' own histories.
   */
  private dropBuyer(user: number, buyer: number): void {
    const s = this.slots;
    const count = s.count(user);
    let kept = 0;
    for (let i = 0; i < count; i++) {
      if (s.data[s.offset(user, i) + BUYER] === buyer) continue;
      if (kept !== i) {
        const to = s.offset(user, kept);
        const from = s.offset(user, i);
        for (let f = 0; f < WIDTH; f++) s.data[to + f] = s.data[from + f];
      }
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
      const w = n * WIDTH;
      out[w + TS] = own.data[at + TS];
      out[w + SEQ] = own.data[at + SEQ];
      out[w + CENTS] = own.data[at + CENTS];
      out[w + BUYER] = merge.peekOwner();
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
      const o = s.offset(user, k);
      const from = (n - 1 - k) * WIDTH;
      for (let f = 0; f < WIDTH; f++) s.data[o + f] = out[from + f];
    }
  }
}
