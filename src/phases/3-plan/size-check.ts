/**
 * Size checks of a plan. Before anything is drawn: a population above `limits.max_members`
 * is an error (it would be allocated in memory). After the pilot: `plan-size` warnings when
 * the expected rows or bytes exceed the run's limits, when the pilot could not finish even
 * one unit (its figures are then lower bounds), and when a Markov chain's expected session
 * length (from the fundamental matrix) exceeds its `max_steps`.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diag } from '../../diagnostics/make.js';
import type { AnalysisContext } from '../../model/context.js';
import { describeLimit, limitReached } from '../../model/limits.js';
import type { RunSafety } from '../../model/safety.js';
import { formatBytes, formatInteger } from '../../ui/format.js';
import type { CompiledScenario } from './index.js';

/** Reports populations above `limits.max_members` and plans them empty, so nothing allocates them. */
export function checkPopulationSizes(counts: Map<string, number>, safety: RunSafety, ctx: AnalysisContext): void {
  for (const [name, n] of counts) {
    if (n <= safety.limits.maxMembers) continue;
    const place = safety.place(['actors', name, 'count']);
    const detail = `population "${name}" has ${formatInteger(n)} members, more than ${describeLimit(safety.limits, 'maxMembers')}`;
    ctx.diagnostics.push(...limitReached(place, detail, 'maxMembers').diagnostics);
    counts.set(name, 0);
  }
}

/** Warnings about the expected size of a planned run (call after the pilot filled the estimates). */
export function sizeWarnings(compiled: CompiledScenario): Diagnostic[] {
  const { plan, safety } = compiled;
  const out: Diagnostic[] = [];
  const warn = (path: (string | number)[], detail: string, hint: string, key = false) => out.push(diag('plan-size', safety.place(path, key), { detail, hint }));
  const byProcess = new Map<string, { rows: number; bytes: number; lowerBound: boolean }>();
  for (const o of plan.outputs) {
    const p = byProcess.get(o.from) ?? { rows: 0, bytes: 0, lowerBound: false };
    p.rows += o.expectedRows ?? 0;
    p.bytes += o.expectedBytes ?? 0;
    p.lowerBound ||= o.expectedIsLowerBound === true;
    byProcess.set(o.from, p);
  }
  const processPath = (name: string) => (plan.processes.some((p) => p.name === name) ? ['processes', name] : ['outputs']);
  for (const [name, p] of byProcess) {
    if (!p.lowerBound) continue;
    warn(processPath(name), `process "${name}" wrote more than the pilot allows within a single unit: expect at least ~${formatInteger(p.rows)} rows, ~${formatBytes(p.bytes)}`, 'One unit (a member, a day) generates a huge number of records: check its counts, rates and burst sizes.');
  }
  const rows = [...byProcess.values()].reduce((s, p) => s + p.rows, 0);
  const bytes = [...byProcess.values()].reduce((s, p) => s + p.bytes, 0);
  const largest = [...byProcess].sort((a, b) => b[1].rows - a[1].rows)[0]?.[0];
  const at = largest === undefined ? ['limits'] : processPath(largest);
  if (rows > safety.limits.maxRows) {
    warn(at, `the run is expected to write ~${formatInteger(rows)} rows, more than ${describeLimit(safety.limits, 'maxRows')}: it will stop there`, 'Lower the counts or rates, or raise limits.max_rows.');
  }
  if (bytes > safety.limits.maxBytes) {
    warn(at, `the run is expected to write ~${formatBytes(bytes)}, more than ${describeLimit(safety.limits, 'maxBytes')} bytes: it will stop there`, 'Lower the counts or rates, or raise limits.max_bytes.');
  }
  for (const p of plan.processes) {
    const { matrices, maxSteps } = p.details as { matrices?: { name: string; expectedPathLength: number | null }[]; maxSteps?: number };
    if (!Array.isArray(matrices) || typeof maxSteps !== 'number') continue;
    for (const m of matrices) {
      const length = m.expectedPathLength ?? Number.POSITIVE_INFINITY;
      if (!(length > maxSteps)) continue;
      const expected = Number.isFinite(length) ? `~${formatInteger(Math.round(length))} states` : 'an unbounded number of states';
      warn(['matrices', m.name], `with matrix "${m.name}", a session of process "${p.name}" is expected to visit ${expected}, more than max_steps (${formatInteger(maxSteps)}): most sessions will be cut`, 'The end state is rarely reached: raise the transition probabilities toward it, or raise max_steps.', true);
    }
  }
  return out;
}
