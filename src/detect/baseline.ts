/**
 * The baseline of a check: the newest T purchases made by the buyer's D-hop network.
 *
 * Everyone within D hops of u, other than u, is a friend of someone within D - 1 hops of u (the
 * last step of a shortest path), and every friend of such a user is within D hops. So the network
 * is the union of the friends of Ball(u, D - 1), minus u, and its newest purchases can be read
 * from the friends' purchase lists (recent.ts) of those ~55 users (D = 3 on the benchmark)
 * instead of the own histories of ~310 members. A newest-first merge of those lists skips the
 * buyer's own purchases, takes each purchase once (it sits in the list of every friend of its
 * buyer), and stops after T.
 *
 * The one catch: a full list has dropped its older purchases, which is harmless while its T
 * entries all count, since the merge then stops before reaching its end. But when the buyer's
 * own purchases take up some of them, the merge can use up that list while still short of T,
 * and a dropped purchase could belong next. The check then falls back to the exact merge over
 * the own histories of the whole network (counted in `fallbacks`).
 */
import type { FriendGraph } from './graph.js';
import type { PurchaseHistory } from './history.js';
import { NewestFirstMerge } from './merge.js';
import type { FriendPurchases } from './recent.js';
import { CENTS, EXACT, isLater, SEQ, TS } from './record.js';

/** Up to T baseline purchases: `cents` and `seqs` are valid up to `count`, newest first. */
export interface Baseline {
  count: number;
  /** Amounts in cents; NaN when not whole cents (look them up by sequence number). */
  readonly cents: Float64Array;
  /** Input sequence numbers. */
  readonly seqs: Float64Array;
}

/** Baseline slots allocated at first; more are added as a network's purchases need them. */
const INITIAL_ROOM = 1024;

export class BaselineFinder implements Baseline {
  count = 0;
  /** Grown as needed up to T: a huge T in a log's header must not allocate T slots up front. */
  cents: Float64Array;
  seqs: Float64Array;
  /** Checks that needed the exact merge over the whole network. */
  fallbacks = 0;
  private readonly merge = new NewestFirstMerge();

  constructor(
    readonly depth: number,
    readonly limit: number,
    private readonly graph: FriendGraph,
    private readonly history: PurchaseHistory,
    private readonly recent: FriendPurchases,
  ) {
    this.cents = new Float64Array(Math.min(limit, INITIAL_ROOM));
    this.seqs = new Float64Array(Math.min(limit, INITIAL_ROOM));
  }

  /** Doubles the room for baseline purchases (never past T). */
  private grow(): void {
    const size = Math.min(this.limit, this.cents.length * 2);
    const cents = new Float64Array(size);
    cents.set(this.cents);
    const seqs = new Float64Array(size);
    seqs.set(this.seqs);
    this.cents = cents;
    this.seqs = seqs;
  }

  /**
   * The baseline of a purchase by `user`; reused by the next call. With D = 1 the network is
   * just the friends, and merging their ~6 histories at check time costs less than filing every
   * purchase with every friend, so the friends' lists are not used (see `usesFriendsLists`).
   */
  of(user: number): Baseline {
    if (this.depth === 1) this.fromWholeNetwork(user);
    else if (!this.fromFriendsLists(user)) {
      this.fallbacks++;
      this.fromWholeNetwork(user);
    }
    return this;
  }

  /** Whether checks read the friends' purchase lists, which then need to be kept. */
  get usesFriendsLists(): boolean {
    return this.depth > 1;
  }

  /**
   * The merge over the lists of Ball(user, D - 1); false when a used-up full list makes it unsure.
   * Entries do not name their buyer (record.ts): the buyer's own purchases are those in the
   * buyer's own history, which is walked down beside the merge, both newest first.
   */
  private fromFriendsLists(user: number): boolean {
    const s = this.recent.slots;
    const merge = this.merge;
    // The buyer's newest own purchase is read first, so that its cache misses (bookkeeping, then
    // record) overlap the walk's and the merge's set-up instead of waiting at the first entry.
    const own = this.history.slots;
    let mine = own.count(user) - 1;
    let mineAt = mine >= 0 ? own.offset(user, mine) : 0;
    let mineTs = own.data[mineAt + TS];
    let mineSeq = own.ints[2 * mineAt + SEQ];
    merge.start(s, this.graph.within([user], this.depth - 1, true));
    const limit = this.limit;
    const data = s.data;
    const ints = s.ints;
    let count = 0;
    let last = -1;
    while (count < limit) {
      const at = merge.peek();
      if (at < 0) break;
      const seq = ints[2 * at + SEQ];
      // Copies of one purchase have equal keys, so they come out of the merge one after another.
      if (seq !== last) {
        const ts = data[at + TS];
        while (mine >= 0 && isLater(mineTs, mineSeq, ts, seq)) {
          if (--mine < 0) break;
          mineAt = own.offset(user, mine);
          mineTs = own.data[mineAt + TS];
          mineSeq = own.ints[2 * mineAt + SEQ];
        }
        if (!(mine >= 0 && mineSeq === seq)) {
          if (count === this.cents.length) this.grow();
          const cents = ints[2 * at + CENTS];
          this.cents[count] = cents === EXACT ? NaN : cents;
          this.seqs[count] = seq;
          count++;
        }
      }
      last = seq;
      const owner = merge.peekOwner();
      if (merge.advance() && count < limit && s.count(owner) === limit) return false;
    }
    this.count = count;
    return true;
  }

  /** The exact merge over the own histories of everyone within D hops. */
  private fromWholeNetwork(user: number): void {
    const own = this.history.slots;
    const merge = this.merge;
    merge.start(own, this.graph.within([user], this.depth, false));
    let count = 0;
    for (; count < this.limit; count++) {
      const at = merge.peek();
      if (at < 0) break;
      if (count === this.cents.length) this.grow();
      const cents = own.ints[2 * at + CENTS];
      this.cents[count] = cents === EXACT ? NaN : cents;
      this.seqs[count] = own.ints[2 * at + SEQ];
      merge.advance();
    }
    this.count = count;
  }
}
