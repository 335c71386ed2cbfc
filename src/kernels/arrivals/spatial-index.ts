/**
 * Which point minimises score(price, distance) from a query point, without looking at
 * every point. Points are split into price bands (cheapest first), each a uniform grid.
 * Within a band, cells are visited in square rings around the query's cell; a cell is
 * skipped, and the band's search stops, once a lower bound of the score over what is left
 * exceeds the best score found; a band is skipped whole when its bound already does.
 * Bands matter for scores where price weighs more than distance (price x log(1 + d)):
 * far from every point, a cheap band settles the answer and dearer bands are pruned.
 *
 * The bounds assume score(price, distance) never decreases when price or distance grows
 * (true of cost-like scores such as price x log(1 + distance) with prices >= 0). The same
 * assumption lets points and cells that are both dearer and farther than the best so far
 * be passed over without scoring them. A point cheaper and nearer than the best that scores
 * above it proves the assumption false; that is recorded in `violated` so the caller can
 * report it instead of returning a wrong minimum.
 * Hand-written because it is on the hot path: one query per event that chooses by score.
 */
import { PriceGrid, type Best, type Score } from './price-grid.js';

export type { Score } from './price-grid.js';

/** Points per band at least; fewer points gain nothing from banding. */
const MIN_BAND = 64;
const MAX_BANDS = 2;

export class SpatialIndex {
  readonly size: number;
  private readonly bands: PriceGrid[];
  private readonly best: Best = { score: Infinity, item: -1, distance: Infinity, price: Infinity, violated: false, nan: false };

  constructor(x: Float64Array, y: Float64Array, price: Float64Array) {
    const n = x.length;
    this.size = n;
    const byPrice = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => price[a] - price[b] || a - b);
    const distinct = n > 0 && price[byPrice[0]] !== price[byPrice[n - 1]];
    const count = distinct ? Math.max(1, Math.min(MAX_BANDS, Math.floor(n / MIN_BAND))) : 1;
    this.bands = [];
    for (let b = 0; b < count; b++) {
      const ids = byPrice.slice(Math.floor((b * n) / count), Math.floor(((b + 1) * n) / count)).sort();
      if (ids.length > 0 || n === 0) this.bands.push(new PriceGrid(ids, x, y, price));
    }
  }

  /** Score and distance of the last answer; whether a score broke the assumption or was NaN. */
  get bestScore(): number {
    return this.best.score;
  }
  get bestDistance(): number {
    return this.best.distance;
  }
  get violated(): boolean {
    return this.best.violated;
  }
  get sawNaN(): boolean {
    return this.best.nan;
  }

  /**
   * The points whose `bound(price, distance to (qx, qy))` does not exceed `limit`, ascending;
   * only some of them (more than `max`) when there are more than `max`.
   */
  collect(qx: number, qy: number, bound: Score, limit: number, max = Infinity): number[] {
    const out: number[] = [];
    for (let b = 0; b < this.bands.length && out.length <= max; b++) this.bands[b].collect(qx, qy, bound, limit, out, max);
    return out.sort((a, b) => a - b);
  }

  /**
   * The point minimising score(price, distance to (qx, qy)); ties go to the lowest index,
   * as a scan in index order would. -1 when there is no point or every score is NaN.
   */
  argmin(qx: number, qy: number, score: Score): number {
    const best = this.best;
    best.score = Infinity;
    best.item = -1;
    best.distance = Infinity;
    best.price = Infinity;
    best.violated = false;
    best.nan = false;
    for (let b = 0; b < this.bands.length; b++) this.bands[b].improve(qx, qy, score, best);
    return best.item;
  }
}
