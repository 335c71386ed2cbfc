/**
 * The anomaly test `amount > mean + 3 sd` decided exactly.
 *
 * With n baseline amounts, S their sum and Q the sum of their squares (all integers in a common
 * unit), `a > S/n + 3 sqrt(nQ - S^2)/n` is `n*a - S > 3 sqrt(nQ - S^2)`, which squares to integer
 * comparisons. Small values use plain numbers; when a product could pass 2^53 the same formulas
 * run on BigInt.
 */
import { formatCents, isqrt, isqrtSafe, toDecimal, type Amount, type Decimal } from './decimal.js';

/** Mean and population standard deviation of a baseline, truncated to cents, as printed. */
export interface Verdict {
  mean: string;
  sd: string;
}

/**
 * Bound on n * max(amount in cents) under which 9 * (n * max)^2 stays below 2^53, so every
 * intermediate (S^2, nQ, (na - S)^2, 9V) is an exact double.
 */
const SAFE_N_TIMES_MAX = Math.floor(Math.sqrt(Number.MAX_SAFE_INTEGER / 9));

/**
 * Returns the printed mean and sd when `amount` is anomalous against the baseline amounts
 * `cents[0..n)`, else null. A NaN in `cents` marks an amount that is not whole cents; `exactAt(i)`
 * then supplies it. The caller guarantees n >= 2.
 */
export function judge(cents: ArrayLike<number>, n: number, amount: Amount, exactAt: (index: number) => Decimal): Verdict | null {
  let sum = 0;
  let sumSq = 0;
  let max = amount.cents;
  let fast = max === max; // NaN: the new amount itself needs BigInt
  for (let i = 0; fast && i < n; i++) {
    const c = cents[i];
    if (c !== c) fast = false;
    sum += c;
    sumSq += c * c;
    if (c > max) max = c;
  }
  if (!fast || n * max > SAFE_N_TIMES_MAX) return judgeExact(cents, n, amount, exactAt);
  const excess = n * amount.cents - sum;
  if (excess <= 0) return null;
  const spread = n * sumSq - sum * sum; // n^2 times the population variance
  if (excess * excess <= 9 * spread) return null;
  // In cents: mean = S/n and sd = sqrt(spread)/n; floor(sqrt(x)/n) = floor(isqrt(x)/n).
  const root = isqrtSafe(spread);
  return { mean: formatCents((sum - (sum % n)) / n), sd: formatCents((root - (root % n)) / n) };
}

/** The same test on BigInt, with every amount brought to the finest scale present. */
function judgeExact(cents: ArrayLike<number>, n: number, amount: Amount, exactAt: (index: number) => Decimal): Verdict | null {
  const decimals = [toDecimal(amount)];
  for (let i = 0; i < n; i++) decimals.push(cents[i] === cents[i] ? { units: BigInt(cents[i]), scale: 2 } : exactAt(i));
  let scale = 2;
  for (const d of decimals) if (d.scale > scale) scale = d.scale;
  const units = decimals.map((d) => d.units * 10n ** BigInt(scale - d.scale));
  const a = units[0];
  let sum = 0n;
  let sumSq = 0n;
  for (let i = 1; i <= n; i++) {
    sum += units[i];
    sumSq += units[i] * units[i];
  }
  const bn = BigInt(n);
  const excess = bn * a - sum;
  if (excess <= 0n) return null;
  const spread = bn * sumSq - sum * sum;
  if (excess * excess <= 9n * spread) return null;
  // Cents per unit is 100 / 10^scale: mean = S*100/(n*10^s), sd = sqrt(spread*10^4)/(n*10^s).
  const denom = bn * 10n ** BigInt(scale);
  return { mean: formatCents((sum * 100n) / denom), sd: formatCents(isqrt(spread * 10000n) / denom) };
}
