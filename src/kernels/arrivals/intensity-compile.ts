/**
 * Compiles `rate:` (with `max_rate:`) into an Intensity, checking it where it can be
 * checked before a run: table entries and daily totals are evaluated for every hour and
 * day, and a rate expression is scanned on a fine grid of times, so `scenario validate`
 * already reports a rate that goes negative, NaN or above its bound, with the time.
 */
import { DiagnosticError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { tableScope, type Compiled, type ExprContext } from '../../expr/compile.js';
import type { AnalysisContext } from '../../model/context.js';
import type { TimeModel } from '../../model/time.js';
import type { Path } from '../../phases/1-parse/index.js';
import { runtimeError, shortNumber, siteAt } from './errors.js';
import type { Intensity } from './intensity.js';

const HOURS = 24;
/** Most rate evaluations spent scanning an expression rate at compile time. */
const SCAN_POINTS = 1_000_000;
/** Finest scan step: one minute. */
const SCAN_PER_DAY = 1440;

export interface IntensityEnv {
  ctx: AnalysisContext;
  time: TimeModel;
  /** `count.<actor>` -> the actor's count, as code. */
  counts: Record<string, string>;
  /** Path of the process body. */
  path: Path;
}

/** What a rate expression reads. */
interface RateContext extends ExprContext {
  r: () => number;
  t: number;
  day: number;
  hour: number;
  tod: number;
}

const noRandom = () => 0;

export function compileIntensity(spec: any, maxRateSpec: unknown, env: IntensityEnv): Intensity | undefined {
  const { ctx, time, path } = env;
  const days = time.days;
  const maxRate = maxRateSpec === undefined ? undefined : constant(maxRateSpec, [...path, 'max_rate'], 'max_rate', env);
  if (maxRate !== undefined && !(maxRate > 0 && Number.isFinite(maxRate))) {
    ctx.report('expr-runtime', [...path, 'max_rate'], { expr: String(maxRateSpec), value: String(maxRate), context: 'max_rate', hint: 'max_rate must be a finite number > 0, in events per time unit.' });
    return undefined;
  }
  if (typeof spec === 'number') {
    if (maxRate !== undefined && spec > maxRate) reportAbove([...path, 'rate'], spec, spec, maxRate, 'the constant rate', env);
    const bound = new Float64Array(days).fill(spec);
    return { pieces: 1, bound, perDay: new Float64Array(days).fill(spec * time.unitsPerDay), describe: { rate: spec } };
  }
  if (typeof spec === 'string') return expressionRate(spec, maxRate, env);
  return hourlyTable(spec, maxRate, env);
}

/** A number, or an expression of counts evaluated once. */
function constant(v: unknown, at: Path, what: string, env: IntensityEnv): number | undefined {
  if (typeof v === 'number') return v;
  const r = env.ctx.expr(String(v), at, tableScope(env.counts));
  if (r.random) env.ctx.report('expr-unsupported', at, { detail: `random draws are not allowed in ${what}`, expr: String(v) });
  return r.fn && !r.random ? Number(r.fn({ r: noRandom })) : undefined;
}

function hourlyTable(spec: { hourly: unknown[] | string; per_day?: number | string }, maxRate: number | undefined, env: IntensityEnv): Intensity | undefined {
  const { ctx, time, path } = env;
  const at = [...path, 'rate', 'hourly'];
  const weights = new Float64Array(HOURS);
  const hourScope = tableScope({ ...env.counts, hour: 'c.hour' });
  const single = typeof spec.hourly === 'string' ? ctx.expr(spec.hourly, at, hourScope) : undefined;
  for (let h = 0; h < HOURS; h++) {
    const entry = typeof spec.hourly === 'string' ? spec.hourly : spec.hourly[h];
    const where = typeof spec.hourly === 'string' ? at : [...at, h];
    let value: number;
    if (typeof entry === 'number') value = entry;
    else {
      const r = single ?? ctx.expr(String(entry), where, hourScope);
      if (r.random) ctx.report('expr-unsupported', where, { detail: 'random draws are not allowed in a rate', expr: String(entry) });
      if (!r.fn || r.random) return undefined;
      value = r.fn({ r: noRandom, hour: h });
    }
    if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
      ctx.report('expr-runtime', where, { expr: String(entry), value: String(value), context: `hourly rate of hour ${h}`, hint: 'Every entry of an hourly table must be a finite number >= 0.' });
      return undefined;
    }
    weights[h] = value;
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const hourLength = time.unitsPerDay / HOURS;
  // With per_day, the table gives shares of the day; without, rates per time unit.
  const perDay = new Float64Array(time.days);
  if (spec.per_day !== undefined) {
    if (!perDayTotals(spec.per_day, perDay, env)) return undefined;
    if (sum === 0 && perDay.some((x) => x > 0)) {
      ctx.report('weights-invalid', at, { where: at.join('.'), detail: 'with per_day, the hourly weights must not all be 0' });
      return undefined;
    }
  } else perDay.fill(sum * hourLength);
  const bound = new Float64Array(time.days * HOURS);
  for (let d = 0; d < time.days; d++) {
    const scale = spec.per_day !== undefined ? (sum > 0 ? perDay[d] / (sum * hourLength) : 0) : 1;
    for (let h = 0; h < HOURS; h++) bound[d * HOURS + h] = weights[h] * scale;
  }
  if (maxRate !== undefined) {
    const i = bound.findIndex((b) => b > maxRate);
    if (i >= 0) reportAbove([...path, 'max_rate'], maxRate, bound[i], maxRate, `the hourly table on day ${Math.floor(i / HOURS)}, hour ${i % HOURS}`, env);
  }
  const peak = Math.max(...bound.subarray(0, HOURS));
  return {
    pieces: HOURS,
    bound,
    perDay,
    describe: { hourly: true, perDayFirst: round(perDay[0]), peakRateFirstDay: round(peak), derivedBound: round(Math.max(...bound)) },
  };
}

/** Evaluates per_day for every day into `out`; false after reporting a bad value. */
function perDayTotals(spec: number | string, out: Float64Array, env: IntensityEnv): boolean {
  const at = [...env.path, 'rate', 'per_day'];
  if (typeof spec === 'number') {
    out.fill(spec);
    return true;
  }
  const r = env.ctx.expr(spec, at, tableScope({ ...env.counts, day: 'c.day' }));
  if (r.random) env.ctx.report('expr-unsupported', at, { detail: 'random draws are not allowed in per_day', expr: spec });
  if (!r.fn || r.random) return false;
  for (let d = 0; d < out.length; d++) {
    const v = r.fn({ r: noRandom, day: d });
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
      env.ctx.report('expr-runtime', at, { expr: spec, value: String(v), context: `per_day on day ${d}`, hint: 'per_day must be a finite number >= 0 on every day.' });
      return false;
    }
    out[d] = v;
  }
  return true;
}

function expressionRate(text: string, maxRate: number | undefined, env: IntensityEnv): Intensity | undefined {
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
  const rate = checkedRate(r.fn, text, maxRate, time, siteAt(ctx, at, text));
  const problems = scan(rate, time);
  if (problems) {
    ctx.diagnostics.push(...problems);
    return undefined;
  }
  return { pieces: 1, bound: new Float64Array(time.days).fill(maxRate), rate, describe: { rate: text, maxRate } };
}

/** λ(t) from the compiled expression, throwing a located diagnostic when out of [0, bound]. */
export function checkedRate(fn: Compiled, text: string, bound: number, time: TimeModel, site: ReturnType<typeof siteAt>): (t: number) => number {
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

function reportAbove(at: Path, shown: unknown, value: number, maxRate: number, what: string, env: IntensityEnv): void {
  env.ctx.report('expr-runtime', at, {
    expr: String(shown),
    value: shortNumber(value),
    context: `${what} is above max_rate ${shortNumber(maxRate)}`,
    hint: 'Raise max_rate to at least the largest rate, or leave it out for tables (the bound is derived).',
  });
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
