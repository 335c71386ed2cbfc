/**
 * A stored purchase: 16 bytes, the room of two doubles, in the own histories (history.ts) and the
 * friends' purchase lists (recent.ts) alike, so a record moves from one to the other as two doubles.
 *
 * A check reads about 58 friends' lists at their newest entries, each a cache miss, and takes
 * about 67 entries from them; a purchase is filed into ~6.6 lists, a miss each. At 32 bytes
 * (timestamp, sequence number, cents and buyer as four doubles) an entry could straddle two
 * cache lines and a list's newest two entries took two; at 16 bytes four entries share a line,
 * and the lists and histories of 100,000 users with T = 50 take 80 MB each instead of 160 and 120.
 *
 * Layout, at a record's position `at` (in doubles) of a Float64Array `data` and the Int32Array
 * `ints` over the same memory:
 * - `data[at + TS]`: the timestamp key (events.ts), a double;
 * - `ints[2 * at + SEQ]`: the input sequence number, which orders equal timestamps and tells
 *   copies of one purchase apart, below SEQ_LIMIT (the detector renumbers the kept purchases
 *   before it gets there: see PurchaseHistory.renumber);
 * - `ints[2 * at + CENTS]`: the amount in cents, or EXACT for an amount kept exactly by the
 *   history (not whole cents, or more than MAX_CENTS).
 *
 * The buyer is not stored: the lists that hold a buyer's purchases are those of the buyer's
 * friends, and every entry of a list is also in its buyer's own history, so a check skips the
 * buyer's own purchases and an unfriend finds a friend's by matching that history.
 */

export const RECORD = 2;
export const TS = 0;
export const SEQ = 2;
export const CENTS = 3;
/** Cents of an amount whose value is kept exactly by the history, looked up by sequence number. */
export const EXACT = -0x80000000;
/**
 * Largest amount in cents stored in a record. The cents are the high half of the record's second
 * double: below 0x7ff00000 that double is never a NaN, so copying a record as two doubles keeps
 * its bits whatever an engine does with NaNs. $21,464,350.71; larger amounts are kept exactly.
 */
export const MAX_CENTS = 0x7fefffff;
/** Sequence numbers stay below this (31 bits, compared as signed integers). */
export const SEQ_LIMIT = 0x7fffffff;

/** True when purchase (ts1, seq1) comes after (ts2, seq2): timestamp first, then input order. */
export function isLater(ts1: number, seq1: number, ts2: number, seq2: number): boolean {
  return ts1 > ts2 || (ts1 === ts2 && seq1 > seq2);
}

/** The cents field for an amount of `cents` (NaN when not whole cents). */
export function centsField(cents: number): number {
  return cents >= 0 && cents <= MAX_CENTS ? cents : EXACT;
}

/** Writes a record at `at`. */
export function writeRecord(data: Float64Array, ints: Int32Array, at: number, ts: number, seq: number, cents: number): void {
  data[at + TS] = ts;
  ints[2 * at + SEQ] = seq;
  ints[2 * at + CENTS] = cents;
}

/** Copies the record at `from` in `source` to `to` in `target` (two doubles: see MAX_CENTS). */
export function copyRecord(source: Float64Array, from: number, target: Float64Array, to: number): void {
  target[to] = source[from];
  target[to + 1] = source[from + 1];
}
