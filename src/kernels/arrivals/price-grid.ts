/**
 * One price band of a SpatialIndex: a uniform grid over its points, searched in square
 * rings of cells around the query, pruned by lower bounds of the score (see
 * spatial-index.ts for the assumption the bounds rest on).
 */
export type Score = (price: number, distance: number) => number;

/** The search state shared by the bands of one query. */
export interface Best {
  score: number;
  item: number;
  distance: number;
  price: number;
  violated: boolean;
  nan: boolean;
}

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

/**
 * Whether everything at price >= `price` and distance >= `distance` scores above the best.
 * When the best point itself is at least as dear and as far, the bound cannot exceed its
 * score (monotonicity), so the score is not even computed: near the query most bounds are.
 */
function prunes(price: number, distance: number, score: Score, best: Best): boolean {
  if (price <= best.price && distance <= best.distance) return false;
  return beyond(score(price, distance), best.score);
}

/** Distance from (qx, qy) to the rectangle [x0, x1] x [y0, y1]. */
function rectDistance(qx: number, qy: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = qx < x0 ? x0 - qx : qx > x1 ? qx - x1 : 0;
  const dy = qy < y0 ? y0 - qy : qy > y1 ? qy - y1 : 0;
  return Math.sqrt(dx * dx + dy * dy);
}

export class PriceGrid {
  /** The band's points: original index, position and price, in cell order. */
  private readonly id: Int32Array;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly price: Float64Array;
  /** Points of cell k are [start[k], start[k + 1]). */
  private readonly start: Int32Array;
  /** Cheapest price per cell (Infinity when empty) and in the band. */
  private readonly cellMinPrice: Float64Array;
  private readonly minPrice: number;
  private readonly x0: number;
  private readonly y0: number;
  private readonly cell: number;
  private readonly nx: number;
  private readonly ny: number;

  /** `ids`: the band's points as indexes into x, y and price, ascending. */
  constructor(ids: Int32Array, x: Float64Array, y: Float64Array, price: Float64Array) {
    const n = ids.length;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, minP = Infinity;
    for (const i of ids) {
      minX = Math.min(minX, x[i]), maxX = Math.max(maxX, x[i]);
      minY = Math.min(minY, y[i]), maxY = Math.max(maxY, y[i]);
      minP = Math.min(minP, price[i]);
    }
    if (n === 0) minX = minY = maxX = maxY = 0;
    const w = maxX - minX;
    const h = maxY - minY;
    const cells = Math.max(1, Math.ceil(n / PER_CELL));
    let cell = Math.sqrt((Math.max(w, 1e-9) * Math.max(h, 1e-9)) / cells);
    if (!(cell > 0) || !Number.isFinite(cell)) cell = 1;
    // Points spread along a line would otherwise give a huge count of thin cells.
    cell = Math.max(cell, Math.max(w, h) / cells);
    this.x0 = minX;
    this.y0 = minY;
    this.cell = cell;
    this.nx = Math.max(1, Math.min(cells, Math.floor(w / cell) + 1));
    this.ny = Math.max(1, Math.min(cells, Math.floor(h / cell) + 1));
    this.minPrice = minP;
    const cellOf = Int32Array.from(ids, (i) => this.col(x[i]) + this.row(y[i]) * this.nx);
    const start = new Int32Array(this.nx * this.ny + 1);
    for (const k of cellOf) start[k + 1]++;
    for (let k = 1; k < start.length; k++) start[k] += start[k - 1];
    this.start = start.slice();
    this.id = new Int32Array(n);
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.price = new Float64Array(n);
    this.cellMinPrice = new Float64Array(this.nx * this.ny).fill(Infinity);
    // Ids ascend, so each cell lists its points in index order (ties resolve as a scan would).
    for (let j = 0; j < n; j++) {
      const k = cellOf[j];
      const at = start[k]++;
      const i = ids[j];
      this.id[at] = i;
      this.x[at] = x[i];
      this.y[at] = y[i];
      this.price[at] = price[i];
      this.cellMinPrice[k] = Math.min(this.cellMinPrice[k], price[i]);
    }
  }

  private col(px: number): number {
    const c = Math.floor((px - this.x0) / this.cell);
    return c < 0 ? 0 : c >= this.nx ? this.nx - 1 : c;
  }

  private row(py: number): number {
    const r = Math.floor((py - this.y0) / this.cell);
    return r < 0 ? 0 : r >= this.ny ? this.ny - 1 : r;
  }

  /**
   * Distance from q to the cells outside the block of rings < r around (cx, cy): a lower
   * bound for every cell of ring r and beyond, -1 when no such cell exists.
   */
  private beyondRing(qx: number, qy: number, cx: number, cy: number, r: number): number {
    const { x0, y0, cell, nx, ny } = this;
    const x1 = x0 + nx * cell;
    const y1 = y0 + ny * cell;
    let d = Infinity;
    if (cx - r >= 0) d = Math.min(d, rectDistance(qx, qy, x0, y0, x0 + (cx - r + 1) * cell, y1));
    if (cx + r < nx) d = Math.min(d, rectDistance(qx, qy, x0 + (cx + r) * cell, y0, x1, y1));
    if (cy - r >= 0) d = Math.min(d, rectDistance(qx, qy, x0, y0, x1, y0 + (cy - r + 1) * cell));
    if (cy + r < ny) d = Math.min(d, rectDistance(qx, qy, x0, y0 + (cy + r) * cell, x1, y1));
    return d === Infinity ? -1 : d;
  }

  /** Improves `best` with this band's points. */
  improve(qx: number, qy: number, score: Score, best: Best): void {
    const { nx, ny, cell, x0, y0 } = this;
    if (this.id.length === 0) return;
    if (prunes(this.minPrice, rectDistance(qx, qy, x0, y0, x0 + nx * cell, y0 + ny * cell), score, best)) return;
    const cx = this.col(qx);
    const cy = this.row(qy);
    for (let r = 0; ; r++) {
      if (r > 0) {
        const d = this.beyondRing(qx, qy, cx, cy, r);
        if (d < 0 || prunes(this.minPrice, d, score, best)) return;
      }
      const rowFrom = Math.max(0, cy - r);
      const rowTo = Math.min(ny - 1, cy + r);
      for (let row = rowFrom; row <= rowTo; row++) {
        // Inside the ring's rows only the two end columns belong to ring r.
        const step = row === cy - r || row === cy + r ? 1 : 2 * r;
        for (let col = cx - r; col <= cx + r; col += step) {
          if (col < 0 || col >= nx) continue;
          const k = row * nx + col;
          const from = this.start[k];
          const to = this.start[k + 1];
          if (from === to) continue;
          const left = x0 + col * cell;
          const bottom = y0 + row * cell;
          if (prunes(this.cellMinPrice[k], rectDistance(qx, qy, left, bottom, left + cell, bottom + cell), score, best)) continue;
          this.scan(from, to, qx, qy, score, best);
        }
      }
    }
  }

  /**
   * Appends to `out` the index of every point whose `bound(price, distance)` does not exceed
   * `limit` by more than rounding (pruning by cells and rings as `improve` does; `bound`
   * must never decrease when price or distance grows). Stops once `out` holds more than `max`.
   */
  collect(qx: number, qy: number, bound: Score, limit: number, out: number[], max: number): void {
    const { nx, ny, cell, x0, y0 } = this;
    if (this.id.length === 0) return;
    if (beyond(bound(this.minPrice, rectDistance(qx, qy, x0, y0, x0 + nx * cell, y0 + ny * cell)), limit)) return;
    const cx = this.col(qx);
    const cy = this.row(qy);
    for (let r = 0; ; r++) {
      if (r > 0) {
        const d = this.beyondRing(qx, qy, cx, cy, r);
        if (d < 0 || beyond(bound(this.minPrice, d), limit)) return;
      }
      for (let row = Math.max(0, cy - r); row <= Math.min(ny - 1, cy + r); row++) {
        const step = row === cy - r || row === cy + r ? 1 : 2 * r;
        for (let col = cx - r; col <= cx + r; col += step) {
          if (col < 0 || col >= nx) continue;
          const k = row * nx + col;
          const left = x0 + col * cell;
          const bottom = y0 + row * cell;
          if (this.start[k] === this.start[k + 1] || beyond(bound(this.cellMinPrice[k], rectDistance(qx, qy, left, bottom, left + cell, bottom + cell)), limit)) continue;
          for (let j = this.start[k]; j < this.start[k + 1]; j++) {
            const ex = this.x[j] - qx;
            const ey = this.y[j] - qy;
            if (!beyond(bound(this.price[j], Math.sqrt(ex * ex + ey * ey)), limit)) out.push(this.id[j]);
          }
          if (out.length > max) return;
        }
      }
    }
  }

  /**
   * Scores the points [from, to) of a cell. A point at least as dear and as far as the best
   * cannot beat it, and loses a tie when its index is higher: it is skipped unscored.
   */
  private scan(from: number, to: number, qx: number, qy: number, score: Score, best: Best): void {
    for (let j = from; j < to; j++) {
      const ex = this.x[j] - qx;
      const ey = this.y[j] - qy;
      const d = Math.sqrt(ex * ex + ey * ey);
      const price = this.price[j];
      const item = this.id[j];
      if (price >= best.price && d >= best.distance && item > best.item) continue;
      const s = score(price, d);
      if (s !== s) {
        best.nan = true;
        continue;
      }
      // A point cheaper and nearer than the best scoring above it breaks monotonicity.
      if (price <= best.price && d <= best.distance && s - best.score > SLACK * Math.abs(best.score)) best.violated = true;
      if (s < best.score || (s === best.score && item < best.item)) {
        best.score = s;
        best.item = item;
        best.distance = d;
        best.price = price;
      }
    }
  }
}
