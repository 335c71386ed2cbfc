/**
 * What compiling a rate needs, and the checks every kind of rate shares: a day's arrivals
 * (or thinning candidates) against `limits.max_rows`, and a rate above `max_rate`.
 */
import type { DiagnosticError } from '../../diagnostics/diagnostic.js';
import type { AnalysisContext } from '../../model/context.js';
import { describeLimit, limitReached, type Limits } from '../../model/limits.js';
import type { TimeModel } from '../../model/time.js';
import type { Path } from '../../phases/1-parse/index.js';
import { shortNumber } from './errors.js';

export interface IntensityEnv {
  ctx: AnalysisContext;
  time: TimeModel;
  limits: Limits;
  /** `count.<actor>` -> the actor's count, as code. */
  counts: Record<string, string>;
  /** Path of the process body. */
  path: Path;
}

/** Rates draw no random numbers: their context's stream is a constant. */
export const noRandom = (): number => 0;

/** False (after reporting) when `perDay` events a day would exceed limits.max_rows. */
export function withinLimit(perDay: number, what: string, at: Path, env: IntensityEnv, day?: number): boolean {
  if (perDay <= env.limits.maxRows) return true;
  const when = day === undefined ? 'a day' : `on day ${day}`;
  env.ctx.diagnostics.push(...tooMany(perDay, what, when, at, env).diagnostics);
  return false;
}

/** The run-limit diagnostic for a day of `perDay` events. */
export function tooMany(perDay: number, what: string, when: string, at: Path, env: IntensityEnv): DiagnosticError {
  const place = { file: env.ctx.file, path: at, ...env.ctx.map.at(at) };
  return limitReached(place, `the rate gives ~${shortNumber(perDay)} ${what} ${when}, more than ${describeLimit(env.limits, 'maxRows')} rows`, 'maxRows');
}

/** Reports a rate above `max_rate`, at `at`. */
export function reportAbove(at: Path, shown: unknown, value: number, maxRate: number, what: string, env: IntensityEnv): void {
  env.ctx.report('expr-runtime', at, {
    expr: String(shown),
    value: shortNumber(value),
    context: `${what} is above max_rate ${shortNumber(maxRate)}`,
    hint: 'Raise max_rate to at least the largest rate, or leave it out for tables (the bound is derived).',
  });
}

