/** scenario fmt: canonical layout, idempotent, every comment kept, the data and the run output unchanged. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lexer, parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { diffPlans } from '../../src/diff/compare.js';
import { formatScenario } from '../../src/fmt/format.js';
import { loadScenario } from '../../src/pipeline.js';
import { cli, removeDir, ROOT, runToTemp, tempDir } from '../helpers.js';

const tmp = tempDir('scenario-fmt-');
const dirs: string[] = [];
afterAll(() => [tmp, ...dirs].forEach(removeDir));

const BUNDLED = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml'));
/** Scenarios expected to write more than this are compared by plan instead of by running them. */
const RUN_LIMIT = 32 * 2 ** 20;
const originals = join(tmp, 'originals');
const formatted = join(tmp, 'formatted');
mkdirSync(originals);
mkdirSync(formatted);
for (const name of BUNDLED) {
  const text = readFileSync(join(ROOT, 'scenarios', name), 'utf8');
  writeFileSync(join(originals, name), text);
  writeFileSync(join(formatted, name), formatScenario(text));
}

/** Every comment of a YAML text, as the lexer sees them, sorted (a multiset). */
function comments(text: string): string[] {
  return [...new Lexer().lex(text)].filter((t) => t.startsWith('#')).map((t) => t.trimEnd()).sort();
}

const MESSY = `# A scenario written by hand, in no particular order.
outputs:
    sessions:
        from: sessions
        columns: {user: actor.id, path: session.path}   # two columns
processes:
    sessions:
        markov:
            actor: users
            states: actions
            start: start
            end: end
            per_day: 2
            matrix: normal
matrices:
    normal:
        states: actions
        rows:
            # start, end, browse
            start:
                - 0.0
                - 0.0
                - 1.0
            end: [1.0, 0.0, 0.0]
            browse: [0.0, 0.5, 0.5]
seed: 4
states:
    actions: [start, end, browse]
actors:
    users: {count: 3}
scenario: messy
`;

describe('scenario fmt', () => {
  it('lays a file out canonically: key order, indentation, flow rows aligned, comments kept', () => {
    const out = formatScenario(MESSY);
    expect(out).toBe(`# A scenario written by hand, in no particular order.
scenario: messy
seed: 4

actors:
  users: { count: 3 }

states:
  actions: [start, end, browse]

matrices:
  normal:
    states: actions
    rows:
      # start, end, browse
      start:  [0.0, 0.0, 1.0]
      end:    [1.0, 0.0, 0.0]
      browse: [0.0, 0.5, 0.5]

processes:
  sessions:
    markov:
      actor: users
      states: actions
      start: start
      end: end
      per_day: 2
      matrix: normal

outputs:
  sessions:
    from: sessions
    columns: { user: actor.id, path: session.path }  # two columns
`);
    expect(formatScenario(out)).toBe(out);
    expect(parse(out)).toEqual(parse(MESSY));
  });

  it('re-wraps folded text without changing it, and writes long lists as blocks', () => {
    const text = `scenario: long\ndescription: >\n  ${'word '.repeat(40).trim()}\nactors:\n  users:\n    count: 1\n    attributes:\n      city: { categorical: { values: [${Array.from({ length: 30 }, (_, i) => `city_${i}`).join(', ')}], weights: [1] } }\n`;
    const out = formatScenario(text);
    expect(out.split('\n').every((l) => l.length <= 92)).toBe(true);
    expect(parse(out)).toEqual(parse(text));
    expect(formatScenario(out)).toBe(out);
  });

  it.each(BUNDLED)('%s: idempotent, every comment kept, same data', (name) => {
    const text = readFileSync(join(ROOT, 'scenarios', name), 'utf8');
    const once = formatScenario(text);
    expect(formatScenario(once)).toBe(once);
    expect(comments(once)).toEqual(comments(text));
    expect(parse(once, { maxAliasCount: -1 })).toEqual(parse(text, { maxAliasCount: -1 }));
    expect(once.split('\n')[0]).toBe(text.split('\n')[0]);
  });

  it.each(BUNDLED)('%s: the formatted scenario writes the same dataset', async (name) => {
    // Both versions live in copies of the whole folder, so extends/include resolve alike.
    const original = join(originals, name);
    const copy = join(formatted, name);
    const plan = loadScenario(original, { estimate: true }).compiled!.plan;
    const bytes = plan.outputs.reduce((s, o) => s + (o.expectedBytes ?? 0), 0);
    if (bytes > RUN_LIMIT) {
      // Too large to run in a test: the compiled plans must be the same.
      const side = (file: string) => ({ file, plan: loadScenario(file, { estimate: true }).compiled!.plan, value: loadScenario(file).value });
      expect(diffPlans(side(original), side(copy)).same).toBe(true);
      return;
    }
    const a = await runToTemp(original);
    const b = await runToTemp(copy);
    dirs.push(a.dir, b.dir);
    expect(b.manifest.files).toEqual(a.manifest.files);
  });

  it('--check lists unformatted files and exits 1; fmt rewrites them; then --check passes', () => {
    const file = join(tmp, 'messy.yaml');
    writeFileSync(file, MESSY);
    const check = cli(['fmt', '--check', file]);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('messy.yaml');
    expect(readFileSync(file, 'utf8')).toBe(MESSY);
    const write = cli(['fmt', file]);
    expect(write.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(formatScenario(MESSY));
    expect(cli(['fmt', '--check', file]).status).toBe(0);
  });

  it('fmt and diff have help with usage, examples and exit codes', () => {
    for (const cmd of ['fmt', 'diff']) {
      const r = cli([cmd, '--help']);
      expect(r.status, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/Usage: scenario/);
      expect(r.stdout, cmd).toMatch(/Exit codes/);
      expect(r.stdout, cmd).toMatch(new RegExp(`scenario ${cmd} `));
    }
  });

  it('reports invalid YAML with its place and leaves the file alone', () => {
    const file = join(tmp, 'broken.yaml');
    writeFileSync(file, 'scenario: x\nactors:\n  users: [1, 2\n');
    const r = cli(['fmt', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+ +yaml-syntax/);
    expect(readFileSync(file, 'utf8')).toBe('scenario: x\nactors:\n  users: [1, 2\n');
  });
});
