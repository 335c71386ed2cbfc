/**
 * Each user's own newest purchases.
 *
 * The baseline of a purchase is the newest T purchases made by the buyer's network, and those are
 * always among each member's own newest T, so a user keeps only T purchases, in baseline order
 * (timestamp, then input order). Every user's purchases sit in a ring inside one shared
 * Float64Array (see UserSlots): no object per purchase. These rings feed the friends' purchase
 * lists (recent.ts) and the exact fallback of a check (baseline.ts).
 */
import type { Amount, Decimal } from './decimal.js';
import { UserSlots } from './slots.js';

/** Fields of a stored purchase: timestamp key, input sequence number, cents (NaN when exact). */
export const TS = 0;
export const SEQ = 1;
export const CENTS = 2;

/** True when purchase (ts1, seq1) comes after (ts2, seq2): timestamp first, then input order. */
export function isLater(ts1: number, seq1: number, ts2: number, seq2: number): boolean {
  return ts1 > ts2 || (ts1 === ts2 && seq1 > seq2);
}

/** The newest `limit` purchases of every user (dense user numbers), oldest first. */
export class PurchaseHistory {
  readonly slots: UserSlots<Float64Array>;
  /** Amounts that are not whole cents, by input sequence number; dropped with their purchase. */
  private readonly exact = new Map<number, Decimal>();

  constructor(readonly limit: number) {
    this.slots = new UserSlots((n) => new Float64Array(n), 3, limit);
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
    while (at > 0 && isLater(s.get(user, at - 1, TS), s.get(user, at - 1, SEQ), ts, seq)) at--;
    if (count === this.limit) {
      if (at === 0) return false;
      this.forget(user, 0);
      s.dropFirst(user);
      at--;
    }
    s.insertAt(user, at);
    s.set(user, at, TS, ts);
    s.set(user, at, SEQ, seq);
    s.set(user, at, CENTS, amount.cents);
    if (amount.exact !== null) this.exact.set(seq, amount.exact);
    return true;
  }

  /** The exact amount of a remembered purchase whose cents slot is NaN. */
  exactAt(seq: number): Decimal {
    const d = this.exact.get(seq);
    if (d === undefined) throw new Error(`no exact amount for purchase #${seq}`);
    return d;
  }

  private forget(user: number, index: number): void {
    const cents = this.slots.get(user, index, CENTS);
    if (cents !== cents) this.exact.delete(this.slots.get(user, index, SEQ));
  }
}
