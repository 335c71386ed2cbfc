/**
 * Writes x.toFixed(digits) straight into a ByteWriter, byte for byte the same, without
 * making a string: `fixed(t, 8)` columns spent more time in toFixed and the string copy
 * than in computing the value. Hand-written because it is on the hot path of such columns.
 *
 * toFixed rounds the exact binary value of x to `digits` decimals, ties away from zero.
 * Here s = |x| x 10^digits is computed in floating point (10^digits is exact up to 10^22),
 * which differs from the exact product by at most half an ulp of s; when s < 2^52 its
 * integer part is exact and its fraction exact too, so the rounding is decided by the
 * fraction unless the fraction is within that error of one half. Those rare cases, and
 * numbers too large, are left to toFixed itself.
 */
import type { ByteWriter } from './byte-writer.js';

/** 10^k, exact as doubles, for the digits the fast path takes. */
const POW10 = Array.from({ length: 21 }, (_, k) => 10 ** k);
/** Past 2^52 a double has no fraction bits left to decide the rounding with. */
const LIMIT = 2 ** 52;
/** Twice the relative rounding error of one multiplication (2^-53). */
const ERROR = 2 ** -52;

/** x.toFixed(digits) for a finite x and an integer digits in 0..20. */
export function writeFixed(w: ByteWriter, x: number, digits: number): void {
  const neg = x < 0;
  // Math.abs, not neg ? -x : x: signs are random in data, and a branch on them mispredicts.
  const a = Math.abs(x);
  if (digits <= 8 && a < 2147483647 && writeSmall(w, neg, a, digits)) return;
  const s = a * POW10[digits];
  if (!(s < LIMIT)) {
    w.str(x.toFixed(digits));
    return;
  }
  let n = Math.floor(s);
  const half = s - n - 0.5;
  if (Math.abs(half) <= s * ERROR) {
    w.str(x.toFixed(digits));
    return;
  }
  if (half > 0) n++;
  // Integer part and fraction: n / 10^digits is within half an ulp of the exact quotient,
  // which is at least 10^-digits away from the next integer when n < 2^52: the floor is exact.
  const p10 = POW10[digits];
  const whole = Math.floor(n / p10);
  const frac = n - whole * p10;
  const wholeDigits = countDigits(whole);
  const len = (neg ? 1 : 0) + wholeDigits + (digits > 0 ? 1 + digits : 0);
  w.ensure(len);
  const buf = w.buf;
  const end = w.pos + len;
  w.pos = end;
  if (digits > 0) {
    writeDigits(buf, end, frac, digits);
    buf[end - digits - 1] = 46;
  }
  writeDigits(buf, end - (digits > 0 ? digits + 1 : 0), whole, wholeDigits);
  if (neg) buf[end - len] = 45;
}

/**
 * The usual case, in int32 arithmetic: |x| < 2^31 and at most 8 decimals. The integer part
 * and the fraction of |x| are exact; the fraction times 10^digits is within half an ulp of
 * exact, so it rounds as toFixed would unless it is that close to a tie (then false: the
 * general path decides).
 */
function writeSmall(w: ByteWriter, neg: boolean, a: number, digits: number): boolean {
  let whole = Math.floor(a);
  const p10 = POW10[digits];
  const fs = (a - whole) * p10;
  // Whether the fraction rounds up is a coin flip on real data: a branch on it mispredicts
  // half the time. The tie test uses Math.abs and the rounding floor(fs + 0.5), neither a
  // branch. floor(fs + 0.5) is the rounding of fs: the addition's own rounding could only
  // matter within 2^-53 (fs + 0.5) of a tie, and those cases were sent back just before.
  const half = fs - Math.floor(fs) - 0.5;
  if (Math.abs(half) <= fs * ERROR) return false;
  let frac = Math.floor(fs + 0.5);
  if (frac === p10) {
    frac = 0;
    whole++;
  }
  const wholeDigits = countDigits(whole);
  const len = (neg ? 1 : 0) + wholeDigits + (digits > 0 ? 1 + digits : 0);
  w.ensure(len);
  const buf = w.buf;
  const end = w.pos + len;
  w.pos = end;
  if (digits > 0) {
    write8(buf, end, frac, digits);
    buf[end - digits - 1] = 46;
  }
  write8(buf, end - (digits > 0 ? digits + 1 : 0), whole, wholeDigits);
  if (neg) buf[end - len] = 45;
  return true;
}

/** Decimal digits of n (at least 1), for 0 <= n < 10^20. */
export function countDigits(n: number): number {
  // Up to 5 digits (times' whole hours, amounts, counters) by compares with constants, not
  // a loop over the table: two or three of these run per row.
  if (n < 1e5) return n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : 5;
  let d = 1;
  while (d < 20 && n >= POW10[d]) d++;
  return d;
}

/** "00" to "99": two digits per division, since divisions are the slow part of formatting. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/** Writes the `count` lowest digits of n (zero-padded; 0 <= n < 2^53) into buf, ending before `end`. */
function writeDigits(buf: Uint8Array, end: number, n: number, count: number): void {
  let p = end;
  while (count > 8) {
    // As above: the floor of n / 1e8 is exact for n < 2^53.
    const hi = Math.floor(n / 1e8);
    write8(buf, p, n - hi * 1e8, 8);
    p -= 8;
    count -= 8;
    n = hi;
  }
  write8(buf, p, n, count);
}

/** Writes the `count` lowest digits of the int32 n (zero-padded), ending before `end`. */
export function write8(buf: Uint8Array, end: number, n: number, count: number): void {
  let p = end;
  let x = n | 0;
  for (; count >= 2; count -= 2) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) << 1;
    buf[--p] = PAIRS[r + 1];
    buf[--p] = PAIRS[r];
    x = q;
  }
  if (count === 1) buf[--p] = 48 + (x % 10);
}
