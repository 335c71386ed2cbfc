/**
 * Compiles `rate:` (with `max_rate:`) into an Intensity: constants and hour-of-day tables
 * here, expressions in rate-expression.ts. Checked where they can be before a run: table
 * entries for every hour and daily totals for every day, so `scenario validate` already
 * reports a rate that is negative or not a number; what the scan cannot reach (a very long
 * run) is checked as the run gets there. A rate that would produce more arrivals (or
 * candidates) in a day than `limits.max_rows` is refused: a day is never cut short.
 */
import { DiagnosticError } from '../../diagnostics/diagnostic.js';
import { tableScope } from '../../expr/compile.js';
import type { Path } from '../../phases/1-parse/index.js';
import { runtimeError, siteAt } from './errors.js';
import type { Intensity } from './intensity.js';
import { noRandom, reportAbove, tooMany, withinLimit, type IntensityEnv } from './rate-checks.js';
import { expressionRate } from './rate-expression.js';

const HOURS = 24;
/** Days whose per_day is checked at compile time; later days are checked when reached. */
const SCAN_DAYS = 100_000;

/** The Intensity of `rate` (and `max_rate`); undefined after reporting a problem to the context. */
export function compileIntensity(spec: any, maxRateSpec: unknown, env: IntensityEnv): Intensity | undefined {
  const { ctx, time, path } = env;
  const maxRate = maxRateSpec === undefined ? undefined : constant(maxRateSpec, [...path, 'max_rate'], 'max_rate', env);
  if (maxRate !== undefined && !(maxRate > 0 && Number.isFinite(maxRate))) {
    ctx.report('expr-runtime', [...path, 'max_rate'], { expr: String(maxRateSpec), value: String(maxRate), context: 'max_rate', hint: 'max_rate must be a finite number > 0, in events per time unit.' });
    return undefined;
  }
  if (typeof spec === 'number') {
    if (maxRate !== undefined && spec > maxRate) reportAbove([...path, 'rate'], spec, spec, maxRate, 'the constant rate', env);
    if (!withinLimit(spec * time.unitsPerDay, 'arrivals', [...path, 'rate'], env)) return undefined;
    return { pieces: 1, bounds: (_d, out) => out.fill(spec), perDay: () => spec * time.unitsPerDay, describe: { rate: spec } };
  }
  if (typeof spec === 'string') return expressionRate(spec, maxRate, env);
  return hourlyTable(spec, maxRate, env);
}

/** A number, or an expression of counts and params evaluated once. */
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
  const peak = Math.max(...weights);
  const hourLength = time.unitsPerDay / HOURS;
  // With per_day, the table gives shares of the day; without, rates per time unit.
  const perDay = spec.per_day === undefined ? () => sum * hourLength : dailyTotals(spec.per_day, env);
  if (!perDay) return undefined;
  if (spec.per_day !== undefined && sum === 0) {
    ctx.report('weights-invalid', at, { where: at.join('.'), detail: 'with per_day, the hourly weights must not all be 0' });
    return undefined;
  }
  const scale = (d: number) => (spec.per_day === undefined ? 1 : perDay(d) / (sum * hourLength));
  const checked = Math.min(time.days, SCAN_DAYS);
  for (let d = 0; d < checked; d++) {
    if (!withinLimit(perDay(d), 'arrivals', spec.per_day === undefined ? at : [...path, 'rate', 'per_day'], env, d)) return undefined;
    if (maxRate !== undefined && peak * scale(d) > maxRate) {
      reportAbove([...path, 'max_rate'], maxRate, peak * scale(d), maxRate, `the hourly table on day ${d}`, env);
      return undefined;
    }
  }
  return {
    pieces: HOURS,
    bounds(d, out) {
      const k = scale(d);
      if (d >= checked && perDay(d) > env.limits.maxRows) throw tooMany(perDay(d), 'arrivals', `on day ${d}`, [...path, 'rate'], env);
      for (let h = 0; h < HOURS; h++) out[h] = weights[h] * k;
    },
    perDay,
    describe: { hourly: true, perDayFirst: round(perDay(0)), peakRateFirstDay: round(peak * scale(0)) },
  };
}

/** per_day as a function of the day, checked on the days the compile-time scan covers and at run time after. */
function dailyTotals(spec: number | string, env: IntensityEnv): ((day: number) => number) | undefined {
  const at = [...env.path, 'rate', 'per_day'];
  if (typeof spec === 'number') return () => spec;
  const r = env.ctx.expr(spec, at, tableScope({ ...env.counts, day: 'c.day' }));
  if (r.random) env.ctx.report('expr-unsupported', at, { detail: 'random draws are not allowed in per_day', expr: spec });
  if (!r.fn || r.random) return undefined;
  const fn = r.fn;
  const site = siteAt(env.ctx, at, spec);
  const c = { r: noRandom, day: 0 };
  const total = (d: number) => {
    c.day = d;
    const v = fn(c);
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw runtimeError(site, v, `per_day on day ${d}`, 'per_day must be a finite number >= 0 on every day.');
    return v;
  };
  try {
    for (let d = 0; d < Math.min(env.time.days, SCAN_DAYS); d++) total(d);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    env.ctx.diagnostics.push(...e.diagnostics);
    return undefined;
  }
  return total;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
