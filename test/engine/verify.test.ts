/** `scenario verify`: an intact dataset passes; a changed or missing file fails; --regenerate repeats the run. */
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeDir, tempDir } from '../helpers.js';

const tmp = tempDir();
const dataset = join(tmp, 'crm');
afterAll(() => removeDir(tmp));

beforeAll(() => {
  const r = cli(['run', 'scenarios/crm-theft.yaml', '--out', dataset, '--quiet', '--seed', '9', '--set', 'actors.users.count=30', '--report']);
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

/** A fresh copy of the dataset to damage. */
function copy(name: string): string {
  const dir = join(tmp, name);
  cpSync(dataset, dir, { recursive: true });
  return dir;
}

describe('scenario verify', () => {
  it('passes an intact dataset: every file ok, report.html shown as outside the manifest', () => {
    const r = cli(['verify', dataset]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}ok +sessions\.csv +output sessions: [\d,]+ bytes, sha256 [0-9a-f]{12}…$/m);
    expect(r.stdout).toMatch(/^ {2}ok +id2action\.csv/m);
    expect(r.stdout).toMatch(/^ {2}ok +scenario\.yaml +scenario copy/m);
    expect(r.stdout).toMatch(/^ {2}extra +report\.html +derived view/m);
    expect(r.stdout).toContain('result: ok');
  }, 120_000);

  it('fails on a changed file, naming it, with sizes and hashes', () => {
    const dir = copy('tampered');
    appendFileSync(join(dir, 'sessions.csv'), '1,0,0,start|end,0,0,1\n');
    const r = cli(['verify', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^ {2}CHANGED +sessions\.csv +output sessions: [\d,]+ bytes expected, [\d,]+ found; sha256 [0-9a-f]{12}… expected, [0-9a-f]{12}… found$/m);
    expect(r.stdout).toMatch(/^ {2}ok +id2action\.csv/m);
    expect(r.stdout).toContain('result: FAILED');
  }, 120_000);

  it('fails on a same-size change (hash only) and on a missing file', () => {
    const dir = copy('missing');
    const csv = join(dir, 'sessions.csv');
    const text = readFileSync(csv, 'utf8');
    writeFileSync(csv, text.replace('start|', 'START|'));
    rmSync(join(dir, 'id2action.csv'));
    const r = cli(['verify', dir, '--json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    const by = Object.fromEntries(out.files.map((f: any) => [f.file, f.status]));
    expect(by).toMatchObject({ 'sessions.csv': 'changed', 'id2action.csv': 'missing', 'scenario.yaml': 'ok', 'report.html': 'extra' });
  }, 120_000);

  it('--regenerate runs the scenario copy again with the recorded seed and overrides: same bytes', () => {
    const r = cli(['verify', dataset, '--regenerate', '--workers', '1']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('regenerate: crm-theft with seed 9 and --set actors.users.count=30');
    expect(r.stdout).toMatch(/^ {2}same +sessions\.csv +6,000 rows, same bytes$/m);
    expect(r.stdout).toMatch(/^ {2}same +id2action\.csv/m);
  }, 120_000);

  it('--regenerate fails when the manifest does not describe what the scenario makes', () => {
    const dir = copy('other-seed');
    const path = join(dir, 'manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8'));
    m.seed = 10;
    writeFileSync(path, JSON.stringify(m, null, 2) + '\n');
    const r = cli(['verify', dir, '--regenerate', '--workers', '1']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^ {2}ok +sessions\.csv/m);
    expect(r.stdout).toMatch(/^ {2}DIFFERS +sessions\.csv +6,000 rows in both; sha256 [0-9a-f]{12}… recorded, [0-9a-f]{12}… regenerated$/m);
  }, 120_000);

  it('--regenerate refuses a changed scenario copy', () => {
    const dir = copy('copy-changed');
    appendFileSync(join(dir, 'scenario.yaml'), '\n# edited\n');
    const r = cli(['verify', dir, '--regenerate']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^ {2}CHANGED +scenario\.yaml/m);
    expect(r.stdout).toContain('nothing trustworthy to regenerate from');
  }, 120_000);

  it('a folder without a manifest exits 1; usage errors exit 2', () => {
    const r = cli(['verify', tmp]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('has no manifest.json');
    expect(cli(['verify']).status).toBe(2);
    expect(cli(['verify', dataset, '--workers', '0']).status).toBe(2);
  });
});
