/**
 * Runaway processes: `scenario plan` warns with the expected size (`plan-size`), and a run
 * stops at the scenario's `limits` (`run-limit`), removes its partial output and exits 1.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { loadScenario, runScenario } from '../../src/pipeline.js';
import { cli, removeDir, ROOT, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => removeDir(tmp));

const CRM = join(ROOT, 'scenarios', 'crm-theft.yaml');

/** A chain whose end is reached with probability `pEnd` per step (expected length ~ 1 / pEnd). */
function slowChain(pEnd: number, extra = ''): string {
  return `scenario: slow-chain
${extra}actors:
  users: { count: 3 }
states:
  s: [start, end, loop]
matrices:
  m:
    states: s
    rows:
      start: [0, 0, 1]
      end: [1, 0, 0]
      loop: [0, ${pEnd}, ${1 - pEnd}]
processes:
  sessions:
    markov: { actor: users, states: s, start: start, end: end, per_day: 1, matrix: m }
outputs:
  sessions:
    from: sessions
    columns: { user: actor.id, steps: session.steps }
`;
}

const load = (text: string, set: string[] = []) => loadScenario(join(tmp, 'limits.yaml'), { text, set, estimate: true });

describe('scenario plan warns with the expected size', () => {
  it('when the expected rows exceed limits.max_rows, at the process that writes them', () => {
    const loaded = loadScenario(CRM, { set: ['actors.users.count=5', 'limits.max_rows=500'], estimate: true });
    expect(loaded.compiled).toBeDefined();
    const warnings = loaded.diagnostics.filter((d) => d.code === 'plan-size');
    expect(warnings.map((d) => d.message)).toEqual(['the run is expected to write ~1,008 rows, more than limits.max_rows (500): it will stop there']);
    expect(warnings[0].severity).toBe('warning');
    expect(warnings[0].path).toEqual(['processes', 'sessions']);
  });

  it('when a Markov chain rarely reaches its end state (expected path length over max_steps)', () => {
    const loaded = load(slowChain(1e-6));
    const [w] = loaded.diagnostics;
    expect(w.code).toBe('plan-size');
    expect(w.message).toBe('with matrix "m", a session of process "sessions" is expected to visit ~1,000,002 states, more than max_steps (10,000): most sessions will be cut');
    expect([w.line, w.column]).toEqual([7, 3]);
    expect(load(slowChain(0.01)).diagnostics).toEqual([]);
  });

  it('when one unit alone writes more than the pilot takes: the figures are lower bounds', () => {
    const loaded = loadScenario(CRM, { set: ['actors.users.count=5', 'processes.sessions.markov.per_day=1000000'], estimate: true });
    const w = loaded.diagnostics.find((d) => d.code === 'plan-size')!;
    expect(w.message).toMatch(/^process "sessions" wrote more than the pilot allows within a single unit: expect at least ~[\d,]+ rows/);
    expect(loaded.compiled!.plan.outputs.find((o) => o.name === 'sessions')!.expectedIsLowerBound).toBe(true);
  });
});

describe('limits stop a run', () => {
  it('a population above limits.max_members is an error before anything is drawn', () => {
    for (const estimate of [false, true]) {
      const loaded = loadScenario(CRM, { set: ['actors.users.count=3000000000'], estimate });
      expect(loaded.compiled).toBeUndefined();
      expect(loaded.diagnostics.map((d) => [d.code, d.message])).toEqual([
        ['run-limit', 'population "users" has 3,000,000,000 members, more than limits.max_members (100,000,000)'],
      ]);
      expect(loaded.diagnostics[0].path).toEqual(['actors', 'users', 'count']);
    }
  });

  it('a single draw of more sessions than limits.max_rows stops at once, at per_day', () => {
    const loaded = loadScenario(CRM, { set: ['actors.users.count=5', 'processes.sessions.markov.per_day=1e12'], estimate: true });
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['run-limit']);
    expect(loaded.diagnostics[0].message).toBe('per_day gave 1000000000000 sessions for member 0 on day 0, more than limits.max_rows (10,000,000,000) rows');
  });

  it('max_rows and max_bytes stop the run, which leaves no output', async () => {
    for (const [set, message] of [
      ['limits.max_rows=500', /^the run reached limits\.max_rows \(500\) rows while process "sessions" was writing; it stopped$/],
      ['limits.max_bytes=20000', /^the run reached limits\.max_bytes \(20,000\) bytes while process "sessions" was writing; it stopped$/],
    ] as const) {
      const loaded = loadScenario(CRM, { set: ['actors.users.count=60', set] });
      const out = join(tmp, 'capped');
      const error = await runScenario({ ...loaded, compiled: loaded.compiled! }, { out, overrides: [] }).catch((e) => e);
      expect(error, set).toBeInstanceOf(DiagnosticError);
      expect(error.diagnostics.map((d: { code: string }) => d.code)).toEqual(['run-limit']);
      expect(error.diagnostics[0].message).toMatch(message);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(tmp).filter((f) => f.includes('capped'))).toEqual([]);
    }
  });

  it('the CLI prints the run-limit with its place, removes the partial output and exits 1', () => {
    const out = join(tmp, 'cli-capped');
    const r = cli(['run', CRM, '--out', out, '--quiet', '--set', 'actors.users.count=20', '--set', 'limits.max_rows=1000']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/crm-theft\.yaml:\d+:\d+ +plan-size +the run is expected to write ~4,008 rows/);
    expect(r.stderr).toMatch(/crm-theft\.yaml:\d+:\d+ +run-limit +the run reached limits\.max_rows \(1,000\) rows while process "sessions" was writing/);
    expect(r.stderr).toContain('the partial output was removed');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith('.cli-capped'))).toEqual([]);
  });

  it('with worker threads too: the limit arrives as a diagnostic, not as a bare error', () => {
    const out = join(tmp, 'workers-capped');
    const r = cli(['run', CRM, '--out', out, '--quiet', '--workers', '2', '--set', 'actors.users.count=2000', '--set', 'limits.max_rows=300000']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/run-limit +the run reached limits\.max_rows \(300,000\) rows while process "sessions" was writing/);
    expect(existsSync(out)).toBe(false);
  });

  it('a chain cut at max_steps ends, and the summary says how many sessions were cut', async () => {
    writeFileSync(join(tmp, 'slow.yaml'), slowChain(1e-6));
    const loaded = loadScenario(join(tmp, 'slow.yaml'), { set: ['processes.sessions.markov.max_steps=50'] });
    const result = await runScenario({ ...loaded, compiled: loaded.compiled! }, { out: join(tmp, 'slow-out'), overrides: [] });
    expect(result.notes).toEqual(['sessions: 3 session(s) reached max_steps (50) and were cut']);
  });
});
