/**
 * A uniform grid over points that each carry a price, answering "which point minimises
 * score(price, distance) from here?" without looking at every point. Cells are visited in
 * square rings around the query's cell; a ring is skipped, and the search stops, once a
 * lower bound of the score over everything not yet seen exceeds the best score found.
 *
 * The bounds assume score(price, distance) never decreases when price or distance grows
 * (true of cost-like scores such as price x log(1 + distance) with non-negative prices).
 * A candidate scoring below the bound of its own cell proves the assumption false; that is
 * recorded in `violated` so the caller can report it instead of returning a wrong minimum.
 * Hand-written because it is on the hot path: one query per event that chooses by score.
 */
export type Score = (price: number, distance: number) => number;

/** Target points per cell: small cells prune well, too small ones cost ring overhead. */
const PER_CELL = 2;
/**
 * Relative slack on bound comparisons: a bound is computed from cell edges and a score
 * from the point itself, so the two may differ by rounding. Pruning less is always safe.
 */
const SLACK = 1e-12;

/** True when `bound` exceeds `best` by more than rounding could explain. */
function beyond(bound: number, best: number): boolean {
  return bound - best > SLACK * Math.abs(best);
}

export class GridIndex {
  readonly size: number;
  /** Item index -> position, price (input order). */
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly price: Float64Array;
  private readonly x0: number;
  private readonly y0: number;
  private readonly cell: number;
  private readonly nx: number;
  private readonly ny: number;
  /** Items of cell k are order[start[k] .. start[k + 1]), ascending item index. */
  private readonly start: Int32Array;
  private readonly order: Int32Array;
  /** Cheapest price per cell (Infinity when empty) and overall. */
  private readonly cellMinPrice: Float64Array;
  private readonly minPrice: number;

  /** Score and distance of the last `argmin` answer. */
  bestScore = Number.POSITIVE_INFINITY;
  bestDistance = Number.POSITIVE_INFINITY;
  /** Set when a score broke the monotonicity assumption, or was NaN. */
  violated = false;
  sawNaN = false;

  constructor(x: Float64Array, y: Float64Array, price: Float64Array) {
    const n = x.length;
    this.size = n;
    this.x = x;
    this.y = y;
    this.price = price;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, minP = Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, x[i]), maxX = Math.max(maxX, x[i]);
      minY = Math.min(minY, y[i]), maxY = Math.max(maxY, y[i]);
      minP = Math.min(minP, price[i]);
    }
    if (n === 0) (minX = minY = maxX = maxY = 0);
    const w = maxX - minX;
    const h = maxY - minY;
    const cells = Math.max(1, Math.ceil(n / PER_CELL));
    const area = Math.max(w, 1e-9) * Math.max(h, 1e-9);
    let cell = Math.sqrt(area / cells);
    if (!(cell > 0) || !Number.isFinite(cell)) cell = 1;
    // A degenerate spread (all points on a line) would give a huge count of thin cells.
    cell = Math.max(cell, Math.max(w, h) / Math.max(1, cells));
    this.x0 = minX;
    this.y0 = minY;
    this.cell = cell;
    this.nx = Math.max(1, Math.min(cells, Math.floor(w / cell) + 1));
    this.ny = Math.max(1, Math.min(cells, Math.floor(h / cell) + 1));
    this.minPrice = minP;
    const count = new Int32Array(this.nx * this.ny + 1);
    const cellOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      cellOf[i] = this.cellIndex(this.col(x[i]), this.row(y[i]));
      count[cellOf[i] + 1]++;
    }
    for (let k = 1; k < count.length; k++) count[k] += count[k - 1];
    this.start = count.slice();
    this.order = new Int32Array(n);
    const fill = count; // reused as the write cursor of each cell
    for (let i = 0; i < n; i++) this.order[fill[cellOf[i]]++] = i;
    this.cellMinPrice = new Float64Array(this.nx * this.ny).fill(Infinity);
    for (let i = 0; i < n; i++) this.cellMinPrice[cellOf[i]] = Math.min(this.cellMinPrice[cellOf[i]], price[i]);
  }

  private col(px: number): number {
    const c = Math.floor((px - this.x0) / this.cell);
    return c < 0 ? 0 : c >= this.nx ? this.nx - 1 : c;
  }

  private row(py: number): number {
    const r = Math.floor((py - this.y0) / this.cell);
    return r < 0 ? 0 : r >= this.ny ? this.ny - 1 : r;
  }

  private cellIndex(col: number, row: number): number {
    return row * this.nx + col;
  }

  /**
   * The item minimising score(price, distance to (qx, qy)); ties go to the lowest item
   * index, as a scan in index order would. -1 when the index is empty or every score is NaN.
   */
  argmin(qx: number, qy: number, score: Score): number {
    const { nx, ny, cell, x0, y0 } = this;
    let best = Infinity;
    let bestItem = -1;
    let bestDist = Infinity;
    if (this.size === 0) return this.done(best, bestDist, bestItem);
    const cx = this.col(qx);
    const cy = this.row(qy);
    // Distance from q to the border of its own cell: every cell in ring r >= 1 is at least
    // (r - 1) cells plus this margin away. Clamped at 0 when q lies outside the grid.
    const left = x0 + cx * cell;
    const bottom = y0 + cy * cell;
    const margin = Math.max(0, Math.min(qx - left, left + cell - qx, qy - bottom, bottom + cell - qy));
    const rings = Math.max(cx, nx - 1 - cx, cy, ny - 1 - cy);
    for (let r = 0; r <= rings; r++) {
      if (r > 0 && beyond(score(this.minPrice, (r - 1) * cell + margin), best)) break;
      const rowFrom = Math.max(0, cy - r);
      const rowTo = Math.min(ny - 1, cy + r);
      for (let row = rowFrom; row <= rowTo; row++) {
        const edgeRow = row === cy - r || row === cy + r;
        // Inside the ring's rows only the two end columns belong to ring r.
        const step = edgeRow || r === 0 ? 1 : 2 * r;
        for (let col = cx - r; col <= cx + r; col += step) {
          if (col < 0 || col >= nx) continue;
          const k = row * nx + col;
          const from = this.start[k];
          const to = this.start[k + 1];
          if (from === to) continue;
          const dx = Math.max(0, x0 + col * cell - qx, qx - (x0 + (col + 1) * cell));
          const dy = Math.max(0, y0 + row * cell - qy, qy - (y0 + (row + 1) * cell));
          const bound = score(this.cellMinPrice[k], Math.sqrt(dx * dx + dy * dy));
          if (beyond(bound, best)) continue;
          for (let j = from; j < to; j++) {
            const item = this.order[j];
            const ex = this.x[item] - qx;
            const ey = this.y[item] - qy;
            const d = Math.sqrt(ex * ex + ey * ey);
            const s = score(this.price[item], d);
            if (s !== s) {
              this.sawNaN = true;
              continue;
            }
            if (bound - s > SLACK * Math.abs(bound)) this.violated = true;
            if (s < best || (s === best && item < bestItem)) {
              best = s;
              bestItem = item;
              bestDist = d;
            }
          }
        }
      }
    }
    return this.done(best, bestDist, bestItem);
  }

  private done(best: number, dist: number, item: number): number {
    this.bestScore = best;
    this.bestDistance = dist;
    return item;
  }
}
