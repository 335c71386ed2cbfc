/**
 * A Fenwick (binary indexed) tree of non-negative weights: O(log n) to change one weight and
 * O(log n) to draw an index with probability proportional to its weight. Hand-written
 * because it is on the hot path: every arrival draws an actor and every accepted event
 * changes one actor's weight.
 */
/** In the slots past n: larger than any sum of weights, and finite so that PAST_END x 0 is 0. */
const PAST_END = Number.MAX_VALUE;

export class FenwickTree {
  readonly n: number;
  /** The weights as set, item i at [i]. */
  readonly weights: Float64Array;
  /** tree[k] (1-based) holds the sum of weights (k - lowbit(k), k]. */
  private readonly tree: Float64Array;
  /** Largest power of two <= n: where the descent in `find` starts. */
  private readonly top: number;
  private sum = 0;
  /**
   * Sets since the last rebuild. Adding deltas lets rounding error creep into the partial
   * sums; rebuilding from `weights` every n sets keeps it bounded at O(1) amortised cost.
   */
  private sets = 0;

  constructor(n: number) {
    this.n = n;
    this.weights = new Float64Array(n);
    let top = 1;
    while (top * 2 <= n) top *= 2;
    this.top = n === 0 ? 0 : top;
    // Room for every slot `find` may look at (up to 2 x top - 1), those past n never taken.
    this.tree = new Float64Array(Math.max(n + 1, 2 * top)).fill(PAST_END, n + 1);
  }

  /** Sum of all weights. */
  get total(): number {
    return this.sum;
  }

  /** Recomputes every partial sum from `weights` in O(n) (after bulk changes to `weights`). */
  rebuild(): void {
    this.sum = buildTree(this.tree, this.weights, this.n);
    this.sets = 0;
  }

  /** Sets the weight of item i (0-based). */
  set(i: number, w: number): void {
    const delta = w - this.weights[i];
    if (delta === 0) return;
    this.weights[i] = w;
    if (++this.sets >= this.n) {
      this.rebuild();
      return;
    }
    const { n, tree } = this;
    for (let k = i + 1; k <= n; k += k & -k) tree[k] += delta;
    this.sum += delta;
  }

  /** Sum of the weights of items 0..i-1. */
  prefix(i: number): number {
    let s = 0;
    for (let k = i; k > 0; k -= k & -k) s += this.tree[k];
    return s;
  }

  /**
   * The item whose cumulative interval [prefix(i), prefix(i + 1)) holds u, for u in
   * [0, total): with u = U x total it is drawn with probability weight / total. Items of
   * weight 0 are never returned; -1 when every weight is 0.
   */
  find(u: number): number {
    const { n, tree } = this;
    let pos = 0;
    let rest = u;
    // Without branches: whether a step is taken is a coin flip a branch mispredicts half the
    // time. take is 0 or 1, and rest - v x 1 and rest - v x 0 are exactly rest - v and rest.
    // Slots past n hold PAST_END, which no rest reaches (see the constructor).
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      const v = tree[next];
      const take = +(v <= rest);
      pos += step * take;
      rest -= v * take;
    }
    if (pos < n && this.weights[pos] > 0) return pos;
    // Rounding put u at or past the end (or on an item of weight 0): take the nearest item
    // with weight, which is where u would fall with exact arithmetic.
    for (let i = Math.min(pos, n - 1); i >= 0; i--) if (this.weights[i] > 0) return i;
    for (let i = pos + 1; i < n; i++) if (this.weights[i] > 0) return i;
    return -1;
  }
}

/**
 * Fills tree[1..n] with the partial sums of `weights` and returns their total. Apart from
 * rebuild() because, with the stores to `this` after the loop, V8 threw the optimised code
 * away at those stores on every rebuild (--trace-deopt: insufficient type feedback), so the
 * loop ran unoptimised: 5% of a card-fraud run. Here nothing follows the loop but the return.
 */
function buildTree(tree: Float64Array, weights: Float64Array, n: number): number {
  tree.fill(0, 0, n + 1);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    tree[k] += weights[k - 1];
    sum += weights[k - 1];
    const parent = k + (k & -k);
    if (parent <= n) tree[parent] += tree[k];
  }
  return sum;
}
