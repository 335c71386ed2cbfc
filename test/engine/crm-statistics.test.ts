/**
 * crm-theft at 10x the users: the generated sessions follow the declared model. Fixed seed,
 * so results are deterministic; tolerances come from the sample sizes, not from tuning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chiSquareCritical001, readCsv, removeDir, runToTemp } from '../helpers.js';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const USERS = 2000;
const SCENARIO = parse(readFileSync(new URL('../../scenarios/crm-theft.yaml', import.meta.url), 'utf8'));
const STATES: string[] = SCENARIO.states.actions;
let dir = '';
let rows: string[][] = [];
let col: Record<string, number> = {};

beforeAll(async () => {
  ({ dir } = await runToTemp('scenarios/crm-theft.yaml', { set: [`params.users=${USERS}`] }));
  const csv = readCsv(join(dir, 'sessions.csv'));
  rows = csv.rows;
  col = Object.fromEntries(csv.header.map((h, i) => [h, i]));
});
afterAll(() => removeDir(dir));

describe('crm-theft statistics', () => {
  it('writes 200 sessions per user, with a per-user session counter', () => {
    expect(rows.length).toBe(USERS * 200);
    const last = new Map<string, number>();
    let wrong = 0;
    for (const r of rows) {
      const id = Number(r[col.UserSessionId]);
      if (id !== (last.get(r[col.UserID]) ?? -1) + 1) wrong++;
      last.set(r[col.UserID], id);
    }
    expect(wrong).toBe(0);
    expect(last.size).toBe(USERS);
  });

  it('empirical transitions match each declared matrix (chi-square per row at 0.001)', () => {
    // counts[matrix][from][to]
    const counts: Record<string, number[][]> = {};
    let badPaths = 0;
    for (const r of rows) {
      const matrix = r[col.FraudulentActivity] === '1' ? 'fraud' : `role_${r[col.UserRole]}`;
      const m = (counts[matrix] ??= STATES.map(() => STATES.map(() => 0)));
      const path = r[col.SessionActivity].split('|').map((s) => STATES.indexOf(s));
      if (path[0] !== 0 || path[path.length - 1] !== 1) badPaths++;
      for (let k = 1; k < path.length; k++) m[path[k - 1]][path[k]]++;
    }
    expect(badPaths, 'sessions not running from start to end').toBe(0);
    let tested = 0;
    for (const [name, m] of Object.entries(counts)) {
      const declared: Record<string, number[]> = SCENARIO.matrices[name].rows;
      STATES.forEach((from, i) => {
        const n = m[i].reduce((a, b) => a + b, 0);
        if (n < 200 || from === 'end') return; // too few visits for the chi-square approximation
        const p = declared[from];
        let chi = 0;
        let df = -1;
        for (let j = 0; j < STATES.length; j++) {
          if (p[j] === 0) {
            expect(m[i][j], `${name}: ${from} -> ${STATES[j]} has probability 0`).toBe(0);
            continue;
          }
          const e = n * p[j];
          chi += ((m[i][j] - e) ** 2) / e;
          df++;
        }
        if (df > 0) expect(chi, `${name} row ${from}: chi-square ${chi.toFixed(1)} on ${df} df`).toBeLessThan(chiSquareCritical001(df));
        tested++;
      });
    }
    expect(tested).toBeGreaterThanOrEqual(12);
  });

  it('role and potential-fraudster shares are within binomial intervals', () => {
    const users = new Map<string, { role: string; pf: string }>();
    for (const r of rows) users.set(r[col.UserID], { role: r[col.UserRole], pf: r[col.PotentialFraudster] });
    expect(users.size).toBe(USERS);
    const within = (k: number, n: number, p: number) => Math.abs(k / n - p) <= 4.5 * Math.sqrt((p * (1 - p)) / n);
    const role1 = [...users.values()].filter((u) => u.role === '1').length;
    const pf = [...users.values()].filter((u) => u.pf === '1').length;
    expect(within(role1, USERS, 0.2)).toBe(true);
    expect(within(pf, USERS, 0.02)).toBe(true);
  });

  it('only potential fraudsters commit fraud, in 20% of their sessions, 0.4% overall', () => {
    let pfSessions = 0;
    let fraud = 0;
    let fraudByNormalUser = 0;
    for (const r of rows) {
      if (r[col.FraudulentActivity] === '1') {
        if (r[col.PotentialFraudster] !== '1') fraudByNormalUser++;
        fraud++;
      }
      if (r[col.PotentialFraudster] === '1') pfSessions++;
    }
    expect(fraudByNormalUser).toBe(0);
    // Given the fraudsters' sessions, fraud is Binomial(pfSessions, 0.2): 4.5 standard errors.
    expect(Math.abs(fraud / pfSessions - 0.2)).toBeLessThan(4.5 * Math.sqrt(0.16 / pfSessions));
    // Overall share: users are independent; per user X*F/S has mean 0.004 and variance
    // 0.02*(0.04 + 0.16/200) - 0.004^2. The share averages USERS of them.
    const variance = (0.02 * (0.04 + 0.16 / 200) - 0.004 ** 2) / USERS;
    expect(Math.abs(fraud / rows.length - 0.004)).toBeLessThan(4.5 * Math.sqrt(variance));
  });

  it('mean session length matches the absorbing-chain expectation', () => {
    // Expected steps per session: role 0: 3.046, role 1: 2.956 (fundamental matrix), mixed by
    // the role shares; the sd of a session's steps is about 2.5, so 4.5 standard errors.
    let steps = 0;
    let role1 = 0;
    for (const r of rows) {
      steps += r[col.SessionActivity].split('|').length - 1;
      if (r[col.UserRole] === '1') role1++;
    }
    const share1 = role1 / rows.length;
    const expected = (1 - share1) * 3.046 + share1 * 2.956;
    expect(Math.abs(steps / rows.length - expected)).toBeLessThan(0.05 + 4.5 * (2.5 / Math.sqrt(rows.length)));
  });
});
