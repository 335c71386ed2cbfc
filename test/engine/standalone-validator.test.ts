/**
 * The pre-compiled schema validator that `npm run build` writes (dist/) must judge exactly
 * like ajv compiling the schema at run time: every validate sample gives the same findings
 * through the built engine as through the sources.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/pipeline.js';
import { ROOT } from '../helpers.js';

const SAMPLES = join(ROOT, 'test', 'samples', 'validate');

describe('pre-compiled schema validator', () => {
  it('is written by the build and current', () => {
    expect(existsSync(join(ROOT, 'dist', 'schema', 'validator.generated.cjs'))).toBe(true);
  });

  it('gives the same diagnostics as the run-time compiled validator on every sample', async () => {
    const built = (await import(join(ROOT, 'dist', 'pipeline.js'))) as typeof import('../../src/pipeline.js');
    const cases = readdirSync(SAMPLES).filter((c) => existsSync(join(SAMPLES, c, 'scenario.yaml')));
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const file = join(SAMPLES, c, 'scenario.yaml');
      const pick = (l: ReturnType<typeof loadScenario>) => l.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`);
      expect(pick(built.loadScenario(file, {})), c).toEqual(pick(loadScenario(file, {})));
    }
  });
});
