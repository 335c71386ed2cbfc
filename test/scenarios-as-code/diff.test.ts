/** scenario diff: compares compiled plans; names changed matrix rows with their values. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffPlans, type DiffSide } from '../../src/diff/compare.js';
import { diffMarkdown, diffText } from '../../src/diff/render.js';
import { loadScenario } from '../../src/pipeline.js';
import { CLI, cli, removeDir, ROOT, tempDir } from '../helpers.js';

const CRM = join(ROOT, 'scenarios', 'crm-theft.yaml');
const TEXT = readFileSync(CRM, 'utf8');
const tmp = tempDir('scenario-diff-');
afterAll(() => removeDir(tmp));

function side(file: string): DiffSide {
  const loaded = loadScenario(file, { estimate: true });
  if (!loaded.compiled) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return { file: loaded.file, plan: loaded.compiled.plan, value: loaded.value };
}

function variant(name: string, edit: (text: string) => string): string {
  const file = join(tmp, name);
  const text = edit(TEXT);
  expect(text, 'the edit must change the scenario').not.toBe(TEXT);
  writeFileSync(file, text);
  return file;
}

describe('scenario diff', () => {
  it('a scenario against itself: no changes', () => {
    const d = diffPlans(side(CRM), side(CRM));
    expect(d.same).toBe(true);
    expect(d.effect).toEqual([]);
    expect(diffText(d)).toContain('no changes to the compiled plan');
  });

  it('a layout-only change is no change', () => {
    const file = variant('relaid.yaml', (t) => t.replace('seed: 42\n', '# a new comment\nseed:    42\n'));
    expect(diffPlans(side(CRM), side(file)).same).toBe(true);
  });

  it('a changed matrix row is named, with its old and new values', () => {
    const file = variant('row.yaml', (t) => t.replace('action_2: [0.00, 0.60, 0.05, 0.10, 0.05, 0.05, 0.15]', 'action_2: [0.00, 0.50, 0.15, 0.10, 0.05, 0.05, 0.15]'));
    const d = diffPlans(side(CRM), side(file));
    expect(d.same).toBe(false);
    expect(d.matrices.changed).toEqual([
      {
        name: 'role_0',
        changes: [
          {
            path: 'rows.action_2',
            old: [0, 0.6, 0.05, 0.1, 0.05, 0.05, 0.15],
            new: [0, 0.5, 0.15, 0.1, 0.05, 0.05, 0.15],
            entries: [
              { at: 'end', old: 0.6, new: 0.5 },
              { at: 'action_1', old: 0.05, new: 0.15 },
            ],
          },
        ],
      },
    ]);
    const text = diffText(d);
    expect(text).toContain('~ role_0');
    expect(text).toContain('rows.action_2: [0,0.6,0.05,0.1,0.05,0.05,0.15] -> [0,0.5,0.15,0.1,0.05,0.05,0.15]');
    expect(text).toContain('end 0.6 -> 0.5, action_1 0.05 -> 0.15');
  });

  it('scaling a param shows in populations, processes and expected rows and bytes', () => {
    const file = variant('scaled.yaml', (t) => t.replace('    default: 200\n    minimum: 0\n    description: CRM users', '    default: 400\n    minimum: 0\n    description: CRM users'));
    const d = diffPlans(side(CRM), side(file));
    expect(d.params).toEqual([{ path: 'users', old: 200, new: 400 }]);
    expect(d.populations.changed).toEqual([{ name: 'users', changes: [{ path: 'members', old: 200, new: 400 }] }]);
    const sessions = d.effect.find((e) => e.name === 'sessions')!;
    expect(sessions.rows).toEqual({ old: 40000, new: 80000 });
    expect(sessions.prevalence?.old).toBeGreaterThan(0);
    const md = diffMarkdown(d);
    expect(md.split('\n')[0]).toBe('<!-- scenario-diff -->');
    expect(md).toMatch(/\| `sessions\.csv` \| 40,000 -> 80,000 \(\+100%\) \|/);
  });

  it('added and removed outputs and processes are listed', () => {
    const file = variant('outputs.yaml', (t) => t.replace(/\n {2}id2action:\n[\s\S]*$/, '\n'));
    const d = diffPlans(side(CRM), side(file));
    expect(d.outputs.removed).toEqual(['id2action']);
    expect(diffPlans(side(file), side(CRM)).outputs.added).toEqual(['id2action']);
  });

  it('the CLI reads - from standard input, prints JSON, and exits 1 for an invalid scenario', () => {
    const r = spawnSync(process.execPath, [CLI, 'diff', '-', 'scenarios/crm-theft.yaml', '--json'], { cwd: ROOT, input: TEXT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ same: true, old: { file: '(stdin)' } });
    const bad = cli(['diff', 'scenarios/crm-theft.yaml', 'nowhere.yaml']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('file-unreadable');
    expect(cli(['diff', 'scenarios/crm-theft.yaml']).status).toBe(2);
  });
});
