/**
 * A rate that goes negative, NaN or above its bound is an error placed at the rate
 * expression (file:line:col) and naming the time t: found by `validate` when the scan of
 * the rate over the run catches it, and by the run itself when only thinning meets it.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { loadScenario, runScenario } from '../../src/pipeline.js';
import { removeDir, ROOT, tempDir } from '../helpers.js';

const SAMPLES = join(ROOT, 'test', 'samples');
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('rate checks before a run', () => {
  const cases: [string, RegExp][] = [
    ['arrivals-rate-negative', /"10 - t" gave -0\.016667 \(rate at t = 10\.016667 \(day 0, hour 10\) is negative\)/],
    ['arrivals-rate-nan', /gave NaN \(rate at t = 5\.016667 \(day 0, hour 5\) is not a number\)/],
    ['arrivals-rate-above-bound', /gave 10\.012538 \(rate at t = 7\.1 \(day 0, hour 7\) is above max_rate 10\)/],
  ];
  for (const [name, message] of cases) {
    it(`${name}: located at the expression, with the time`, () => {
      const loaded = loadScenario(join(SAMPLES, 'validate', name, 'scenario.yaml'));
      expect(loaded.compiled).toBeUndefined();
      expect(loaded.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['expr-runtime', 14, 14]]);
      expect(loaded.diagnostics[0].message).toMatch(message);
      expect(loaded.diagnostics[0].file).toMatch(/scenario\.yaml$/);
    }, 30_000);
  }

  it('an hour-of-day table with a negative entry names the hour', () => {
    const loaded = loadScenario(join(SAMPLES, 'validate', 'arrivals-hourly-negative', 'scenario.yaml'));
    expect(loaded.diagnostics[0].message).toContain('"hour - 3" gave -3 (hourly rate of hour 0)');
  }, 30_000);
});

describe('rates against limits', () => {
  it('a day is never cut short: more arrivals (or candidates) a day than limits.max_rows is refused', () => {
    const file = join(SAMPLES, 'card-fraud', 'rate-negative-briefly.yaml');
    const expression = loadScenario(file, { set: ['limits.max_rows=1000'] });
    expect(expression.diagnostics.map((d) => d.code)).toEqual(['run-limit']);
    expect(expression.diagnostics[0].message).toContain('the rate gives ~24000 candidate arrivals (max_rate) a day, more than limits.max_rows (1,000) rows');
    const table = loadScenario(join(ROOT, 'scenarios', 'card-fraud-city.yaml'), { set: ['limits.max_rows=300'] });
    expect(table.diagnostics.map((d) => d.code)).toEqual(['run-limit']);
    expect(table.diagnostics[0].message).toContain('the rate gives ~322.333333 arrivals on day 0');
  }, 30_000);
});

describe('rate checks during a run', () => {
  it('a rate negative only between the scanned times stops the run with the same diagnostic', async () => {
    // Negative for 35 seconds at t = 30 h, between two scan points a minute apart; at 1,000
    // candidates an hour thinning meets it with probability 1 - exp(-9.8).
    const loaded = loadScenario(join(SAMPLES, 'card-fraud', 'rate-negative-briefly.yaml'));
    expect(loaded.diagnostics).toEqual([]);
    const out = join(tempDir(), 'out');
    dirs.push(join(out, '..'));
    const run = runScenario({ ...loaded, compiled: loaded.compiled! }, { out, overrides: [] });
    const error = await run.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DiagnosticError);
    const d = (error as DiagnosticError).diagnostics[0];
    expect([d.code, d.line, d.column]).toEqual(['expr-runtime', 15, 14]);
    expect(d.message).toMatch(/gave -1 \(rate at t = 30\.00\d+ \(day 1, hour 6\) is negative\)/);
  }, 60_000);
});
