/**
 * A run takes the populations the plan's pilot drew (`estimate`) instead of drawing them
 * again, when they were drawn for the run's seed without a single invalid value; otherwise
 * it draws them itself, so its own report of invalid values stays whole.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/pipeline.js';
import { removeDir, tempDir, writeIn } from '../helpers.js';

const dir = tempDir('population-reuse-');
afterAll(() => removeDir(dir));

function scenario(name: string, attribute: string, onInvalid = 'error'): string {
  return writeIn(
    dir,
    `${name}.yaml`,
    [
      `scenario: ${name}`,
      'seed: 3',
      `on_invalid: ${onInvalid}`,
      'actors:',
      '  people:',
      '    count: 500',
      '    attributes:',
      '      first: { fake: person.firstName }',
      `      ${attribute}`,
      'processes:',
      '  rows: { members: { actor: people } }',
      'outputs:',
      '  people: { from: rows, columns: { first: actor.first, score: actor.score } }',
    ].join('\n'),
  );
}

async function run(file: string, estimate: boolean, seed?: number) {
  const loaded = loadScenario(file, { estimate, seed, pilotWarnings: false });
  const compiled = loaded.compiled!;
  const pop = compiled.populations.get('people')!;
  const before = pop.columns.get('score')?.data;
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const result = await runScenario({ ...loaded, compiled }, { out, overrides: [] });
  return { before, after: pop.columns.get('score')!.data, text: readFileSync(join(out, 'people.csv'), 'utf8'), warnings: result.warnings.map((d) => d.message) };
}

describe('populations drawn by the plan', () => {
  it('are used by the run as they are, and the files are those of a run that draws them itself', async () => {
    const file = scenario('clean', 'score: { normal: { mean: 0, sd: 1 } }');
    const planned = await run(file, true);
    expect(planned.before).toBeDefined();
    // The same column object: the run did not draw the population again.
    expect(planned.after).toBe(planned.before);
    const unplanned = await run(file, false);
    expect(unplanned.before).toBeUndefined();
    expect(planned.text).toBe(unplanned.text);
  });

  it('are drawn again when a draw gave an invalid value (under warn), so the run reports it', async () => {
    const file = scenario('warn', 'score: { expr: "index % 100 == 7 ? 1 / 0 : index" }', 'warn');
    const planned = await run(file, true);
    expect(planned.after).not.toBe(planned.before);
    const unplanned = await run(file, false);
    // One warning for the attribute's expression (5 members), one for the column that writes it.
    expect(planned.warnings).toHaveLength(2);
    expect(planned.warnings[0]).toMatch(/index % 100 == 7.*5 time\(s\)/);
    expect(planned.warnings).toEqual(unplanned.warnings);
    expect(planned.text).toBe(unplanned.text);
  });
});
