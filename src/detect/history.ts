/**
 * Per-user purchase history and the baseline merge.
 *
 * The baseline of a purchase is the newest T purchases made by the buyer's network, and those are
 * always among each member's own newest T, so a user keeps only T purchases, in baseline order
 * (timestamp, then input order). A check touches hundreds of members and is bound by memory
 * latency, so the layout avoids one object per purchase: every user's purchases sit in a ring
 * inside one shared Float64Array (see UserSlots), and a dense per-user summary answers most of a
 * merge without reading the rings at all.
 */
import { BaselineHeap, isLater, pushValue, replaceMinValue } from './baseline.js';
import type { Amount, Decimal } from './decimal.js';
import { UserSlots } from './slots.js';

/** Doubles per stored purchase: timestamp key, input sequence number, cents (NaN when exact). */
const WIDTH = 3;

/**
 * Per-user summary of the newest purchase (sequence number, cents) and the timestamp of the one
 * before, next to a separate array of newest timestamps. Every member's newest timestamp is read
 * on every check, so that array is kept small (8 bytes a user) to stay in cache; the summary is
 * read only for the few members that make the cut, and most of those contribute just their
 * newest purchase, which it settles without reading their ring.
 */
const SUMMARY = 4;
const NEWEST_SEQ = 0;
const NEWEST_CENTS = 1;
const PREVIOUS_TS = 2;

/** The newest `limit` purchases of every user (dense user numbers) and the merge over a network. */
export class PurchaseHistory {
  private readonly slots: UserSlots<Float64Array>;
  /** Newest purchase timestamp per user; -Infinity when none. */
  private newestTs: Float64Array = new Float64Array(0);
  private summary: Float64Array = new Float64Array(0);
  private users = 0;
  /** Amounts that are not whole cents, by input sequence number; dropped with their purchase. */
  private readonly exact = new Map<number, Decimal>();
  // Scratch for `newest`, reused by every check.
  private readonly cutoffHeap: Float64Array;
  private readonly baseline: BaselineHeap;

  constructor(readonly limit: number) {
    this.slots = new UserSlots((n) => new Float64Array(n), WIDTH, limit);
    this.cutoffHeap = new Float64Array(limit);
    this.baseline = new BaselineHeap(limit);
  }

  /** Remembers a purchase, dropping the user's oldest when over the limit. */
  add(user: number, ts: number, seq: number, amount: Amount): void {
    this.reserve(user);
    const s = this.slots;
    let count = s.count(user);
    // Logs are nearly always in time order, so the new purchase usually goes last.
    let at = count;
    while (at > 0 && isLater(s.get(user, at - 1, 0), s.get(user, at - 1, 1), ts, seq)) at--;
    if (count === this.limit) {
      if (at === 0) return; // older than all T kept: it can never be in a baseline
      this.forget(user, 0);
      s.dropFirst(user);
      at--;
      count--;
    }
    s.insertAt(user, at);
    s.set(user, at, 0, ts);
    s.set(user, at, 1, seq);
    s.set(user, at, 2, amount.cents);
    if (amount.exact !== null) this.exact.set(seq, amount.exact);
    const line = user * SUMMARY;
    const last = count; // index of the newest record now
    this.newestTs[user] = s.get(user, last, 0);
    this.summary[line + NEWEST_SEQ] = s.get(user, last, 1);
    this.summary[line + NEWEST_CENTS] = s.get(user, last, 2);
    this.summary[line + PREVIOUS_TS] = last > 0 ? s.get(user, last - 1, 0) : -Infinity;
  }

  /** The exact amount of a remembered purchase whose cents slot is NaN. */
  exactAt(seq: number): Decimal {
    const d = this.exact.get(seq);
    if (d === undefined) throw new Error(`no exact amount for purchase #${seq}`);
    return d;
  }

  /**
   * The newest `limit` purchases among `members`. The result is scratch space reused by the next
   * call. First the limit-th newest "newest timestamp" among members gives a cut-off: the members
   * owning those purchases already supply `limit` purchases at or after it, so nothing older can
   * be in the baseline and a member whose newest purchase is older is skipped.
   */
  newest(members: ArrayLike<number>): BaselineHeap {
    const limit = this.limit;
    const newestTs = this.newestTs;
    const summary = this.summary;
    const users = this.users;
    const heap = this.cutoffHeap;
    let size = 0;
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      if (m >= users) continue;
      const ts = newestTs[m];
      if (size < limit) {
        if (ts !== -Infinity) pushValue(heap, size++, ts);
      } else if (ts > heap[0]) {
        replaceMinValue(heap, size, ts);
      }
    }
    const out = this.baseline;
    out.clear();
    if (size === 0) return out;
    const cutoff = size < limit ? -Infinity : heap[0];
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      if (m >= users) continue;
      const ts = newestTs[m];
      if (ts < cutoff || ts === -Infinity) continue;
      const line = m * SUMMARY;
      if (summary[line + PREVIOUS_TS] < cutoff) out.offer(ts, summary[line + NEWEST_SEQ], summary[line + NEWEST_CENTS]);
      else this.mergeRing(m, cutoff);
    }
    return out;
  }

  /** Offers every purchase of the user from `cutoff` on, newest first; stops at the first refused. */
  private mergeRing(user: number, cutoff: number): void {
    const s = this.slots;
    for (let i = s.count(user) - 1; i >= 0; i--) {
      const ts = s.get(user, i, 0);
      if (ts < cutoff || !this.baseline.offer(ts, s.get(user, i, 1), s.get(user, i, 2))) return;
    }
  }

  private forget(user: number, index: number): void {
    if (this.slots.get(user, index, 2) !== this.slots.get(user, index, 2)) this.exact.delete(this.slots.get(user, index, 1));
  }

  private reserve(user: number): void {
    this.slots.reserve(user);
    if (user < this.users) return;
    const users = Math.max(user + 1, this.users * 2, 1024);
    const newestTs = new Float64Array(users).fill(-Infinity);
    newestTs.set(this.newestTs);
    this.newestTs = newestTs;
    const summary = new Float64Array(users * SUMMARY);
    summary.set(this.summary);
    this.summary = summary;
    this.users = users;
  }
}
