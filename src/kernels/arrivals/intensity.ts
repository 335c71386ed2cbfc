/**
 * Arrival times of a non-homogeneous Poisson process, day by day. A day is cut into pieces
 * (24 hours for an hour-of-day table, one piece otherwise), each with a bound on the rate.
 * Candidates come from a homogeneous process at the piece's bound; each is kept with
 * probability rate(t) / bound (Lewis-Shedler thinning). A candidate falling past the end
 * of its piece restarts the next piece at its start, which is exact because exponential
 * gaps are memoryless. For a table the bound is the rate itself, so nothing is thinned.
 */
import type { Rng } from '../../rng/index.js';
import { zigguratExponential } from '../../rng/ziggurat.js';

export interface Intensity {
  /** Pieces per day (24 for an hour-of-day table, 1 otherwise). */
  pieces: number;
  /** Fills `out` (one entry per piece) with the rate bounds of day d, in events per time unit; throws a located diagnostic when the day's rate is unusable. */
  bounds(day: number, out: Float64Array): void;
  /** The rate at time t, when candidates are thinned against the bound; it throws when the rate is out of range. */
  rate?: (t: number) => number;
  /** Expected arrivals on day d, when known without sampling (tables and constants). */
  perDay?: (day: number) => number;
  /** What `scenario plan` shows. */
  describe: Record<string, unknown>;
}

/** Yields the arrival times of one day in increasing order; reused from day to day. */
export class ArrivalClock {
  private readonly pieceLength: number;
  private readonly bound: Float64Array;
  private r: Rng = () => 0;
  private dayStart = 0;
  private piece = 0;
  private t = 0;
  private end = 0;

  constructor(private readonly intensity: Intensity, private readonly unitsPerDay: number) {
    this.pieceLength = unitsPerDay / intensity.pieces;
    this.bound = new Float64Array(intensity.pieces);
  }

  /** Starts day `d`, drawing from `r`. */
  startDay(d: number, r: Rng): void {
    this.intensity.bounds(d, this.bound);
    this.r = r;
    this.dayStart = d * this.unitsPerDay;
    this.piece = 0;
    this.t = this.dayStart;
    this.end = this.dayStart + this.pieceLength;
  }

  /** The next arrival time of the day, or Infinity when the day has no more. */
  next(): number {
    const { rate, pieces } = this.intensity;
    const r = this.r;
    for (;;) {
      if (this.piece >= pieces) return Number.POSITIVE_INFINITY;
      const b = this.bound[this.piece];
      const t = b > 0 ? this.t + zigguratExponential(r) / b : Number.POSITIVE_INFINITY;
      if (t >= this.end) {
        this.piece++;
        this.t = this.end;
        // From the day start, not by adding lengths up, so pieces end exactly on the hour.
        this.end = this.piece + 1 === pieces ? this.dayStart + this.unitsPerDay : this.dayStart + (this.piece + 1) * this.pieceLength;
        continue;
      }
      this.t = t;
      if (rate === undefined || r() * b < rate(t)) return t;
    }
  }
}
