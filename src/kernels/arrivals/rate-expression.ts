/**
 * A rate given as an expression of time, thinned against `max_rate`. It is checked on a
 * one-minute grid over the whole run before anything runs (at most a million points), so
 * `scenario validate` reports a rate that goes negative, NaN or above its bound with the
 * time; every candidate of the run is checked the same way.
 */
import { DiagnosticError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { tableScope, type Compiled, type ExprContext } from '../../expr/compile.js';
import type { TimeModel } from '../../model/time.js';
import { runtimeError, shortNumber, siteAt, type Site } from './errors.js';
import { noRandom, withinLimit, type IntensityEnv } from './rate-checks.js';
import type { Intensity } from './intensity.js';

const HOURS = 24;
/** Most rate evaluations spent scanning an expression rate at compile time. */
const SCAN_POINTS = 1_000_000;
/** Finest scan step: one minute. */
const SCAN_PER_DAY = 1440;

/** What a rate expression reads. */
interface RateContext extends ExprContext {
  t: number;
  day: number;
  hour: number;
  tod: number;
}

/** A rate expression of `t`, `day`, `hour`, `time_of_day`, counts and params, thinned against `max_rate`. */
export function expressionRate(text: string, maxRate: number | undefined, env: IntensityEnv): Intensity | undefined {
  const { ctx, time, path } = env;
  const at = [...path, 'rate'];
  const scope = tableScope({ ...env.counts, t: 'c.t', day: 'c.day', hour: 'c.hour', time_of_day: 'c.tod' });
  const r = ctx.expr(text, at, scope);
  if (r.random) ctx.report('expr-unsupported', at, { detail: 'random draws are not allowed in a rate', expr: text });
  if (maxRate === undefined) {
    ctx.report('schema-missing-key', path, { key: 'max_rate', where: path.join('.') }, true);
    return undefined;
  }
  if (!r.fn || r.random) return undefined;
  // Candidates come at max_rate whatever the rate: they too must fit a day's budget.
  if (!withinLimit(maxRate * time.unitsPerDay, 'candidate arrivals (max_rate)', [...path, 'max_rate'], env)) return undefined;
  const rate = checkedRate(r.fn, maxRate, time, siteAt(ctx, at, text));
  const problems = scan(rate, time);
  if (problems) {
    ctx.diagnostics.push(...problems);
    return undefined;
  }
  return { pieces: 1, bounds: (_d, out) => out.fill(maxRate), rate, describe: { rate: text, maxRate } };
}

/** λ(t) from the compiled expression, throwing a located diagnostic when out of [0, bound]. */
export function checkedRate(fn: Compiled, bound: number, time: TimeModel, site: Site): (t: number) => number {
  const U = time.unitsPerDay;
  const c: RateContext = { r: noRandom, t: 0, day: 0, hour: 0, tod: 0 };
  return (t: number) => {
    c.t = t;
    c.day = Math.floor(t / U);
    c.tod = ((t - c.day * U) / U) * HOURS;
    c.hour = Math.floor(c.tod);
    const v = fn(c);
    if (typeof v !== 'number' || !(v >= 0 && v <= bound)) {
      const why = typeof v !== 'number' || v !== v ? 'is not a number' : v < 0 ? 'is negative' : `is above max_rate ${shortNumber(bound)}`;
      throw runtimeError(site, v, `rate at t = ${shortNumber(t)} (day ${c.day}, hour ${c.hour}) ${why}`, 'A rate must be a number >= 0 and <= max_rate at every time: fix the expression or raise max_rate.');
    }
    return v;
  };
}

/** Evaluates the rate on a grid over the whole run; the first failure's diagnostics, if any. */
function scan(rate: (t: number) => number, time: TimeModel): Diagnostic[] | undefined {
  const horizon = time.days * time.unitsPerDay;
  const points = Math.min(SCAN_POINTS, time.days * SCAN_PER_DAY);
  try {
    for (let i = 0; i < points; i++) rate((i / points) * horizon);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  return undefined;
}

