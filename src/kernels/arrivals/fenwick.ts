/**
 * A Fenwick (binary indexed) tree of non-negative weights: O(log n) to change one weight and
 * O(log n) to draw an index with probability proportional to its weight. Hand-written
 * because it is on the hot path: every arrival draws an actor and every accepted event
 * changes one actor's weight.
 */
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
    this.tree = new Float64Array(n + 1);
    let top = 1;
    while (top * 2 <= n) top *= 2;
    this.top = n === 0 ? 0 : top;
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
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= n && tree[next] <= rest) {
        pos = next;
        rest -= tree[next];
      }
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
  tree.fill(0);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    tree[k] += weights[k - 1];
    sum += weights[k - 1];
    const parent = k + (k & -k);
    if (parent <= n) tree[parent] += tree[k];
  }
  return sum;
}
