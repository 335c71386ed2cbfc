/**
 * Amounts and ledger values that are not finite numbers stop an arrivals run with a
 * diagnostic at the expression that made them, naming the actor and day. Before, a NaN
 * amount was refused in silence (any comparison with NaN is false) and a NaN ledger showed
 * up only later, as a pick weight.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { loadScenario, runScenario } from '../../src/pipeline.js';
import { removeDir, ROOT, tempDir } from '../helpers.js';

const FILE = join(ROOT, 'scenarios', 'card-fraud-city.yaml');
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** Runs card-fraud-city with `set` (and 31 days, so that the monthly reset runs once) and returns the diagnostic that stopped it. */
async function stopOf(set: string): Promise<{ line: number; column: number; message: string; out: string }> {
  const loaded = loadScenario(FILE, { set: [set, 'time.days=31'] });
  expect(loaded.diagnostics).toEqual([]);
  const dir = tempDir();
  dirs.push(dir);
  const out = join(dir, 'out');
  const error = await runScenario({ ...loaded, compiled: loaded.compiled! }, { out, overrides: [] }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DiagnosticError);
  const d = (error as DiagnosticError).diagnostics[0];
  expect(d.code).toBe('expr-runtime');
  return { line: d.line, column: d.column, message: d.message, out };
}

describe('arrivals values checked at run time', () => {
  it('an amount that is NaN is reported at the amount, with the mark, actor and day, and leaves no output', async () => {
    const d = await stopOf('processes.payments.arrivals.amount=sqrt(0 - actor.wage)');
    expect([d.line, d.column]).toEqual([118, 15]);
    expect(d.message).toMatch(/"sqrt\(0 - actor\.wage\)" gave NaN \(amount of the (essential|nonessential) event of actor \d+ \(day 0\)\)/);
    expect(existsSync(d.out)).toBe(false);
  }, 60_000);

  it('a ledger value that is not finite is reported at its initial value, update or reset', async () => {
    const initial = await stopOf('processes.payments.arrivals.ledger.used.initial=0 / 0');
    expect([initial.line, initial.column]).toEqual([100, 20]);
    expect(initial.message).toContain('"0 / 0" gave NaN (initial used of actor 0)');
    const update = await stopOf('processes.payments.arrivals.update.used=ledger.used + amount / 0');
    expect([update.line, update.column]).toEqual([122, 15]);
    expect(update.message).toMatch(/"ledger\.used \+ amount \/ 0" gave Infinity \(update of used of actor \d+ \(day 0\)\)/);
  }, 60_000);

  it('a reset that gives NaN is reported on the day it runs', async () => {
    const d = await stopOf('processes.payments.arrivals.ledger.used.reset.to=ledger.used - 0 / 0');
    expect([d.line, d.column]).toEqual([102, 35]);
    expect(d.message).toContain('gave NaN (reset of used of actor 0 (day 30))');
  }, 60_000);
});
