/**
 * Graph node numbers shared by the graph kernels (members, links, patterns, transactions):
 * populations are numbered one after another in the order `actors:` declares them, so
 * member i of the second population is node count(first) + i. Files that mix populations
 * (the transactions file) use these numbers; per-population files can use `id`.
 */
import type { Population } from '../../model/population.js';

/** First node number of each population. */
export function nodeOffsets(populations: Map<string, Population>): Map<string, number> {
  const out = new Map<string, number>();
  let n = 0;
  for (const [name, pop] of populations) {
    out.set(name, n);
    n += pop.count;
  }
  return out;
}

/** Number of nodes over every population. */
export function nodeTotal(populations: Map<string, Population>): number {
  let n = 0;
  for (const pop of populations.values()) n += pop.count;
  return n;
}

/** A growable Int32Array reused across units (no allocation per unit once grown). */
export class IdBuffer {
  ids = new Int32Array(64);

  ensure(n: number): void {
    if (n <= this.ids.length) return;
    const next = new Int32Array(Math.max(n, this.ids.length * 2));
    next.set(this.ids);
    this.ids = next;
  }
}

/** Maps a node number back to its population and index (a scan over a handful of populations). */
export class NodeIndex {
  readonly names: string[];
  readonly offsets: number[];
  readonly total: number;

  constructor(populations: Map<string, Population>) {
    this.names = [...populations.keys()];
    const offsets = nodeOffsets(populations);
    this.offsets = this.names.map((n) => offsets.get(n)!);
    this.total = nodeTotal(populations);
  }

  /** Index (into `names`) of the population holding `node`. */
  popOf(node: number): number {
    let p = 0;
    while (p + 1 < this.offsets.length && this.offsets[p + 1] <= node) p++;
    return p;
  }
}

/** True when an error was reported after `mark` (a length of `diagnostics`): this kernel's own findings only. */
export function failedSince(diagnostics: { severity: string }[], mark: number): boolean {
  for (let i = mark; i < diagnostics.length; i++) if (diagnostics[i].severity === 'error') return true;
  return false;
}
