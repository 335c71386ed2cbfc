/**
 * Consumers' checks: how a value computed by an expression is checked where it is used (an
 * output column, a population draw, a count or time a kernel reads), and the site it is
 * reported at. The reports themselves are collected by `InvalidValues` (invalid.ts).
 */
import type { CompileResult, Compiled, ExprContext, Scope } from '../expr/compile.js';
import type { Path } from '../phases/1-parse/index.js';
import type { AnalysisContext } from './context.js';
import { failure, type InvalidValues, type ValueSite } from './invalid.js';

/** True for a value that would be written unformatted: a non-finite number, also inside a list or map. */
export function invalidDeep(v: unknown, depth = 0): boolean {
  if (typeof v === 'number') return v - v !== 0;
  if (v === null || typeof v !== 'object' || depth > 8) return false;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (invalidDeep(x, depth + 1)) return true;
  return false;
}

/**
 * `fn` checked where its value is consumed: a non-finite number (also inside a list), a
 * signal, or an error thrown while evaluating goes to `invalid`, and null is returned in its
 * place. `report: false` checks without reporting (a second read of a value already reported).
 */
export function checked(fn: Compiled, site: ValueSite, invalid: InvalidValues, report = true): Compiled {
  // A fresh copy of the wrapper's code each time (new Function): its call fn(c) then sees one
  // function only and V8 inlines it. One closure shared by every column made that call site
  // megamorphic: a full call per value, on the hot path of every output.
  // eslint-disable-next-line no-new-func -- fixed source, no user text.
  const make = new Function('fn', 'site', 'invalid', 'report', 'failure', 'invalidDeep', CHECKED_SOURCE);
  return make(fn, site, invalid, report, failure, invalidDeep) as Compiled;
}

const CHECKED_SOURCE = `"use strict";
return function checked(c) {
  let v;
  try {
    v = fn(c);
  } catch (e) {
    const bad = failure(e);
    if (report) invalid.found(site, bad, c);
    return null;
  }
  if (typeof v === 'number' ? v - v !== 0 : typeof v === 'object' && v !== null && invalidDeep(v)) {
    if (report) invalid.found(site, v, c);
    return null;
  }
  return v;
};`;

/**
 * Evaluates a sampler whose number is consumed by a kernel (a count, a time, a rate): returns
 * the number, or reports and returns `fallback` when it is not finite or evaluation fails.
 */
export function numberFrom(sample: Compiled, site: ValueSite, invalid: InvalidValues, c: ExprContext, fallback: number, where?: () => string): number {
  let v: number;
  try {
    v = Number(sample(c));
  } catch (e) {
    invalid.found(site, failure(e), c, where);
    return fallback;
  }
  if (v - v !== 0) {
    invalid.found(site, v, c, where);
    return fallback;
  }
  return v;
}

/**
 * Compiles the expression written at `path` (problems go to `ctx` as usual) and returns it
 * checked where consumed; `quiet` is the same check without reporting, for a second read of
 * the same value (an output's label column); `fixed` as in CompileResult (unchecked: the
 * writer falls back to `fn` when its value is not a finite number); `names` and `random` as
 * in CompileResult.
 */
export function compileChecked(ctx: AnalysisContext, text: string, path: Path, scope: Scope): { fn?: Compiled; quiet?: Compiled; fixed?: CompileResult['fixed']; names: string[]; random: boolean } {
  const r = ctx.expr(text, path, scope);
  if (!r.fn) return { names: r.names, random: r.random };
  const site = ctx.invalid.site(text, path, r.names, scope);
  return { fn: checked(r.fn, site, ctx.invalid), quiet: checked(r.fn, site, ctx.invalid, false), fixed: r.fixed, names: r.names, random: r.random };
}

/**
 * A draw for a population column, checked: a non-finite number or a failed evaluation is
 * reported (under `null` and `warn` the member keeps NaN, which outputs write as null).
 */
export function drawChecked(sample: Compiled, site: ValueSite, invalid: InvalidValues, c: ExprContext, where: string): unknown {
  let v: unknown;
  try {
    v = sample(c);
  } catch (e) {
    invalid.found(site, failure(e), c, where);
    return Number.NaN;
  }
  if (typeof v === 'number' && v - v !== 0) invalid.found(site, v, c, where);
  return v;
}

/** A distribution or value as written, for messages: `normal(mean: 0, sd: x / 0)`. */
export function describeSpec(spec: unknown): string {
  if (spec === null || typeof spec !== 'object') return String(spec);
  const [kind, body] = Object.entries(spec as Record<string, unknown>)[0] ?? ['?', undefined];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return `${kind}: ${typeof body === 'string' ? body : JSON.stringify(body)}`;
  return `${kind}(${Object.entries(body).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ')})`;
}
