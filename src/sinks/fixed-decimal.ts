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
  const s = (neg ? -x : x) * POW10[digits];
  if (!(s < LIMIT)) {
    w.str(x.toFixed(digits));
    return;
  }
  let n = Math.floor(s);
  const half = s - n - 0.5;
  if ((half < 0 ? -half : half) <= s * ERROR) {
    w.str(x.toFixed(digits));
    return;
  }
  if (half > 0) n++;
  // n < 2^52 + 1: its low 8 digits and the rest each fit in int32 arithmetic.
  const lo = n % 1e8;
  const hi = (n - lo) / 1e8;
  const nd = hi > 0 ? 8 + countDigits(hi) : countDigits(lo);
  // At least one digit before the point: 0.05, not .05.
  const total = nd > digits ? nd : digits + 1;
  const len = (neg ? 1 : 0) + total + (digits > 0 ? 1 : 0);
  w.ensure(len);
  const buf = w.buf;
  let p = w.pos + len;
  w.pos = p;
  let cur = lo;
  for (let k = 0; k < total; k++) {
    if (k === digits && k > 0) buf[--p] = 46;
    if (k === 8) cur = hi;
    const q = (cur / 10) | 0;
    buf[--p] = 48 + cur - q * 10;
    cur = q;
  }
  if (neg) buf[--p] = 45;
}

function countDigits(n: number): number {
  let d = 1;
  for (let x = n; x >= 10; x = (x / 10) | 0) d++;
  return d;
}
