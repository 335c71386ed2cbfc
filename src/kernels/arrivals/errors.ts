/**
 * Problems only a run can find (a rate that goes negative at some time, a score that is
 * NaN for some member) are reported like compile-time ones: a diagnostic placed at the
 * expression in the scenario file, thrown as a DiagnosticError that stops the run.
 */
import { DiagnosticError } from '../../diagnostics/diagnostic.js';
import { diag } from '../../diagnostics/make.js';
import type { AnalysisContext } from '../../model/context.js';
import type { Path } from '../../phases/1-parse/index.js';

/** Where an expression was written, kept from compile time for messages at run time. */
export interface Site {
  file: string;
  line: number;
  column: number;
  path: Path;
  expr: string;
}

/** The site of the value at `path`; `expr` is how messages show it (objects as JSON). */
export function siteAt(ctx: AnalysisContext, path: Path, expr: unknown): Site {
  // An expression's site is its first character, inside the quotes.
  const pos = typeof expr === 'string' ? ctx.map.inString(path, 0) : ctx.map.at(path);
  return { file: ctx.file, path, ...pos, expr: typeof expr === 'string' ? expr : JSON.stringify(expr) };
}

/** The error a run throws when the expression at `site` gave an unusable value. */
export function runtimeError(site: Site, value: unknown, context: string, hint?: string): DiagnosticError {
  const { expr, ...place } = site;
  const shown = typeof value === 'number' ? shortNumber(value) : String(value);
  return new DiagnosticError([diag('expr-runtime', place, { expr, value: shown, context, ...(hint ? { hint } : {}) })]);
}

/** A number with at most 6 decimals, for messages. */
export function shortNumber(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 1e6) / 1e6) : String(x);
}
