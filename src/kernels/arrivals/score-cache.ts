/**
 * Answers of a SpatialIndex for a score that reads nothing but price and distance (say
 * price x log(1 + distance)): such a score is the same function at every event, so which
 * members can win anywhere in a small square cell can be worked out once and kept.
 *
 * The plane around the members is cut into a fine grid. The first query in a cell finds,
 * through the index, U = min over members k of score(price_k, d(centre, k) + h), h the
 * cell's half-diagonal: every point q of the cell has a member scoring at most U. The cell
 * keeps the members with score(price_j, max(0, d(centre, j) - h)) <= U: the only ones that
 * can score U or less from q, hence every minimiser of every q, ties included. Later queries
 * in the cell score just those (typically a handful, against some 25 scores and 20 cells a
 * search) in index order, so the answer, its score and its distance are the search's own.
 * Both bounds rest on the monotonicity the index already assumes (see spatial-index.ts); h
 * is widened far beyond the rounding of distances. Queries outside the grid, cells where
 * the index saw a score break the assumption, and cells with many candidates (many ties),
 * are left to the index.
 *
 * Layout: one fixed record per cell, its count and up to INLINE candidates side by side (97%
 * of the cells of card-fraud-city have at most 7), so a query reads one cache line where a
 * table of (start, count) pairs plus a pool of candidates cost two misses one after the other.
 * Records are 16-bit when the members' indexes fit (16 bytes a record), else 32-bit.
 * Hand-written because it is on the hot path: one query per event that chooses by score.
 */
import type { Score, SpatialIndex } from './spatial-index.js';

/** Fine cells per member over the members' bounding square: small cells keep few candidates. */
const CELLS_PER_MEMBER = 4;
/** At most this many cells a side, whatever the population. */
const MAX_SIDE = 1024;
/** Below this many members a search is already cheap. */
const MIN_MEMBERS = 16;
/**
 * A cell with more candidates is left to the index: the cache would not pay, and a score
 * where many members tie everywhere (a constant, or price alone) would fill memory.
 */
const MAX_CANDIDATES = 32;
/**
 * Cells a side of a block: a cell's candidates are picked among its block's, found through
 * the index once per block rather than once per cell (a search costs far more than
 * scoring a block's few dozen candidates).
 */
const BLOCK = 4;
/** A block with more candidates is not used: its cells ask the index themselves. */
const MAX_BLOCK_CANDIDATES = 8 * MAX_CANDIDATES;
/** Same slack as the index: a bound within rounding of the limit is kept. */
const SLACK = 1e-12;
/** Slots of a cell's record: [0] its state, then up to INLINE candidates. */
const RECORD = 8;
const INLINE = RECORD - 1;
/** Record state: not built yet (records start zeroed). Built: candidates + 1. */
const UNBUILT = 0;
/** Record state: the cell is left to the index. */
const TO_INDEX = 0xffff;

/** Member indexes of a group, in records and pool: 16-bit when they fit (half the memory). */
type Indexes = Uint16Array | Int32Array;

/** What `argmin` returns when the query is not for the cache (the caller searches the index). */
export const NOT_CACHED = -2;

export class ScoreCache {
  /** Cells a side (0: no cache), their size and the grid's lower-left corner. */
  private readonly m: number;
  private readonly side: number;
  private readonly ox: number;
  private readonly oy: number;
  /** Half-diagonal of a cell, widened to cover rounding of coordinates and distances. */
  private readonly h: number;
  /**
   * Per cell k, the record at [RECORD k]: its state, then its candidates when there are at
   * most INLINE of them; with more, slots 1 and 2 hold where they start in the pool (low and
   * high 16 bits). Cells are hit at random, so records are small (member indexes only:
   * positions and prices are read from the members' arrays, which stay in cache).
   */
  private readonly cells: Indexes;
  /** Per block of BLOCK x BLOCK cells: its candidates once found (null: too many). */
  private readonly blocks: (Int32Array | null | undefined)[];
  private readonly blocksPerSide: number;
  /** Half-diagonal of a block, widened as h is. */
  private readonly blockHalf: number;
  /** Candidates of the built cells with more than INLINE, one after the other. */
  private pool: Indexes;
  private used = 0;
  /** Of the last answer, as SpatialIndex has them. */
  bestScore = Infinity;
  bestDistance = Infinity;
  violated = false;
  sawNaN = false;

  constructor(private readonly index: SpatialIndex, private readonly x: Float64Array, private readonly y: Float64Array, private readonly price: Float64Array) {
    const n = x.length;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, x[i]), maxX = Math.max(maxX, x[i]);
      minY = Math.min(minY, y[i]), maxY = Math.max(maxY, y[i]);
    }
    const extent = Math.max(maxX - minX, maxY - minY);
    // The grid covers the members' square widened by its side all round: events happen
    // around the members, and farther ones go to the index.
    this.m = n >= MIN_MEMBERS && extent > 0 && Number.isFinite(extent) ? Math.min(MAX_SIDE, 3 * Math.ceil(Math.sqrt(CELLS_PER_MEMBER * n))) : 0;
    this.side = (3 * extent) / Math.max(1, this.m);
    this.ox = (minX + maxX) / 2 - 1.5 * extent;
    this.oy = (minY + maxY) / 2 - 1.5 * extent;
    this.h = this.side * Math.SQRT1_2 * (1 + 1e-6) + 1e-12 * (Math.abs(this.ox) + Math.abs(this.oy) + 6 * extent);
    // 0xffff is TO_INDEX, never a member index in 16-bit records.
    const narrow = n < 0xffff;
    this.cells = narrow ? new Uint16Array(RECORD * this.m * this.m) : new Int32Array(RECORD * this.m * this.m);
    this.pool = narrow ? new Uint16Array(1024) : new Int32Array(1024);
    this.blocksPerSide = Math.ceil(this.m / BLOCK);
    this.blocks = new Array(this.blocksPerSide * this.blocksPerSide);
    this.blockHalf = BLOCK * this.side * Math.SQRT1_2 * (1 + 1e-6) + (this.h - this.side * Math.SQRT1_2 * (1 + 1e-6));
  }

  /**
   * The member minimising score(price, distance to (qx, qy)), ties to the lowest index, as
   * SpatialIndex.argmin gives it; NOT_CACHED when the index must be asked instead.
   */
  argmin(qx: number, qy: number, score: Score): number {
    const col = Math.floor((qx - this.ox) / this.side);
    const row = Math.floor((qy - this.oy) / this.side);
    if (!(col >= 0 && col < this.m && row >= 0 && row < this.m)) return NOT_CACHED;
    const k = RECORD * (row * this.m + col);
    const cells = this.cells;
    let state = cells[k];
    if (state === UNBUILT) state = this.build(k, col, row, score);
    if (state === TO_INDEX) return NOT_CACHED;
    const n = state - 1;
    // The candidates: in the record itself, or (more than INLINE) in the pool.
    const inline = n <= INLINE;
    const ids = inline ? cells : this.pool;
    const from = inline ? k + 1 : cells[k + 1] + cells[k + 2] * 0x10000;
    const { x, y, price } = this;
    let bs = Infinity;
    let bi = -1;
    let bd = Infinity;
    let bp = Infinity;
    let violated = false;
    let nan = false;
    for (let t = from, end = from + n; t < end; t++) {
      const i = ids[t];
      const ex = x[i] - qx;
      const ey = y[i] - qy;
      const d = Math.sqrt(ex * ex + ey * ey);
      const p = price[i];
      // At least as dear and as far as the best, and after it in index order: it cannot win
      // (ties keep the first), so it is not scored, as the index's own scan does.
      if (p >= bp && d >= bd) continue;
      const s = score(p, d);
      if (s !== s) {
        nan = true;
        continue;
      }
      // A member cheaper and nearer than the best scoring above it breaks monotonicity.
      if (p <= bp && d <= bd && s - bs > SLACK * Math.abs(bs)) violated = true;
      // Candidates ascend by index: a tie keeps the first, the lowest index.
      if (s < bs) {
        bs = s;
        bi = i;
        bd = d;
        bp = p;
      }
    }
    this.bestScore = bs;
    this.bestDistance = bd;
    this.violated = violated;
    this.sawNaN = nan;
    return bi;
  }

  /**
   * Finds the candidates of the cell whose record is at cells[k] and stores them; returns
   * the record's state. They are picked among its block's candidates (see blockCandidates),
   * or found through the index when the block has none to offer.
   */
  private build(k: number, col: number, row: number, score: Score): number {
    const { h, cells } = this;
    const cx = this.ox + (col + 0.5) * this.side;
    const cy = this.oy + (row + 0.5) * this.side;
    const block = this.blockCandidates(col, row, score);
    const ids = block ? this.fromBlock(block, cx, cy, score) : this.fromIndex(cx, cy, h, score, MAX_CANDIDATES);
    if (ids === undefined || ids.length > MAX_CANDIDATES) return (cells[k] = TO_INDEX);
    if (ids.length <= INLINE) {
      cells.set(ids, k + 1);
    } else {
      this.reserve(ids.length);
      const at = this.used;
      this.pool.set(ids, at);
      this.used += ids.length;
      cells[k + 1] = at & 0xffff;
      cells[k + 2] = Math.floor(at / 0x10000);
    }
    return (cells[k] = ids.length + 1);
  }

  /**
   * The members that can win somewhere in the square of centre (cx, cy) and half-diagonal
   * `half`, ascending (the cell rule above applied to any square); undefined when the index
   * saw a score break the assumption, or there are more than `max`.
   */
  private fromIndex(cx: number, cy: number, half: number, score: Score, max: number): number[] | undefined {
    const { index } = this;
    const best = index.argmin(cx, cy, (p, d) => score(p, d + half));
    if (best < 0 || index.violated || index.sawNaN) return undefined;
    const ids = index.collect(cx, cy, (p, d) => score(p, d > half ? d - half : 0), index.bestScore, max);
    return ids.length > max ? undefined : ids;
  }

  /**
   * The candidates of the block of BLOCK x BLOCK cells holding (col, row), found once per
   * block: every member that can win somewhere in the block, hence in any of its cells.
   * Undefined when the block has too many (its cells then ask the index one by one).
   */
  private blockCandidates(col: number, row: number, score: Score): Int32Array | undefined {
    const bc = Math.floor(col / BLOCK);
    const br = Math.floor(row / BLOCK);
    const b = br * this.blocksPerSide + bc;
    let list = this.blocks[b];
    if (list === undefined) {
      const cx = this.ox + (bc + 0.5) * BLOCK * this.side;
      const cy = this.oy + (br + 0.5) * BLOCK * this.side;
      const ids = this.fromIndex(cx, cy, this.blockHalf, score, MAX_BLOCK_CANDIDATES);
      list = this.blocks[b] = ids ? Int32Array.from(ids) : null;
    }
    return list ?? undefined;
  }

  /**
   * The cell rule applied to the block's candidates only: U is the least bound among them
   * (at least the true least bound, so still a score every point of the cell can reach),
   * and a candidate is kept when its lower bound does not exceed U. Every winner anywhere in
   * the cell is in the block's list and passes, so the cell's answers are the index's own.
   * Undefined when a score is NaN (the cell is left to the index, which reports it).
   */
  private fromBlock(block: Int32Array, cx: number, cy: number, score: Score): number[] | undefined {
    const { x, y, price, h } = this;
    const d = new Float64Array(block.length);
    let limit = Infinity;
    for (let t = 0; t < block.length; t++) {
      const i = block[t];
      const ex = x[i] - cx;
      const ey = y[i] - cy;
      d[t] = Math.sqrt(ex * ex + ey * ey);
      const u = score(price[i], d[t] + h);
      if (u !== u) return undefined;
      if (u < limit) limit = u;
    }
    const ids: number[] = [];
    for (let t = 0; t < block.length; t++) {
      const low = score(price[block[t]], d[t] > h ? d[t] - h : 0);
      if (low !== low) return undefined;
      // As the index's collect: kept unless beyond the limit by more than rounding.
      if (!(low - limit > SLACK * Math.abs(limit))) ids.push(block[t]);
    }
    return ids;
  }

  private reserve(n: number): void {
    if (this.used + n <= this.pool.length) return;
    const size = Math.max(2 * this.pool.length, this.used + n);
    const grown = this.pool instanceof Uint16Array ? new Uint16Array(size) : new Int32Array(size);
    grown.set(this.pool.subarray(0, this.used));
    this.pool = grown;
  }
}
