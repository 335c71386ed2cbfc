/** The `scenario` command as a user runs it (the built CLI, without a terminal, CI=true). */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildScenarioSchema } from '../../src/schema/scenario-schema.js';
import { CLI, cli, removeDir, ROOT, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => removeDir(tmp));

describe('scenario run', () => {
  it('prints plain progress lines and a summary without a terminal', () => {
    const out = join(tmp, 'plain');
    const r = cli(['run', 'scenarios/crm-theft.yaml', '--out', out]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`scenario crm-theft (seed 42): 3 stages -> ${out}`);
    expect(lines).toContain('[2/3] sessions (markov over users): started, 200 users');
    expect(r.stdout).toMatch(/\[2\/3\] sessions \(markov over users\): done in [\d.]+s, 200 users, 40,000 rows/);
    expect(r.stdout).toMatch(/sessions +sessions\.csv +40,000 +[\d.]+ MiB +FraudulentActivity [\d.]+% \(\d+ positive\)/);
    expect(readdirSync(out).sort()).toEqual(['id2action.csv', 'manifest.json', 'scenario.yaml', 'sessions.csv']);
    expect(readFileSync(join(out, 'id2action.csv'), 'utf8')).toBe('id,action\n0,<pad>\n1,start\n2,end\n3,action_1\n4,action_2\n5,action_3\n6,action_4\n7,action_5\n');
  });

  it('--quiet prints nothing; --seed and --set reach the manifest', () => {
    const out = join(tmp, 'quiet');
    const r = cli(['run', 'scenarios/crm-theft.yaml', '--out', out, '--quiet', '--seed', '5', '--set', 'actors.users.count=10']);
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toBe('');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.seed).toBe(5);
    expect(manifest.overrides).toEqual(['actors.users.count=10']);
    expect(manifest.files[0].rows).toBe(2000);
  });

  it('refuses to overwrite existing output without --force', () => {
    const out = join(tmp, 'quiet');
    const r = cli(['run', 'scenarios/crm-theft.yaml', '--out', out, '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('already exists; use --force');
    expect(cli(['run', 'scenarios/crm-theft.yaml', '--out', out, '--quiet', '--force']).status).toBe(0);
  });

  it('usage errors exit 2 with a hint, never a stack trace', () => {
    for (const args of [['run'], ['run', 'x.yaml', '--seed', 'abc'], ['run', 'x.yaml', '--bogus'], ['nope'], ['run', 'x.yaml', '--shard', '4/3']]) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/hint:/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--workers 1, 2 and 3 write identical bytes', () => {
    // 2,000 users x 200 sessions = 400,000 rows: above the size where workers start.
    const sums = [1, 2, 3].map((w) => {
      const out = join(tmp, `workers-${w}`);
      const r = cli(['run', 'scenarios/crm-theft.yaml', '--out', out, '--quiet', '--workers', String(w), '--set', 'actors.users.count=2000']);
      expect(r.status).toBe(0);
      return readFileSync(join(out, 'manifest.json'), 'utf8');
    });
    expect(sums[1]).toBe(sums[0]);
    expect(sums[2]).toBe(sums[0]);
  });

  it('shards 1..3 of 3 concatenate to the unsharded output', () => {
    const whole = join(tmp, 'whole');
    expect(cli(['run', 'scenarios/crm-theft.yaml', '--out', whole, '--quiet', '--set', 'actors.users.count=50']).status).toBe(0);
    const parts = [1, 2, 3].map((i) => {
      const out = join(tmp, `shard-${i}`);
      expect(cli(['run', 'scenarios/crm-theft.yaml', '--out', out, '--quiet', '--shard', `${i}/3`, '--set', 'actors.users.count=50']).status).toBe(0);
      expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).shard).toEqual({ index: i, count: 3 });
      return out;
    });
    for (const file of ['sessions.csv', 'id2action.csv']) {
      const joined = parts.map((p) => readFileSync(join(p, file), 'utf8')).join('');
      expect(joined, file).toBe(readFileSync(join(whole, file), 'utf8'));
    }
    expect(readFileSync(join(parts[1], 'sessions.csv'), 'utf8').length).toBeGreaterThan(0);
  });

  it('SIGINT stops within a second, removes the partial output and exits 130', async () => {
    const out = join(tmp, 'interrupted');
    const child = spawn(process.execPath, [CLI, 'run', 'scenarios/crm-theft.yaml', '--out', out, '--workers', '1', '--set', 'actors.users.count=400000'], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('sessions (markov over users): started')) resolve();
      });
    });
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(1500);
    expect(stderr).toContain('interrupted; the partial output was removed');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes('interrupted'))).toEqual([]);
  });
});

describe('scenario validate, plan, schema', () => {
  it('validate reports ok for the bundled scenario and errors with file:line:col otherwise', () => {
    const ok = cli(['validate', 'scenarios/crm-theft.yaml']);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toContain('scenarios/crm-theft.yaml: ok');
    const bad = cli(['validate', 'scenarios/crm-theft.yaml', '--set', 'processes.sessions.markov.actor=staff']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/scenarios\/crm-theft\.yaml:\d+:\d+ +ref-unknown +actor "staff" is not declared/);
    expect(bad.stderr).toContain('hint: Declared actors: users.');
    const missing = cli(['validate', 'nowhere.yaml']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('file-unreadable');
  });

  it('plan --json gives stages and exact expected rows', () => {
    const r = cli(['plan', 'scenarios/crm-theft.yaml', '--json']);
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.stages).toEqual(['actors/users', 'process/sessions', 'tables']);
    expect(plan.outputs.find((o: any) => o.name === 'sessions').expectedRows).toBe(40000);
    expect(plan.populations[0]).toMatchObject({ name: 'users', count: 200 });
  });

  it('schema prints the language schema, and schema/scenario.schema.json is up to date', () => {
    const r = cli(['schema']);
    expect(r.status).toBe(0);
    const file = readFileSync(join(ROOT, 'schema', 'scenario.schema.json'), 'utf8');
    expect(JSON.parse(r.stdout)).toEqual(buildScenarioSchema());
    expect(JSON.parse(file), 'run `npm run schema` to regenerate schema/scenario.schema.json').toEqual(buildScenarioSchema());
  });

  it('--help of every command shows usage, examples and exit codes', () => {
    for (const cmd of ['validate', 'plan', 'run', 'schema', 'detect', 'report', 'verify', 'init', 'list']) {
      const r = cli([cmd, '--help']);
      expect(r.status, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/Usage: scenario/);
      expect(r.stdout, cmd).toMatch(/[Ee]xit codes?/);
      expect(r.stdout, cmd).toMatch(/scenario \w+ /);
    }
  });
});
