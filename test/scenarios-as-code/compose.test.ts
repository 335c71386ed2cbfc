/** extends and include: merging, where pieces come from, and located composition errors. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/pipeline.js';
import { sha256 } from '../../src/sinks/manifest.js';
import { removeDir, tempDir } from '../helpers.js';

const root = tempDir('scenario-compose-');
afterAll(() => removeDir(root));

/** Writes `files` (path -> text) under a fresh folder; returns the folder. */
function project(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const BASE = `scenario: base
seed: 3
params:
  users: 20
actors:
  users:
    count: params.users
    attributes:
      fraudster: { bernoulli: { p: 0.1 } }
states:
  actions: [start, end, browse]
matrices:
  normal:
    states: actions
    rows:
      start:  [0.0, 0.0, 1.0]
      end:    [1.0, 0.0, 0.0]
      browse: [0.0, 0.5, 0.5]
processes:
  sessions:
    markov: { actor: users, states: actions, start: start, end: end, per_day: 2, matrix: normal }
outputs:
  sessions:
    from: sessions
    columns:
      user: actor.id
      path: session.path
  actions:
    from: actions
    columns: { id: index, action: name }
`;

const MATRICES = `# Shared behaviour.
matrices:
  sloppy:
    states: actions
    rows:
      start:  [0.0, 0.0, 1.0]
      end:    [1.0, 0.0, 0.0]
      browse: [0.0, 0.5, 0.4]
`;

const located = (file: string) => loadScenario(file).diagnostics.map(({ code, file: f, line, column }) => ({ code, file: f.split('/').slice(-2).join('/'), line, column }));

describe('extends', () => {
  it('deep-merges the child over its base; null removes an inherited key', () => {
    const dir = project('extends', {
      'base.yaml': BASE,
      'child.yaml': 'scenario: child\nextends: base.yaml\nparams:\n  users: 50\nactors:\n  users:\n    attributes:\n      fraudster: { bernoulli: { p: 0.5 } }\noutputs:\n  actions: null\n',
    });
    const loaded = loadScenario(join(dir, 'child.yaml'));
    expect(loaded.diagnostics).toEqual([]);
    const plan = loaded.compiled!.plan;
    expect(plan.scenario).toBe('child');
    expect(plan.seed).toBe(3);
    expect(plan.populations[0].count).toBe(50);
    expect(plan.outputs.map((o) => o.name)).toEqual(['sessions']);
    expect(plan.populations[0].attributes[0].mean).toBe(0.5);
    expect(plan.sources).toMatchObject({ 'params.users': 'child.yaml', 'matrices.normal': 'base.yaml', 'actors.users': 'base.yaml + child.yaml' });
  });

  it('a finding about an inherited piece points into the base', () => {
    const dir = project('inherited', {
      'base.yaml': BASE.replace('browse: [0.0, 0.5, 0.5]', 'browse: [0.0, 0.5, 0.2]'),
      'child.yaml': 'scenario: child\nextends: base.yaml\nseed: 9\n',
    });
    expect(located(join(dir, 'child.yaml'))).toEqual([{ code: 'matrix-row-sum', file: 'inherited/base.yaml', line: 18, column: 15 }]);
  });

  it('a missing base is reported at the extends entry', () => {
    const dir = project('missing-base', { 'child.yaml': 'scenario: child\nextends: nowhere.yaml\n' });
    expect(located(join(dir, 'child.yaml'))).toEqual([{ code: 'compose-missing', file: 'missing-base/child.yaml', line: 2, column: 10 }]);
  });
});

describe('include', () => {
  it('adds the named maps of fragments; plan sources name the file of each piece', () => {
    const dir = project('include', {
      'main.yaml': BASE.replace('seed: 3\n', 'seed: 3\ninclude: [lib/extra.yaml]\n'),
      'lib/extra.yaml': MATRICES.replace('0.5, 0.4]', '0.5, 0.5]'),
    });
    const loaded = loadScenario(join(dir, 'main.yaml'));
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.compiled!.plan.sources).toMatchObject({ 'matrices.sloppy': 'lib/extra.yaml', 'matrices.normal': 'main.yaml' });
  });

  it('a run lists the files it was composed from in its manifest, relative to the scenario, with their sha256', async () => {
    const extra = MATRICES.replace('0.5, 0.4]', '0.5, 0.5]');
    const dir = project('inputs', {
      'main.yaml': BASE.replace('seed: 3\n', 'seed: 3\ninclude: [lib/extra.yaml]\n'),
      'lib/extra.yaml': extra,
    });
    const loaded = loadScenario(join(dir, 'main.yaml'));
    const { manifest } = await runScenario({ ...loaded, compiled: loaded.compiled! }, { out: join(dir, 'out'), overrides: [] });
    expect(manifest.scenario.inputs).toEqual([{ file: 'lib/extra.yaml', sha256: sha256(extra) }]);
    expect(manifest.scenario.copy?.composed).toBe(true);
  });

  it('a diagnostic inside an included file points into that file', () => {
    const dir = project('inner', {
      'main.yaml': BASE.replace('seed: 3\n', 'seed: 3\ninclude:\n  - lib/matrices.yaml\n'),
      'lib/matrices.yaml': MATRICES,
    });
    expect(located(join(dir, 'main.yaml'))).toEqual([{ code: 'matrix-row-sum', file: 'lib/matrices.yaml', line: 8, column: 15 }]);
  });

  it('an expression error inside an included file points at the name, in that file', () => {
    const dir = project('inner-expr', {
      'main.yaml': BASE.replace('  sessions:\n    from: sessions\n    columns:\n      user: actor.id\n      path: session.path\n', '').replace('seed: 3\n', 'seed: 3\ninclude: [lib/outputs.yaml]\n'),
      'lib/outputs.yaml': 'outputs:\n  sessions:\n    from: sessions\n    columns:\n      user: actor.idd\n',
    });
    expect(located(join(dir, 'main.yaml'))).toEqual([{ code: 'expr-unknown-identifier', file: 'lib/outputs.yaml', line: 5, column: 13 }]);
  });

  it('an include cycle is reported at the entry that closes it', () => {
    const dir = project('cycle', {
      'main.yaml': BASE.replace('seed: 3\n', 'seed: 3\ninclude: [lib/a.yaml]\n'),
      'lib/a.yaml': 'include:\n  - b.yaml\n',
      'lib/b.yaml': '# b includes a again\ninclude:\n  - a.yaml\n',
    });
    const diagnostics = loadScenario(join(dir, 'main.yaml')).diagnostics;
    expect(diagnostics.map(({ code, line, column }) => ({ code, line, column }))).toEqual([{ code: 'compose-cycle', line: 3, column: 5 }]);
    expect(diagnostics[0].file).toMatch(/lib\/b\.yaml$/);
    expect(diagnostics[0].message).toMatch(/include cycle: .*lib\/a\.yaml -> .*lib\/b\.yaml -> .*lib\/a\.yaml/);
  });

  it('a missing included file is reported at its line', () => {
    const dir = project('missing-include', { 'main.yaml': BASE.replace('seed: 3\n', 'seed: 3\ninclude:\n  - lib/ok.yaml\n  - lib/gone.yaml\n'), 'lib/ok.yaml': 'states:\n  other: [a, b]\n' });
    const [d, ...rest] = loadScenario(join(dir, 'main.yaml')).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'compose-missing', line: 5, column: 5 });
    expect(d.message).toContain('"lib/gone.yaml": no such file');
  });

  it('a name defined twice is an error at the second definition', () => {
    const dir = project('duplicate', {
      'main.yaml': BASE.replace('seed: 3\n', 'seed: 3\ninclude: [lib/normal.yaml]\n'),
      'lib/normal.yaml': 'matrices:\n  normal:\n    states: actions\n    rows: {}\n',
    });
    const [d] = loadScenario(join(dir, 'main.yaml')).diagnostics;
    expect(d).toMatchObject({ code: 'compose-duplicate', line: 2, column: 3 });
    expect(d.file).toMatch(/lib\/normal\.yaml$/);
    expect(d.message).toMatch(/matrix "normal" is defined in both .*main\.yaml:\d+ and .*lib\/normal\.yaml/);
  });

  it('an included file may hold only named maps', () => {
    const dir = project('bad-fragment', { 'main.yaml': BASE.replace('seed: 3\n', 'seed: 3\ninclude: [lib/x.yaml]\n'), 'lib/x.yaml': 'states:\n  other: [a, b]\nseed: 4\n' });
    expect(located(join(dir, 'main.yaml'))).toEqual([{ code: 'compose-invalid', file: 'lib/x.yaml', line: 3, column: 1 }]);
  });
});
