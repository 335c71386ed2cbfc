/**
 * Transition matrices as runtime tables (one alias table per row: O(1) per step) and the
 * structural checks a chain needs: every state reachable from the start must be able to
 * reach the end, or sessions could run forever.
 */
import { buildAlias, type AliasTable } from '../../rng/alias.js';

export interface ChainMatrix {
  name: string;
  rows: number[][];
  alias: AliasTable[];
}

export function buildChainMatrix(name: string, states: string[], rows: Record<string, number[]>): ChainMatrix {
  const ordered = states.map((s) => rows[s]);
  return { name, rows: ordered, alias: ordered.map((r) => buildAlias(r.some((x) => x > 0) ? r : r.map(() => 1))) };
}

/** States reachable from `start` (not passing through `end`) that can never reach `end`. */
export function trapStates(rows: number[][], start: number, end: number): { traps: number[]; endReachable: boolean } {
  const n = rows.length;
  const reach = new Set<number>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const i = queue.shift()!;
    if (i === end) continue;
    for (let j = 0; j < n; j++) if (rows[i][j] > 0 && !reach.has(j)) (reach.add(j), queue.push(j));
  }
  const toEnd = new Set<number>([end]);
  let grew = true;
  while (grew) {
    grew = false;
    for (let i = 0; i < n; i++) {
      if (toEnd.has(i)) continue;
      for (let j = 0; j < n; j++) {
        if (rows[i][j] > 0 && toEnd.has(j)) {
          toEnd.add(i);
          grew = true;
          break;
        }
      }
    }
  }
  const traps = [...reach].filter((i) => i !== end && !toEnd.has(i)).sort((a, b) => a - b);
  return { traps, endReachable: reach.has(end) };
}

/**
 * Expected number of states in a session path (start and end included), from the
 * fundamental matrix of the absorbing chain: solves (I - Q) x = 1 by Gaussian elimination.
 */
export function expectedPathLength(rows: number[][], start: number, end: number): number {
  const idx = rows.map((_, i) => i).filter((i) => i !== end);
  const m = idx.length;
  const a = idx.map((i, r) => [...idx.map((j, c) => (r === c ? 1 : 0) - rows[i][j]), 1]);
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
    [a[col], a[piv]] = [a[piv], a[col]];
    if (Math.abs(a[col][col]) < 1e-14) return Number.POSITIVE_INFINITY;
    for (let r = 0; r < m; r++) {
      if (r === col) continue;
      const f = a[r][col] / a[col][col];
      for (let c = col; c <= m; c++) a[r][c] -= f * a[col][c];
    }
  }
  const steps = a[idx.indexOf(start)][m] / a[idx.indexOf(start)][idx.indexOf(start)];
  return steps + 1;
}
