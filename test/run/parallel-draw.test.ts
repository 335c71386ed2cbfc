/**
 * Populations drawn with worker threads (src/phases/4-run/parallel-draw.ts) hold the values
 * one thread draws, and what cannot be split exactly (invalid values, errors) comes out as
 * one thread reports it. Worker threads need the compiled code, so these tests load the
 * engine from dist/ (`npm test` builds it first).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CompiledScenario } from '../../src/phases/3-plan/index.js';
import type { Population } from '../../src/model/population.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { removeDir, tempDir, writeIn } from '../helpers.js';

const dist = (path: string) => import(new URL(`../../dist/${path}`, import.meta.url).href);
const { loadScenario } = await dist('pipeline.js');
const { drawPopulation } = await dist('model/population.js');
const { WorkerPool } = await dist('phases/4-run/parallel.js');
const { BLOCK } = await dist('phases/4-run/parallel-draw.js');

const dir = tempDir('parallel-draw-');
afterAll(() => removeDir(dir));

/** A scenario with one population of every column kind; `extra` adds attributes. */
function scenario(name: string, count: number, extra: string[] = [], onInvalid = 'error'): string {
  return writeIn(
    dir,
    `${name}.yaml`,
    [
      `scenario: ${name}`,
      'seed: 11',
      `on_invalid: ${onInvalid}`,
      'actors:',
      '  people:',
      `    count: ${count}`,
      '    attributes:',
      '      first: { fake: person.firstName }',
      '      email: { fake: internet.email }',
      '      age: { expr: "randint(16, 66)" }',
      '      kind: { categorical: { values: [a, b, c], weights: [1, 2, 3] } }',
      '      adult: { expr: "age >= 18" }',
      '      score: { normal: { mean: 0, sd: 1 } }',
      '      label: { expr: "kind + \'-\' + index" }',
      ...extra.map((a) => `      ${a}`),
      'processes:',
      '  rows: { members: { actor: people } }',
      'outputs:',
      '  people: { from: rows, columns: { first: actor.first, age: actor.age } }',
    ].join('\n'),
  );
}

function load(file: string): CompiledScenario {
  const loaded = loadScenario(file, { pilotWarnings: false });
  if (!loaded.compiled) throw new Error(loaded.diagnostics.map((d: Diagnostic) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return loaded.compiled;
}

/** Every column of a drawn population as plain arrays. */
function columns(pop: Population): Record<string, unknown[]> {
  return Object.fromEntries([...pop.columns.values()].map((c) => [c.name, Array.from(c.data as ArrayLike<unknown>)]));
}

/** The population drawn by one thread, and by a pool of `workers` (`local: false`: the threads alone). */
async function bothWays(file: string, workers: number, local: boolean) {
  const one = load(file);
  const alone = one.populations.get('people')!;
  let aloneError: string | undefined;
  try {
    drawPopulation(alone, one.seed);
  } catch (e) {
    aloneError = (e as Error).message;
  }
  const shared = load(file);
  const pop = shared.populations.get('people')!;
  const pool = new WorkerPool(workers, { file, load: { pilotWarnings: false } });
  try {
    const stats = await pool.draw(pop, shared.seed, local).catch((e: Error) => ({ error: e.message }));
    return { alone, aloneError, pop, stats, one, shared };
  } finally {
    await pool.close();
  }
}

describe('populations drawn across threads', () => {
  it('the threads alone draw every block, and the columns are the ones one thread draws', async () => {
    const file = scenario('threads-alone', 5 * BLOCK + 17);
    const { alone, pop, stats } = await bothWays(file, 3, false);
    expect(stats).toEqual({ blocks: 6, byThreads: 6, redone: false });
    expect(columns(pop)).toEqual(columns(alone));
    // The typed columns are shared memory, so the threads can adopt them without a copy.
    expect((pop.columns.get('score')!.data as Float64Array).buffer).toBeInstanceOf(SharedArrayBuffer);
  }, 60_000);

  it('this thread and a worker thread share the blocks, with the same columns', async () => {
    const file = scenario('shared', 40 * BLOCK);
    const { alone, pop, stats } = await bothWays(file, 2, true);
    expect(stats).toMatchObject({ blocks: 40, redone: false });
    expect(columns(pop)).toEqual(columns(alone));
  }, 60_000);

  it('an invalid value under `warn` is reported as one thread reports it (the population is redrawn)', async () => {
    // Members 300 and 301 (in the threads' second block) and 900 divide by zero.
    const file = scenario('warn', 4 * BLOCK, ['ratio: { expr: "(index == 300 || index == 301 || index == 900) ? 1 / 0 : index" }'], 'warn');
    const { alone, pop, stats, one, shared } = await bothWays(file, 2, false);
    expect(stats).toMatchObject({ redone: true });
    expect(columns(pop)).toEqual(columns(alone));
    const warnings = (c: CompiledScenario) => c.safety.invalid.warnings().map((d: Diagnostic) => d.message);
    expect(warnings(one)).toHaveLength(1);
    expect(warnings(one)[0]).toMatch(/3 time\(s\)/);
    expect(warnings(shared)).toEqual(warnings(one));
  }, 60_000);

  it('an invalid value under `error` stops the draw with the error one thread reports', async () => {
    const file = scenario('error', 4 * BLOCK, ['ratio: { expr: "index == 700 ? 1 / 0 : index" }']);
    const { aloneError, stats } = await bothWays(file, 2, false);
    expect(aloneError).toMatch(/member 700/);
    expect(stats).toEqual({ error: aloneError });
  }, 60_000);

  it('an error in a block of this thread stops the draw the same way, after the threads\' blocks are in', async () => {
    // Member 5 is in block 0, which this thread takes first; the thread's blocks are waited for.
    const file = scenario('error-here', 40 * BLOCK, ['ratio: { expr: "index == 5 ? 1 / 0 : index" }']);
    const { aloneError, stats } = await bothWays(file, 2, true);
    expect(aloneError).toMatch(/member 5\b/);
    expect(stats).toEqual({ error: aloneError });
  }, 60_000);
});
