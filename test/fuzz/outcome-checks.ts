/**
 * What a fuzz case may end in. A scenario case is fine when validate, plan and the tiny run
 * each end in success or in diagnostics that are all well formed (a catalogue code, a place,
 * a message and a hint, no stack trace), when a failed run leaves nothing behind, and when a
 * successful one writes no unformatted value (NaN, undefined, Infinity, [object Object]).
 * Each check returns the problems it found, as text, so a failure message lists them all.
 */
import { CATALOGUE } from '../../src/diagnostics/catalogue.js';
import type { ChildOutcome } from './child-pool.js';

/** A diagnostic as the child sends it. */
export interface PlainDiagnostic {
  code: string;
  severity: string;
  message: string;
  hint?: string;
  file: string;
  line: number;
  column: number;
}

interface Failure {
  name: string;
  message: string;
  stack: string;
}

/** What the child answers for a scenario case. */
export interface ScenarioResult {
  validate: PlainDiagnostic[] | { threw: Failure };
  plan?: { diagnostics: PlainDiagnostic[]; compiled: boolean } | { threw: Failure };
  run?:
    | { ok: true; files: { name: string; bytes: number; unformatted?: string }[]; warnings: PlainDiagnostic[]; entries: string[] }
    | { diagnostics: PlainDiagnostic[]; entries: string[] }
    | { threw: Failure; entries: string[] };
  harness?: Failure;
}

/** Findings that concern no place in the file (a missing file, a bad --set): line 0. */
const FILE_LEVEL = new Set(['file-unreadable', 'set-invalid']);

/** Problems with one diagnostic. */
export function diagnosticProblems(d: PlainDiagnostic, phase: string): string[] {
  const what = `${phase}: ${d.code} at ${d.file}:${d.line}:${d.column} "${d.message.slice(0, 200)}"`;
  const out: string[] = [];
  const entry = (CATALOGUE as Record<string, { severity?: string }>)[d.code];
  if (!entry) out.push(`${what}: code not in the catalogue`);
  else if ((entry.severity ?? 'error') !== d.severity && !(d.code === 'expr-runtime' && d.severity === 'warning')) out.push(`${what}: severity ${d.severity}`);
  if (!d.file) out.push(`${what}: no file`);
  if (!FILE_LEVEL.has(d.code) && !(d.line >= 1 && d.column >= 1)) out.push(`${what}: no line:col`);
  if (!d.message.trim()) out.push(`${what}: empty message`);
  if (!d.hint?.trim()) out.push(`${what}: no hint`);
  // The safety net for errors no check foresaw: each one found is a bug to fix where it starts.
  if (d.code === 'run-failed') out.push(`${what}: an unexpected error inside a process`);
  for (const text of [d.message, d.hint ?? '']) {
    if (/\n\s+at |\[object Object\]|TypeError|ReferenceError|RangeError|Maximum call stack/.test(text)) out.push(`${what}: internal error text "${text.slice(0, 300)}"`);
  }
  return out;
}

const threw = (x: unknown): x is { threw: Failure } => typeof x === 'object' && x !== null && 'threw' in x;

/** Every problem of a scenario case's outcome; empty when the engine behaved. */
export function scenarioProblems(outcome: ChildOutcome<ScenarioResult>): string[] {
  if ('hang' in outcome) return ['the case did not finish in time (hang)'];
  if ('crashed' in outcome) return [`the engine process died: ${outcome.crashed}`];
  const r = outcome.result;
  if (r.harness) return [`harness error: ${r.harness.stack}`];
  const out: string[] = [];
  if (threw(r.validate)) return [`validate threw ${r.validate.threw.stack}`];
  for (const d of r.validate) out.push(...diagnosticProblems(d, 'validate'));
  if (!r.plan) return out;
  if (threw(r.plan)) return [...out, `plan threw ${r.plan.threw.stack}`];
  for (const d of r.plan.diagnostics) out.push(...diagnosticProblems(d, 'plan'));
  const validateFailed = r.validate.some((d) => d.severity === 'error');
  if (validateFailed && r.plan.compiled) out.push('validate reported errors but plan compiled');
  if (!r.plan.compiled && !r.plan.diagnostics.some((d) => d.severity === 'error')) out.push('plan did not compile but reported no error');
  const run = r.run;
  if (!run) return out;
  if (threw(run)) return [...out, `run threw ${run.threw.stack}`];
  if ('ok' in run) {
    if (run.entries.join() !== 'out') out.push(`a successful run left ${run.entries.join(', ')} next to its output`);
    if (!run.files.some((f) => f.name === 'manifest.json')) out.push('a successful run wrote no manifest');
    for (const f of run.files) if (f.unformatted !== undefined) out.push(`${f.name} holds an unformatted value: ...${f.unformatted}...`);
    for (const d of run.warnings) out.push(...diagnosticProblems(d, 'run warning'));
  } else {
    if (run.diagnostics.length === 0) out.push('the run failed with no diagnostic');
    for (const d of run.diagnostics) out.push(...diagnosticProblems(d, 'run'));
    if (run.entries.length > 0) out.push(`a failed run left ${run.entries.join(', ')}`);
  }
  return out;
}
