/**
 * Exact decimal amounts.
 *
 * Purchases are compared against `mean + 3 sd` of their baseline, and a float can put an amount
 * sitting exactly on that line on the wrong side. So amounts are kept as integers: whole cents in
 * a plain number when the text has at most two decimals (the fast, common case), otherwise a
 * BigInt mantissa with its own decimal scale.
 */

/** `units / 10^scale`, exactly. */
export interface Decimal {
  units: bigint;
  scale: number;
}

/** A parsed amount: `cents` is finite when the amount is a whole number of cents, else NaN and `exact` holds it. */
export interface Amount {
  cents: number;
  exact: Decimal | null;
}

const AMOUNT_RE = /^(\d+)(?:\.(\d+))?$/;

/** Digits of the integer part above which cents could leave the safe-integer range. */
export const MAX_FAST_INT_DIGITS = 13;

/**
 * Parses a non-negative decimal such as "16.83", "7", "0.125". Returns null for anything else
 * (signs, exponents, empty text), so callers can report the line.
 */
export function parseAmount(text: string): Amount | null {
  const cents = plainCents(text);
  if (cents >= 0) return { cents, exact: null };
  const m = AMOUNT_RE.exec(text.trim());
  if (m === null) return null;
  const whole = m[1];
  // Trailing zeros carry no value; dropping them keeps "1.500" on the fast path.
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length <= 2 && whole.length <= MAX_FAST_INT_DIGITS) {
    const cents = Number(whole) * 100 + (frac.length === 0 ? 0 : Number(frac.padEnd(2, '0')));
    return { cents, exact: null };
  }
  return { cents: NaN, exact: { units: BigInt(whole + frac), scale: frac.length } };
}

/**
 * Cents of an amount written plainly ("16.83", "7", "1.500": digits, then optionally a point and
 * digits of which only the first two may be non-zero) with at most MAX_FAST_INT_DIGITS digits
 * before the point; -1 for anything else, which `parseAmount` then reads with its regular
 * expression. Hand-written because it runs for every purchase: the regular expression, the
 * trailing-zero strip and the padding cost about three times as much. Gives exactly what that
 * path gives for the amounts it accepts.
 */
function plainCents(text: string): number {
  const n = text.length;
  let i = 0;
  let whole = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
  }
  if (i === 0 || i > MAX_FAST_INT_DIGITS) return -1;
  if (i === n) return whole * 100;
  if (text.charCodeAt(i) !== 0x2e /* . */) return -1;
  const point = ++i;
  let frac = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    if (i - point < 2) frac = frac * 10 + d;
    else if (d !== 0) return -1; // a third non-zero decimal: not whole cents
  }
  if (i === point) return -1; // "5." has no decimals
  return whole * 100 + (i - point === 1 ? frac * 10 : frac);
}

/** The amount as an exact decimal (cents become scale 2). */
export function toDecimal(amount: Amount): Decimal {
  return amount.exact ?? { units: BigInt(amount.cents), scale: 2 };
}

/** floor(sqrt(n)) for a non-negative BigInt, by Newton's method. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('square root of a negative number');
  if (n < 2n) return n;
  // Start above the root so Newton's iteration decreases monotonically onto it.
  let x = 1n << BigInt((n.toString(2).length >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** floor(sqrt(n)) for a safe non-negative integer. */
export function isqrtSafe(n: number): number {
  let r = Math.floor(Math.sqrt(n));
  // Math.sqrt is correctly rounded, but the rounding can land one off the integer root.
  while (r * r > n) r--;
  while ((r + 1) * (r + 1) <= n) r++;
  return r;
}

/** "1234.05" from 123405 cents; truncation already happened in the caller. */
export function formatCents(cents: number | bigint): string {
  const c = BigInt(cents);
  const sign = c < 0n ? '-' : '';
  const abs = c < 0n ? -c : c;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
