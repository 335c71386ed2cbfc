/** Generated docs are fresh; every kernel has a schema, a docs page and a test sample. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED } from '../../src/docs/generate.js';
import { KERNELS } from '../../src/kernels/index.js';
import { buildScenarioSchema } from '../../src/schema/scenario-schema.js';
import { ROOT } from '../helpers.js';

describe('docs', () => {
  for (const [file, make] of Object.entries(GENERATED)) {
    it(`docs/${file} is up to date (npm run build && npm run docs)`, () => {
      expect(readFileSync(join(ROOT, 'docs', file), 'utf8')).toBe(make());
    });
  }

  it('every property of the schema has a description (editors show it on hover)', () => {
    const missing: string[] = [];
    const walk = (s: any, path: string) => {
      if (!s || typeof s !== 'object') return;
      for (const [k, p] of Object.entries<any>(s.properties ?? {})) {
        if (!p.description && !p.$ref) missing.push(`${path}.${k}`);
        walk(p, `${path}.${k}`);
      }
      if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}.<name>`);
      for (const b of s.anyOf ?? []) walk(b, path);
      if (s.items) walk(s.items, `${path}[]`);
      for (const [k, d] of Object.entries<any>(s.$defs ?? {})) walk(d, `$defs.${k}`);
    };
    walk(buildScenarioSchema(), 'scenario');
    expect(missing).toEqual([]);
  });

  it('every object in the schema is strict (additionalProperties: false or a map)', () => {
    const loose: string[] = [];
    const walk = (s: any, path: string) => {
      if (!s || typeof s !== 'object') return;
      if (s.type === 'object' && s.properties && s.additionalProperties !== false) loose.push(path);
      for (const [k, p] of Object.entries<any>(s.properties ?? {})) walk(p, `${path}.${k}`);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}.<name>`);
      for (const b of s.anyOf ?? []) walk(b, path);
      if (s.items) walk(s.items, `${path}[]`);
      for (const [k, d] of Object.entries<any>(s.$defs ?? {})) walk(d, `$defs.${k}`);
    };
    walk(buildScenarioSchema(), 'scenario');
    expect(loose).toEqual([]);
  });

  it('bundled scenarios start with the yaml-language-server modeline', () => {
    const files = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(readFileSync(join(ROOT, 'scenarios', f), 'utf8').split('\n')[0], f).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
    }
  });
});

describe('kernel registry', () => {
  for (const kernel of KERNELS) {
    it(`kernel ${kernel.name} has a schema, a docs page and a sample scenario`, () => {
      expect(kernel.schema.type).toBe('object');
      expect(existsSync(join(ROOT, 'docs', kernel.docs)), `docs/${kernel.docs}`).toBe(true);
      const samples = join(ROOT, 'test', 'samples', 'kernels', kernel.name);
      expect(existsSync(join(samples, 'scenario.yaml')), `test/samples/kernels/${kernel.name}/scenario.yaml`).toBe(true);
    });
  }
});
