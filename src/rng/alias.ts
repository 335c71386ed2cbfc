/**
 * Walker/Vose alias tables: O(1) draws from a fixed categorical distribution.
 * Written by hand because it sits on the hot path of every categorical draw.
 */
import type { Rng } from './index.js';

export interface AliasTable {
  readonly n: number;
  readonly prob: Float64Array;
  readonly alias: Int32Array;
}

/** Builds the table; weights need not sum to 1 but must be finite, non-negative, not all 0. */
export function buildAlias(weights: ArrayLike<number>): AliasTable {
  const n = weights.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = new Float64Array(n);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) {
    scaled[i] = (weights[i] * n) / total;
    (scaled[i] < 1 ? small : large).push(i);
  }
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  for (const i of large) prob[i] = 1;
  for (const i of small) prob[i] = 1; // only reached through rounding error
  return { n, prob, alias };
}

export function drawAlias(table: AliasTable, rng: Rng): number {
  const x = rng() * table.n;
  const i = x | 0;
  return x - i < table.prob[i] ? i : table.alias[i];
}
