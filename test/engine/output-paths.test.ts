/**
 * Output paths: a scenario's `file:` cannot leave the output folder or collide with what the
 * run writes itself, a symlink where the output goes is replaced, never written through, and
 * existing output is replaced only with --force, and only by a run that succeeds.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/pipeline.js';
import { OutputDir, OutputDirError } from '../../src/sinks/output-dir.js';
import { cli, removeDir, ROOT, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => removeDir(tmp));

const CRM = join(ROOT, 'scenarios', 'crm-theft.yaml');
const small = ['--set', 'actors.users.count=3', '--quiet'];

/** Findings for crm-theft with its sessions output written to `file`. */
const findings = (file: string, more: string[] = []) =>
  loadScenario(CRM, { set: [`outputs.sessions.file=${JSON.stringify(file)}`, ...more] }).diagnostics.map((d) => `${d.code}: ${d.message}`);

describe('file: stays inside the output folder', () => {
  it.each(['../x.csv', '/etc/passwd', 'a/../../x.csv', 'sub/../../x.csv', '..'])('%s is refused by validation', (file) => {
    expect(findings(file)).toEqual(['schema-value: outputs.sessions.file must be a relative path that stays inside the output folder']);
  });

  it.each([
    ['.', '"." does not name a file'],
    ['sub/', '"sub/" does not name a file'],
    ['a//b.csv', '"a//b.csv" does not name a file'],
    ['x\ty.csv', '"x\ty.csv" does not name a file'],
    ['manifest.json', '"manifest.json" is a file the run writes itself'],
    ['scenario.yaml', '"scenario.yaml" is a file the run writes itself'],
    [`${'x'.repeat(300)}.csv`, 'has a part longer than 255 bytes'],
  ])('%s is refused: %s', (file, detail) => {
    expect(findings(file)).toEqual([`schema-value: outputs.sessions.file ${detail}`]);
  });

  it('a file cannot also be the folder of another output', () => {
    expect(findings('tables/sessions.csv', ['outputs.id2action.file=tables'])).toEqual([
      'ref-mismatch: output "id2action" writes tables, which output "sessions" needs as a folder (tables/sessions.csv)',
    ]);
    expect(findings('tables/sessions.csv', ['outputs.id2action.file=tables/id2action.csv'])).toEqual([]);
  });

  it('OutputDir refuses a name that resolves outside its folder, whatever validation said', () => {
    const dir = new OutputDir(join(tmp, 'guarded'), false);
    dir.open();
    try {
      for (const name of ['../x', '/etc/x', 'a/../../x', '.']) expect(() => dir.file(name), name).toThrow(OutputDirError);
      expect(dir.file('a/b.csv').startsWith(dir.temp + '/')).toBe(true);
    } finally {
      dir.discard();
    }
    expect(existsSync(dir.temp)).toBe(false);
  });
});

describe('symlinks next to the output', () => {
  it('--out naming a symlink to a folder: refused without --force; with it the link is replaced, its target untouched', () => {
    const parent = join(tmp, 'links');
    const target = join(tmp, 'elsewhere');
    mkdirSync(parent, { recursive: true });
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'keep.txt'), 'not output');
    symlinkSync(target, join(parent, 'out'));
    const refused = cli(['run', CRM, '--out', join(parent, 'out'), ...small]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('already exists; use --force');
    expect(readdirSync(target)).toEqual(['keep.txt']);

    const forced = cli(['run', CRM, '--out', join(parent, 'out'), '--force', ...small]);
    expect(forced.status).toBe(0);
    expect(lstatSync(join(parent, 'out')).isSymbolicLink()).toBe(false);
    expect(readdirSync(join(parent, 'out'))).toContain('manifest.json');
    // Nothing was written through the link, and nothing it pointed at was removed.
    expect(readdirSync(target)).toEqual(['keep.txt']);
    expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('not output');
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('a symlink in the parent with the name of an output file changes nothing inside the new folder', () => {
    const parent = join(tmp, 'links2');
    mkdirSync(parent, { recursive: true });
    writeFileSync(join(tmp, 'victim.csv'), 'precious');
    symlinkSync(join(tmp, 'victim.csv'), join(parent, 'sessions.csv'));
    const r = cli(['run', CRM, '--out', join(parent, 'out'), ...small]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(tmp, 'victim.csv'), 'utf8')).toBe('precious');
    expect(lstatSync(join(parent, 'out', 'sessions.csv')).isFile()).toBe(true);
  });
});

describe('--force replaces output only when the new run succeeds', () => {
  it('a failed --force run leaves the old output intact, byte for byte', () => {
    const out = join(tmp, 'kept');
    expect(cli(['run', CRM, '--out', out, ...small]).status).toBe(0);
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    // Stops at limits.max_rows half-way through the sessions.
    const failed = cli(['run', CRM, '--out', out, '--force', '--quiet', '--set', 'actors.users.count=20', '--set', 'limits.max_rows=1000']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('run-limit');
    const after = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    expect(after).toEqual(before);
    expect(readdirSync(tmp).filter((f) => f.startsWith('.kept'))).toEqual([]);
  });
});
