/**
 * Which actor an arrival is about: uniformly at random, or with probability proportional
 * to a weight expression of the actor and its ledgers (remaining credit, say). Weights
 * change as ledgers change, so they sit in a Fenwick tree: O(log n) per change and draw.
 */
import type { Compiled } from '../../expr/compile.js';
import type { Rng } from '../../rng/index.js';
import { runtimeError, type Site } from './errors.js';
import { FenwickTree } from './fenwick.js';
import type { ActorContext } from './ledger.js';

export class ActorPicker {
  private readonly tree: FenwickTree | undefined;
  private readonly c: ActorContext = { r: () => 0, a: 0 };

  /** Without `weight`, actors are picked uniformly. */
  constructor(private readonly count: number, private readonly weight?: Compiled, private readonly site?: Site) {
    this.tree = weight ? new FenwickTree(count) : undefined;
  }

  /** True when the weight depends on state, so it must be refreshed as ledgers change. */
  get weighted(): boolean {
    return this.tree !== undefined;
  }

  /** Recomputes every actor's weight (at the start, after resets). */
  refreshAll(): void {
    const tree = this.tree;
    if (!tree) return;
    for (let a = 0; a < this.count; a++) tree.weights[a] = this.weightOf(a);
    tree.rebuild();
  }

  /** Recomputes one actor's weight (after its ledgers changed). */
  refresh(a: number): void {
    if (this.tree) this.tree.set(a, this.weightOf(a));
  }

  /** An actor, or -1 when no actor has a positive weight. */
  pick(r: Rng): number {
    const tree = this.tree;
    if (!tree) return this.count > 0 ? Math.floor(r() * this.count) : -1;
    const total = tree.total;
    if (!(total > 0)) return -1;
    return tree.find(r() * total);
  }

  private weightOf(a: number): number {
    this.c.a = a;
    const w = this.weight!(this.c);
    if (typeof w !== 'number' || !(w >= 0) || w === Number.POSITIVE_INFINITY) {
      throw runtimeError(this.site!, w, `pick weight of actor ${a}`, 'A pick weight must be a finite number >= 0 (wrap it in max(0, ...)).');
    }
    return w;
  }
}
