/**
 * The declared intensity of an arrivals process as expected events per time bin: the
 * integral of the compiled rate λ(t) over each bin. It evaluates the Intensity the kernel
 * compiled (kernels/arrivals/intensity.ts), so the report reads the rate exactly as the run
 * did, never a second reading of the expression language.
 */
import type { Intensity } from '../kernels/arrivals/intensity.js';
import { widthFor } from './bins.js';

/** Most rate evaluations spent integrating an expression rate (its compile-time scan spends as many). */
const EVALUATIONS = 1_000_000;

export interface RunClock {
  /** Scenario time units per day. */
  unitsPerDay: number;
  days: number;
}

/** The bin width for a run, in scenario units, and its name. */
export function binWidth(clock: RunClock): { width: number; name: string } {
  const unitSec = 86400 / clock.unitsPerDay;
  const horizonSec = clock.days * 86400;
  const [name, sec] = widthFor(horizonSec);
  return { width: sec / unitSec, name };
}

/** Bins of `width` covering the run [0, days x unitsPerDay); the last one may be cut short. */
export function binCount(clock: RunClock, width: number): number {
  return Math.ceil((clock.days * clock.unitsPerDay) / width - 1e-9);
}

/**
 * Expected arrivals in each bin [i w, (i + 1) w) of the run (cut at its end): the integral
 * of λ. A rate given by pieces (a constant, an hour-of-day table) is integrated exactly; an
 * expression rate by the composite midpoint rule, steps of at most one minute (fewer when a
 * long run would need more than a million evaluations), which is exact for a rate linear
 * within a step.
 */
export function expectedPerBin(intensity: Intensity, clock: RunClock, width: number): number[] {
  const horizon = clock.days * clock.unitsPerDay;
  const n = binCount(clock, width);
  const out = new Array<number>(n).fill(0);
  if (intensity.rate) {
    const rate = intensity.rate;
    const minute = clock.unitsPerDay / 1440;
    const steps = Math.max(1, Math.min(Math.ceil(width / minute - 1e-9), Math.floor(EVALUATIONS / n)));
    for (let i = 0; i < n; i++) {
      const a = i * width;
      const b = Math.min(horizon, a + width);
      const h = (b - a) / steps;
      let sum = 0;
      for (let k = 0; k < steps; k++) sum += rate(a + (k + 0.5) * h);
      out[i] = sum * h;
    }
    return out;
  }
  // Piecewise constant: spread each piece's rate x overlap over the bins it covers.
  const piece = clock.unitsPerDay / intensity.pieces;
  const bounds = new Float64Array(intensity.pieces);
  for (let d = 0; d < clock.days; d++) {
    intensity.bounds(d, bounds);
    for (let p = 0; p < intensity.pieces; p++) {
      if (bounds[p] === 0) continue;
      const s = d * clock.unitsPerDay + p * piece;
      const e = p + 1 === intensity.pieces ? (d + 1) * clock.unitsPerDay : s + piece;
      for (let i = Math.floor(s / width); i < n && i * width < e; i++) {
        const overlap = Math.min(e, (i + 1) * width, horizon) - Math.max(s, i * width);
        if (overlap > 0) out[i] += bounds[p] * overlap;
      }
    }
  }
  return out;
}

/** Expected arrivals per hour of the day (0..23), summed over every day of the run. */
export function expectedPerHourOfDay(intensity: Intensity, clock: RunClock): number[] {
  const hourly = expectedPerBin(intensity, clock, clock.unitsPerDay / 24);
  const out = new Array<number>(24).fill(0);
  hourly.forEach((x, i) => (out[i % 24] += x));
  return out;
}
