/**
 * Run-time invalid values: a division by zero, an overflow, NaN or Infinity is caught where
 * it is consumed (an output column, an attribute draw, a count, a time) and reported with the
 * expression, its file:line:col and the input values; `on_invalid` decides whether the run
 * stops (error, the default), writes null and warns (warn), or writes null silently (null).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import * as dist from '../../src/rng/distributions.js';
import { rngFor } from '../../src/rng/index.js';
import { loadScenario, runScenario } from '../../src/pipeline.js';
import { cli, removeDir, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => removeDir(tmp));

/** A small markov scenario; the options change one piece each (`column` adds an output column). */
function scenario(opts: { onInvalid?: string; column?: string; perDay?: string; attribute?: string; dwell?: string; rows?: string } = {}): string {
  return `scenario: invalid-values
seed: 3
${opts.onInvalid ? `on_invalid: ${opts.onInvalid}\n` : ''}time: { start: "2026-03-01", days: 2 }
actors:
  shoppers:
    count: 4
    attributes:
      budget: { uniform: { min: 0, max: 10 } }
${opts.attribute ? `      odd: ${opts.attribute}\n` : ''}states:
  pages: [enter, browse, leave]
matrices:
  shop:
    states: pages
    rows:
      enter:  [0, 1, 0]
      browse: [0, 0.5, 0.5]
      leave:  [1, 0, 0]
processes:
  visits:
    markov:
      actor: shoppers
      states: pages
      start: enter
      end: leave
      per_day: ${opts.perDay ?? 2}
      matrix: shop
${opts.dwell ? `      dwell: ${opts.dwell}\n` : ''}outputs:
  visits:
    from: visits
    rows: ${opts.rows ?? 'session'}
    columns:
      shopper: actor.id
      day: day
${opts.column ? `      value: "${opts.column}"\n` : ''}`;
}

const FILE = join(tmp, 'invalid-values.yaml');
const load = (text: string, estimate = true) => loadScenario(FILE, { text, estimate });

async function run(text: string, out: string) {
  const loaded = load(text, false);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return runScenario({ ...loaded, compiled: loaded.compiled! }, { out: join(tmp, out), overrides: [] });
}

/** Line and column of `needle` in `text` (1-based), as a diagnostic should point. */
function position(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

describe('on_invalid: error (the default)', () => {
  it('a division by zero in a column stops the plan with the expression, its place and its inputs', () => {
    const text = scenario({ column: 'actor.budget / (day - day)' });
    const loaded = load(text);
    expect(loaded.compiled).toBeUndefined();
    const [d] = loaded.diagnostics;
    expect(d.code).toBe('expr-runtime');
    expect(d.severity).toBe('error');
    expect({ line: d.line, column: d.column }).toEqual(position(text, 'actor.budget / (day'));
    expect(d.message).toMatch(/^expression "actor\.budget \/ \(day - day\)" gave (Infinity|NaN) \(actor\.budget = [\d.]+, day = 0\)$/);
    expect(d.hint).toContain('on_invalid');
  });

  it('the run itself stops the same way, and leaves no output', async () => {
    const text = scenario({ column: 'day == 1 ? 0 / 0 : 1' });
    const out = join(tmp, 'stopped');
    // The pilot covers every member here, so the plan finds it; a run without the pilot must too.
    const loaded = loadScenario(FILE, { text });
    const error = await runScenario({ ...loaded, compiled: loaded.compiled! }, { out, overrides: [] }).catch((e) => e);
    expect(error).toBeInstanceOf(DiagnosticError);
    expect(error.diagnostics[0].message).toBe('expression "day == 1 ? 0 / 0 : 1" gave NaN (day = 1)');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes('stopped'))).toEqual([]);
  });

  it('text built from NaN is caught too: str(), fixed(), pad() and + with a string', () => {
    for (const column of ['str(0 / 0)', 'fixed(1 / 0, 2)', 'pad(0 / 0, 4)', "'id-' + (1 / 0)", "'x' + actor.nope_is_unknown"]) {
      const loaded = load(scenario({ column }));
      const codes = loaded.diagnostics.map((d) => d.code);
      if (column.includes('nope')) expect(codes).toEqual(['expr-unknown-identifier']);
      else expect(codes, column).toEqual(['expr-runtime']);
    }
  });

  it('an expression that throws (reading a property of no value) is reported, not thrown', () => {
    const d = load(scenario({ column: 'choice([]).x' })).diagnostics[0];
    expect(d.code).toBe('expr-runtime');
    expect(d.message).toMatch(/gave an error \(Cannot read properties of undefined/);
  });

  it('an attribute whose draw is NaN is reported at the attribute, with the member', () => {
    const text = scenario({ attribute: '{ normal: { mean: 0, sd: "budget - budget / 0" } }' });
    const d = load(text).diagnostics[0];
    expect(d.code).toBe('expr-runtime');
    expect(d.line).toBe(position(text, 'odd:').line);
    expect(d.message).toMatch(/^expression "normal\(mean: 0, sd: budget - budget \/ 0\)" gave -?(NaN|Infinity) \(budget = [\d.]+; member 0\)$/);
  });

  it('a per_day of NaN or Infinity is an invalid count, not an endless loop', () => {
    for (const perDay of ['"1 / 0"', '"0 / 0"', '{ poisson: { mean: "0 / 0" } }']) {
      const d = load(scenario({ perDay })).diagnostics[0];
      expect(d?.code, perDay).toBe('expr-runtime');
      expect(d.message).toContain('member 0, day 0');
    }
  });

  it('a time beyond the calendar is reported where it is written as a timestamp', () => {
    const text = scenario({ dwell: '1e300', rows: 'step', column: 'step.timestamp' });
    const d = load(text).diagnostics[0];
    expect(d.code).toBe('expr-runtime');
    expect(d.message).toMatch(/^expression "step\.timestamp" gave 1e\+300/);
  });
});

describe('on_invalid: warn and null', () => {
  it('warn writes null and reports each expression once, with its count and first occurrences', async () => {
    const text = scenario({ onInvalid: 'warn', column: 'day == 1 ? actor.budget / 0 : day' });
    const plan = load(text);
    expect(plan.compiled).toBeDefined();
    expect(plan.diagnostics.map((d) => [d.code, d.severity])).toEqual([['expr-runtime', 'warning']]);
    const result = await run(text, 'warned');
    expect(result.warnings).toHaveLength(1);
    const w = result.warnings[0];
    expect(w.severity).toBe('warning');
    expect(w.message).toMatch(/gave an invalid value 8 time\(s\), written as null \(first: Infinity \(day = 1, actor\.budget = [\d.]+\); /);
    const csv = readFileSync(join(tmp, 'warned', 'visits.csv'), 'utf8');
    expect(csv).not.toMatch(/NaN|Infinity|undefined/);
    const day1 = csv.split('\n').filter((l) => /^\d+,1,/.test(l));
    expect(day1).toHaveLength(8);
    for (const l of day1) expect(l).toMatch(/^\d+,1,$/);
  });

  it('null writes null silently', async () => {
    const result = await run(scenario({ onInvalid: 'null', column: 'sqrt(-1)' }), 'nulled');
    expect(result.warnings).toEqual([]);
    const csv = readFileSync(join(tmp, 'nulled', 'visits.csv'), 'utf8');
    expect(csv.split('\n')[1]).toBe('0,0,');
  });

  it('the CLI prints the warnings with a code frame after the run, and exits 0', () => {
    const file = join(tmp, 'warn.yaml');
    writeFileSync(file, scenario({ onInvalid: 'warn', column: 'log(day - 1)' }));
    const r = cli(['run', file, '--out', join(tmp, 'cli-warn'), '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warn\.yaml:\d+:\d+ +expr-runtime +expression "log\(day - 1\)" gave an invalid value/);
    expect(r.stderr).toContain('|       value: "log(day - 1)"');
    // Once, with the run's count: not also before the run with the plan pilot's.
    expect(r.stderr.match(/gave an invalid value/g)).toHaveLength(1);
  });

  it('on_invalid takes only error, warn or null', () => {
    const d = load(scenario({ onInvalid: 'ignore' })).diagnostics[0];
    expect([d.code, d.message]).toEqual(['schema-value', 'on_invalid must be one of: error, warn, null']);
  });
});

describe('samplers never loop for ever on bad parameters', () => {
  const stream = rngFor(1, 'test');
  it.each([
    ['poisson NaN', () => dist.poisson(stream, Number.NaN)],
    ['poisson Infinity', () => dist.poisson(stream, Number.POSITIVE_INFINITY)],
    ['gamma NaN shape', () => dist.gamma(stream, Number.NaN, 1)],
    ['gamma huge negative shape', () => dist.gamma(stream, -1e9, 1)],
  ])('%s gives NaN or Infinity', (_name, draw) => {
    const v = draw();
    expect(Number.isFinite(v)).toBe(false);
  });

  it('a constant stand-in stream (no real stream) ends every rejection loop', () => {
    // A loop that never ended would time the test out; each draw is a number, NaN included.
    for (const c of [0, 0.5, 0.999, 1 - 2 ** -32]) {
      const constant = () => c;
      for (const draw of [() => dist.normal(constant, 0, 1), () => dist.gamma(constant, 2, 1), () => dist.exponential(constant, 3)]) {
        expect(typeof draw()).toBe('number');
      }
    }
  });
});
