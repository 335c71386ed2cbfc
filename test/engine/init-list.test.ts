/** `scenario list` shows the bundled scenarios; `scenario init` starts a valid scenario from one, never overwriting. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { starterText } from '../../src/commands/init.js';
import { summaryOf } from '../../src/templates/bundled.js';
import { cli, removeDir, ROOT, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => removeDir(tmp));
const BUNDLED = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();

describe('scenario list', () => {
  it('lists every scenarios/*.yaml with its name, description and file', () => {
    const r = cli(['list', '--json']);
    expect(r.status).toBe(0);
    const listed = JSON.parse(r.stdout);
    expect(listed.map((s: any) => s.file)).toEqual(BUNDLED.map((f) => `scenarios/${f}`));
    const crm = listed.find((s: any) => s.name === 'crm-theft');
    expect(crm).toEqual({ name: 'crm-theft', template: 'crm-theft', description: 'Sessions of 200 CRM users over one day.', file: 'scenarios/crm-theft.yaml' });
    const text = cli(['list']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^crm-theft +Sessions of 200 CRM users over one day\.$/m);
    expect(text.stdout).toMatch(/^ +scenarios\/crm-theft\.yaml$/m);
  }, 120_000);

  it('summarises a description by its first line, or its first sentence when that line is long', () => {
    expect(summaryOf('One line.\nMore.')).toBe('One line.');
    expect(summaryOf(`${'A long sentence that goes on. '.repeat(5)}`)).toBe('A long sentence that goes on.');
    expect(summaryOf(undefined)).toBe('');
  });
});

describe('scenario init', () => {
  it('writes a renamed copy of crm-theft with its schema next to it, and it validates', () => {
    const r = cli(['init', 'my-crm'], { cwd: tmp });
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(tmp, 'my-crm.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./scenario.schema.json');
    expect(parse(text).scenario).toBe('my-crm');
    // The schema the same build prints (scenario schema): the file is that, byte for byte.
    expect(readFileSync(join(tmp, 'scenario.schema.json'), 'utf8')).toBe(cli(['schema']).stdout);
    const v = cli(['validate', join(tmp, 'my-crm.yaml')]);
    expect(v.status, v.stderr).toBe(0);
    expect(r.stdout).toContain('scenario run my-crm.yaml --report');
  }, 120_000);

  it('refuses to overwrite, and leaves the file as it was', () => {
    const file = join(tmp, 'mine.yaml');
    writeFileSync(file, 'keep me\n');
    const r = cli(['init', 'mine'], { cwd: tmp });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('already exists');
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
  }, 120_000);

  it('keeps an existing, different schema file and says how to update it', () => {
    const dir = join(tmp, 'old-schema');
    expect(cli(['init', 'a', '--dir', dir], { cwd: tmp }).status).toBe(0);
    writeFileSync(join(dir, 'scenario.schema.json'), '{}\n');
    const r = cli(['init', 'b', '--dir', dir], { cwd: tmp });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('differs from this engine');
    expect(readFileSync(join(dir, 'scenario.schema.json'), 'utf8')).toBe('{}\n');
  }, 120_000);

  it('starts from every bundled scenario (templates are discovered from the folder)', () => {
    for (const f of BUNDLED) {
      const template = f.replace(/\.yaml$/, '');
      const dir = join(tmp, `from-${template}`);
      const r = cli(['init', `x_${template.replace(/-/g, '_')}`, '--template', template, '--dir', dir], { cwd: tmp });
      expect(r.status, `${template}: ${r.stderr}`).toBe(0);
      expect(existsSync(join(dir, 'scenario.schema.json'))).toBe(true);
    }
  }, 120_000);

  it('rejects an unknown template (exit 1) and an invalid name (exit 2)', () => {
    const unknown = cli(['init', 'x', '--template', 'nope'], { cwd: tmp });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('crm-theft');
    expect(cli(['init', '9lives'], { cwd: tmp }).status).toBe(2);
    expect(cli(['init'], { cwd: tmp }).status).toBe(2);
  }, 120_000);

  it('rewrites the modeline and the name, and nothing else', () => {
    const t = '# yaml-language-server: $schema=../schema/scenario.schema.json\n# c\nscenario: old\nseed: 1\n';
    expect(starterText(t, 'new')).toBe('# yaml-language-server: $schema=./scenario.schema.json\n# c\nscenario: new\nseed: 1\n');
  });
});
