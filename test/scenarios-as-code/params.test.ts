/** Params: defaults, overrides by --set and --params with type checks, the manifest record. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/pipeline.js';
import { cli, removeDir, ROOT, runToTemp, tempDir } from '../helpers.js';

const CRM = join(ROOT, 'scenarios', 'crm-theft.yaml');
const tmp = tempDir();
const dirs: string[] = [];
afterAll(() => [tmp, ...dirs].forEach(removeDir));

const located = (file: string, opts: Parameters<typeof loadScenario>[1]) =>
  loadScenario(file, opts).diagnostics.map(({ code, file: f, line, column }) => ({ code, file: f, line, column }));

/** Line (1-based) of the first line of `text` matching `re`. */
const lineOf = (text: string, re: RegExp) => text.split('\n').findIndex((l) => re.test(l)) + 1;

describe('params', () => {
  it('defaults reach expressions and the plan', () => {
    const plan = loadScenario(CRM).compiled!.plan;
    expect(plan.params).toEqual({ users: 200, sessions_per_day: 200, fraudster_share: 0.02, fraud_session_share: 0.2 });
    expect(plan.populations[0].count).toBe(200);
  });

  it('--set params.<name> overrides, and the manifest records the values used', async () => {
    const { dir, manifest } = await runToTemp('scenarios/crm-theft.yaml', { set: ['params.users=12', 'params.sessions_per_day=3'] });
    dirs.push(dir);
    expect(manifest.params).toMatchObject({ users: 12, sessions_per_day: 3 });
    expect(manifest.overrides).toEqual(['params.users=12', 'params.sessions_per_day=3']);
    expect(manifest.files.find((f: any) => f.output === 'sessions').rows).toBe(36);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).params.users).toBe(12);
  });

  it('--params FILE overrides, before --set params.*', () => {
    const file = join(tmp, 'big.yaml');
    writeFileSync(file, 'users: 40\nsessions_per_day: 5\n');
    const plan = loadScenario(CRM, { params: [file], set: ['params.sessions_per_day=7'] }).compiled!.plan;
    expect(plan.params).toMatchObject({ users: 40, sessions_per_day: 7 });
    expect(plan.populations[0].count).toBe(40);
    expect(plan.processes[0].details.perDayMean).toBe(7);
  });

  it('the CLI takes --params and --set params.* and writes them to the manifest', () => {
    const file = join(tmp, 'small.yaml');
    writeFileSync(file, 'users: 5\n');
    const out = join(tmp, 'cli-run');
    const r = cli(['run', 'scenarios/crm-theft.yaml', '--out', out, '--quiet', '--params', file, '--set', 'params.sessions_per_day=2']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.params).toMatchObject({ users: 5, sessions_per_day: 2 });
    expect(manifest.files[0].rows).toBe(10);
  });

  it('reports a wrong type or an unknown param where it was given', () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, '# overrides\nusers: many\nuser: 3\nfraudster_share: 1.5\n');
    const bad = expect.stringContaining('bad.yaml');
    expect(located(CRM, { params: [file] })).toEqual([
      { code: 'param-type', file: bad, line: 2, column: 8 },
      { code: 'param-unknown', file: bad, line: 3, column: 1 },
      { code: 'param-range', file: bad, line: 4, column: 18 },
    ]);
  });

  it('says which --set was wrong and where the param is declared', () => {
    const loaded = loadScenario(CRM, { set: ['params.users=2.5', 'params.nope=1'] });
    const [type, unknown] = loaded.diagnostics;
    expect(type).toMatchObject({ code: 'param-type', file: '--set', line: 0 });
    expect(type.message).toContain('--set params.users=2.5');
    const declared = lineOf(readFileSync(CRM, 'utf8'), /^  users:/);
    expect(type.hint).toContain(`crm-theft.yaml:${declared}:3`);
    expect(unknown).toMatchObject({ code: 'param-unknown', file: '--set' });
    expect(unknown.hint).toContain('users, sessions_per_day');
  });

  it('reports a default of the wrong type at the default, and unknown params.* names in expressions', () => {
    const file = join(tmp, 'defaults.yaml');
    const text = readFileSync(CRM, 'utf8')
      .replace('    type: integer\n    default: 200\n    minimum: 0\n    description: CRM users', '    type: integer\n    default: lots\n    minimum: 0\n    description: CRM users')
      .replace('per_day: params.sessions_per_day', 'per_day: params.sesions_per_day');
    writeFileSync(file, text);
    expect(located(file, {})).toEqual([{ code: 'param-type', file: expect.stringContaining('defaults.yaml'), line: lineOf(text, /default: lots/), column: 14 }]);
    writeFileSync(file, text.replace('default: lots', 'default: 200'));
    expect(located(file, {})).toEqual([
      { code: 'expr-unknown-identifier', file: expect.stringContaining('defaults.yaml'), line: lineOf(text, /per_day: params\.sesions/), column: 16 },
    ]);
  });
});
