/**
 * Each user's own newest purchases.
 *
 * The baseline of a purchase is the newest T purchases made by the buyer's network, and those are
 * always among each member's own newest T, so a user keeps only T purchases, in baseline order
 * (timestamp, then input order). Every user's purchases sit in a ring of 16-byte records
 * (record.ts) inside one shared typed array (see UserSlots): no object per purchase. These rings
 * feed the friends' purchase lists (recent.ts) and the exact fallback of a check (baseline.ts).
 */
import type { Amount, Decimal } from './decimal.js';
import { CENTS, centsField, EXACT, isLater, RECORD, SEQ, TS, writeRecord } from './record.js';
import { UserSlots } from './slots.js';

/** The newest `limit` purchases of every user (dense user numbers), oldest first. */
export class PurchaseHistory {
  readonly slots: UserSlots<Float64Array>;
  /** Amounts a record does not hold (record.ts: EXACT), by sequence number; dropped with their purchase. */
  private exact = new Map<number, Decimal>();

  constructor(readonly limit: number) {
    this.slots = new UserSlots((n) => new Float64Array(n), RECORD, limit);
  }

  /**
   * Remembers a purchase, dropping the user's oldest when over the limit. Returns false when the
   * purchase is older than all `limit` kept: it can then never be in a baseline, since the user's
   * newer purchases always come first, and it is not stored.
   */
  add(user: number, ts: number, seq: number, amount: Amount): boolean {
    const s = this.slots;
    s.reserve(user);
    const count = s.count(user);
    // Logs are nearly always in time order, so the new purchase usually goes last.
    let at = count;
    while (at > 0) {
      const o = s.offset(user, at - 1);
      if (!isLater(s.data[o + TS], s.ints[2 * o + SEQ], ts, seq)) break;
      at--;
    }
    if (count === this.limit) {
      if (at === 0) return false;
      this.forget(user, 0);
      s.dropFirst(user);
      at--;
    }
    s.insertAt(user, at); // may move the arena: data and ints are read after it
    const cents = centsField(amount.cents);
    writeRecord(s.data, s.ints, s.offset(user, at), ts, seq, cents);
    if (cents === EXACT) this.exact.set(seq, amount.exact ?? { units: BigInt(amount.cents), scale: 2 });
    return true;
  }

  /** The exact amount of a remembered purchase whose record holds EXACT cents. */
  exactAt(seq: number): Decimal {
    const d = this.exact.get(seq);
    if (d === undefined) throw new Error(`no exact amount for purchase #${seq}`);
    return d;
  }

  /**
   * Numbers the kept purchases 0, 1, ... in their input order, so that sequence numbers never
   * reach SEQ_LIMIT (record.ts): only the order of kept purchases matters, and it is unchanged.
   * Returns their old numbers in order; a purchase's new number is the index of its old one
   * (`rankOf`), which the friends' lists use to follow.
   */
  renumber(users: number): Int32Array {
    const s = this.slots;
    let total = 0;
    for (let u = 0; u < users; u++) total += s.count(u);
    const old = new Int32Array(total);
    let k = 0;
    for (let u = 0; u < users; u++) for (let i = 0; i < s.count(u); i++) old[k++] = s.ints[2 * s.offset(u, i) + SEQ];
    old.sort();
    for (let u = 0; u < users; u++) {
      for (let i = 0; i < s.count(u); i++) {
        const o = 2 * s.offset(u, i) + SEQ;
        s.ints[o] = rankOf(old, s.ints[o]);
      }
    }
    const exact = new Map<number, Decimal>();
    for (const [seq, d] of this.exact) exact.set(rankOf(old, seq), d);
    this.exact = exact;
    return old;
  }

  private forget(user: number, index: number): void {
    const o = this.slots.offset(user, index);
    if (this.slots.ints[2 * o + CENTS] === EXACT) this.exact.delete(this.slots.ints[2 * o + SEQ]);
  }
}

/** Index of `value` in the ascending `sorted` (renumbering); every kept purchase is there. */
export function rankOf(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else if (sorted[mid] > value) hi = mid - 1;
    else return mid;
  }
  throw new Error(`purchase #${value} is not among the kept purchases`);
}
