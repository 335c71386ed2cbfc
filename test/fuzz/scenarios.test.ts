/**
 * Property: whatever is done to a bundled scenario, validate, plan and a tiny run each end in
 * success or in well-formed diagnostics; never an exception, a stack trace, a hang, or an
 * unformatted value in an output file (see outcome-checks.ts).
 *
 * Every `scenarios/*.yaml` is found at test time. Counts and days are shrunk with `set`
 * overrides (as `--set` does), except where an edit wrote its own value, and the run is
 * capped by `limits` overrides so a runaway process ends at the cap. Each case runs in a child
 * process with a deadline. `npm test` runs a fixed number of cases; `npm run fuzz` many more
 * (FUZZ_RUNS). fast-check is seeded, so a run is reproducible; FUZZ_SEED picks another seed.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/pipeline.js';
import { removeDir, ROOT, tempDir } from '../helpers.js';
import { CaseRunner, fuzzRuns } from './child-pool.js';
import { scenarioProblems, type ScenarioResult } from './outcome-checks.js';
import { applyEdits, editsArb, namesIn, type Edit } from './scenario-mutations.js';

const RUNS = fuzzRuns(400);
const SEED = Number(process.env.FUZZ_SEED ?? 20260105);
/** Far above what a tiny run needs (well under a second), far below a test timeout. */
const CASE_TIMEOUT_MS = 20_000;
/** Caps of the tiny runs: small enough that a runaway process stops within a second or two. */
const LIMITS = ['limits.max_rows=200000', 'limits.max_bytes=20000000', 'limits.max_members=100000'];

const scenarios = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => {
    const file = join(ROOT, 'scenarios', f);
    const text = readFileSync(file, 'utf8');
    const value = parse(text, { maxAliasCount: 100 });
    // The shrink is computed on the scenario as composed (it may extend another file).
    const composed = loadScenario(file).value;
    return { name: f, file, text, value, shrink: shrinkSets(composed), names: namesIn(value) };
  });

/** `--set` overrides that make a scenario tiny: at most 25 members per population, 10 days. */
function shrinkSets(value: any): string[] {
  const sets: string[] = [];
  for (const [name, actor] of Object.entries<any>(value?.actors ?? {})) {
    // A count written as an expression (of params or other counts) is replaced too.
    if (!(typeof actor?.count === 'number' && actor.count <= 25)) sets.push(`actors.${name}.count=25`);
  }
  if (!(typeof value?.time?.days === 'number' && value.time.days <= 10)) sets.push('time.days=10');
  return sets;
}

/** The overrides of a case: the shrink, minus what the edits touched (an injected huge count stays). */
function setsFor(shrink: string[], touched: string[]): string[] {
  const hits = (path: string) => touched.some((t) => path === t || path.startsWith(`${t}.`) || t.startsWith(`${path}.`));
  return [...shrink, ...LIMITS].filter((s) => !hits(s.slice(0, s.indexOf('='))));
}

const work = tempDir('scenario-fuzz-');
/** Kept after the run: a failing case's text, to reproduce it with `scenario plan` or `run`. */
const failures = join(tmpdir(), 'scenario-fuzz-failures');
const runner = new CaseRunner(CASE_TIMEOUT_MS);
afterAll(() => {
  runner.close();
  removeDir(work);
});

/** Outcome classes, overall and per kind of edit, for the summary printed at the end (docs/reliability.md quotes it). */
const tally = new Map<string, number>();
const byOp = new Map<string, Map<string, number>>();
const count = (key: string, ops: string[]) => {
  tally.set(key, (tally.get(key) ?? 0) + 1);
  for (const op of new Set(ops)) {
    const m = byOp.get(op) ?? new Map<string, number>();
    m.set(key, (m.get(key) ?? 0) + 1);
    byOp.set(op, m);
  }
};

function outcomeClass(r: ScenarioResult): string {
  if (Array.isArray(r.validate) && r.validate.some((d) => d.severity === 'error')) return 'rejected by validate';
  if (r.plan && 'compiled' in r.plan && !r.plan.compiled) return 'rejected by plan';
  if (r.run && 'ok' in r.run) return r.run.warnings.length > 0 ? 'ran, with warnings' : 'ran';
  if (r.run && 'diagnostics' in r.run) return `run stopped (${[...new Set(r.run.diagnostics.map((d) => d.code))].join(', ')})`;
  return 'other';
}

describe(`scenario fuzz (${RUNS} cases over ${scenarios.length} bundled scenarios, seed ${SEED})`, () => {
  it('finds the bundled scenarios, and each runs tiny and clean before any edit', async () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(2);
    for (const s of scenarios) {
      const outcome = await runner.run<ScenarioResult>({ kind: 'scenario', file: s.file, text: s.text, set: setsFor(s.shrink, []), outRoot: join(work, 'run') });
      expect(scenarioProblems(outcome), s.name).toEqual([]);
      expect('result' in outcome && outcome.result.run && 'ok' in outcome.result.run, `${s.name} runs`).toBe(true);
    }
  }, 120_000);

  it('every edited scenario ends in success or in well-formed diagnostics', async () => {
    let n = 0;
    const arb = fc.integer({ min: 0, max: scenarios.length - 1 }).chain((i) => fc.tuple(fc.constant(i), editsArb(scenarios[i].names)));
    await fc.assert(
      fc.asyncProperty(arb, async ([i, edits]: [number, Edit[]]) => {
        const s = scenarios[i];
        const mutated = applyEdits(s.value, s.text, edits);
        const set = setsFor(s.shrink, mutated.touched);
        const outcome = await runner.run<ScenarioResult>({ kind: 'scenario', file: s.file, text: mutated.text, set, outRoot: join(work, 'run') });
        const problems = scenarioProblems(outcome);
        count('result' in outcome ? outcomeClass(outcome.result) : 'hang or crash', edits.map((e) => e.op));
        if (problems.length > 0) {
          mkdirSync(failures, { recursive: true });
          const repro = join(failures, `${s.name.replace(/\.yaml$/, '')}-seed${SEED}-${n++}.yaml`);
          writeFileSync(repro, mutated.text);
          throw new Error(`${s.name} with ${mutated.described.join('; ')}\n  overrides: ${set.join(' ')}\n  text: ${repro}\n  ${problems.join('\n  ')}`);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const summary = [...tally].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`);
    console.log(`scenario fuzz: ${RUNS} cases: ${summary.join('; ')}`);
    for (const [op, m] of [...byOp].sort()) {
      const n = [...m.values()].reduce((a, b) => a + b, 0);
      console.log(`  ${op}: ${n} cases: ${[...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`).join('; ')}`);
    }
    // The edits must reach every phase: some cases are rejected, some run.
    expect(tally.get('rejected by validate') ?? 0).toBeGreaterThan(0);
    expect([...tally.keys()].some((k) => k.startsWith('ran'))).toBe(true);
  }, Math.max(60_000, RUNS * 2_000));
});
