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
import type { Amount, Decimal } from './decimal.js';
import { UserSlots } from './slots.js';

/** Doubles per stored purchase: timestamp key, input sequence number, cents (NaN when exact). */
const WIDTH = 3;

/** The baseline picked for one check: parallel arrays, valid up to `count`, in no particular order. */
export interface Baseline {
  count: number;
  cents: Float64Array;
  /** Input sequence numbers, to look up amounts that are not whole cents. */
  seqs: Float64Array;
}

/**
 * Per-user summary, one cache line for two users: newest purchase (timestamp, sequence, cents)
 * and the timestamp of the one before. Most network members contribute at most their newest
 * purchase to a baseline, and the summary settles them without reading their ring.
 */
const SUMMARY = 4;
const NEWEST_TS = 0;
const NEWEST_SEQ = 1;
const NEWEST_CENTS = 2;
const PREVIOUS_TS = 3;

/** The newest `limit` purchases of every user (dense user numbers) and the merge over a network. */
export class PurchaseHistory {
  private readonly slots: UserSlots<Float64Array>;
  private summary: Float64Array = new Float64Array(0);
  private users = 0;
  /** Amounts that are not whole cents, by input sequence number; dropped with their purchase. */
  private readonly exact = new Map<number, Decimal>();
  // Scratch for `newest`, reused by every check.
  private readonly cutoffHeap: Float64Array;
  private readonly heapTs: Float64Array;
  private readonly baseline: Baseline;

  constructor(readonly limit: number) {
    this.slots = new UserSlots((n) => new Float64Array(n), WIDTH, limit);
    this.cutoffHeap = new Float64Array(limit);
    this.heapTs = new Float64Array(limit);
    this.baseline = { count: 0, cents: new Float64Array(limit), seqs: new Float64Array(limit) };
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
    this.summary[line + NEWEST_TS] = s.get(user, last, 0);
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
  newest(members: ArrayLike<number>): Baseline {
    const limit = this.limit;
    const summary = this.summary;
    const users = this.users;
    const heap = this.cutoffHeap;
    let size = 0;
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      if (m >= users) continue;
      const ts = summary[m * SUMMARY + NEWEST_TS];
      if (size < limit) {
        if (ts !== -Infinity) numberHeapPush(heap, size++, ts);
      } else if (ts > heap[0]) {
        numberHeapReplaceRoot(heap, size, ts);
      }
    }
    const out = this.baseline;
    out.count = 0;
    if (size === 0) return out;
    const cutoff = size < limit ? -Infinity : heap[0];
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      if (m >= users) continue;
      const line = m * SUMMARY;
      const ts = summary[line + NEWEST_TS];
      if (ts < cutoff || ts === -Infinity) continue;
      if (summary[line + PREVIOUS_TS] < cutoff) this.offer(ts, summary[line + NEWEST_SEQ], summary[line + NEWEST_CENTS]);
      else this.mergeRing(m, cutoff);
    }
    return out;
  }

  /** Offers every purchase of the user from `cutoff` on, newest first; stops at the first refused. */
  private mergeRing(user: number, cutoff: number): void {
    const s = this.slots;
    for (let i = s.count(user) - 1; i >= 0; i--) {
      const ts = s.get(user, i, 0);
      if (ts < cutoff || !this.offer(ts, s.get(user, i, 1), s.get(user, i, 2))) return;
    }
  }

  /** Adds a purchase to the baseline's bounded min-heap; false when it is older than all it holds. */
  private offer(ts: number, seq: number, cents: number): boolean {
    const out = this.baseline;
    if (out.count < this.limit) {
      this.heapInsert(ts, seq, cents);
      return true;
    }
    if (!isLater(ts, seq, this.heapTs[0], out.seqs[0])) return false;
    this.heapReplaceRoot(ts, seq, cents);
    return true;
  }

  private heapInsert(ts: number, seq: number, cents: number): void {
    const out = this.baseline;
    let i = out.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!isLater(this.heapTs[parent], out.seqs[parent], ts, seq)) break;
      this.moveSlot(parent, i);
      i = parent;
    }
    this.putSlot(i, ts, seq, cents);
  }

  private heapReplaceRoot(ts: number, seq: number, cents: number): void {
    const out = this.baseline;
    const size = out.count;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && isLater(this.heapTs[child], out.seqs[child], this.heapTs[child + 1], out.seqs[child + 1])) child++;
      if (!isLater(ts, seq, this.heapTs[child], out.seqs[child])) break;
      this.moveSlot(child, i);
      i = child;
    }
    this.putSlot(i, ts, seq, cents);
  }

  private moveSlot(from: number, to: number): void {
    this.heapTs[to] = this.heapTs[from];
    this.baseline.seqs[to] = this.baseline.seqs[from];
    this.baseline.cents[to] = this.baseline.cents[from];
  }

  private putSlot(at: number, ts: number, seq: number, cents: number): void {
    this.heapTs[at] = ts;
    this.baseline.seqs[at] = seq;
    this.baseline.cents[at] = cents;
  }

  private forget(user: number, index: number): void {
    if (this.slots.get(user, index, 2) !== this.slots.get(user, index, 2)) this.exact.delete(this.slots.get(user, index, 1));
  }

  private reserve(user: number): void {
    this.slots.reserve(user);
    if (user < this.users) return;
    const users = Math.max(user + 1, this.users * 2, 1024);
    const grown = new Float64Array(users * SUMMARY).fill(-Infinity);
    grown.set(this.summary);
    this.summary = grown;
    this.users = users;
  }
}

/** True when purchase (ts1, seq1) comes after (ts2, seq2) in baseline order. */
function isLater(ts1: number, seq1: number, ts2: number, seq2: number): boolean {
  return ts1 > ts2 || (ts1 === ts2 && seq1 > seq2);
}

function numberHeapPush(heap: Float64Array, at: number, value: number): void {
  let i = at;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent] <= value) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = value;
}

function numberHeapReplaceRoot(heap: Float64Array, size: number, value: number): void {
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1] < heap[child]) child++;
    if (heap[child] >= value) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = value;
}
