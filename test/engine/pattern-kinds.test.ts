/**
 * Every pattern kind, checked instance by instance from the files: the patterns sample
 * scenario with 40 instances of each rule (seed 11), so each kind's variants (sizes, layer
 * counts, fees) are all exercised.
 */
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, runToTemp } from '../helpers.js';
import { instances, readMembers, readTransactions, type Instance } from './graph-files.js';
import { checkShape, type ShapeLimits } from './pattern-shapes.js';

const RULES = ['flows', 'cycles', 'salaries', 'smurfs_in', 'smurfs_out', 'scatters', 'gathers', 'pairs', 'stacks'];
const KINDS = ['flow', 'circular', 'time', 'fan-in', 'fan-out', 'scatter-gather', 'gather-scatter', 'bipartite', 'stack'];
const LIMITS: Record<string, ShapeLimits> = {
  flow: { count: [2, 4], width: [1, 3], maxFee: 0.1 },
  circular: { count: [1, 5], maxFee: 0.05 },
  time: { count: [5, 12], jitter: 600, period: [86400, 2 * 86400] },
  'fan-in': { count: [3, 6], spread: 3600 },
  'fan-out': { count: [3, 6], spread: 3600 },
  'scatter-gather': { count: [2, 5], maxFee: 0.08 },
  'gather-scatter': { maxFee: 0.02 },
  bipartite: {},
  stack: { count: [2, 4], maxFee: 0.1 },
};

let dir = '';
let byKind = new Map<string, Instance[]>();
afterAll(() => dir && removeDir(dirname(dir)));
beforeAll(async () => {
  const set = RULES.map((r, i) => `processes.typologies.patterns.rules.${r}.${KINDS[i]}.count=40`);
  dir = (await runToTemp('test/samples/kernels/patterns/scenario.yaml', { set })).dir;
  const insts = instances(readTransactions(join(dir, 'transactions.csv')), readMembers(join(dir, 'members.csv')));
  byKind = new Map(KINDS.map((k) => [k, [...insts.values()].filter((i) => i.kind === k)]));
}, 60_000);

describe('pattern kinds', () => {
  for (const kind of KINDS) {
    it(`${kind}: all 40 instances have the shape of the kind`, () => {
      const list = byKind.get(kind)!;
      expect(list.length).toBe(40);
      for (const inst of list) expect(checkShape(inst, LIMITS[kind]), `${kind} instance ${inst.id}`).toEqual([]);
    });
  }

  it('the checks catch a broken instance (a late transfer moved before its step, a fee made negative)', () => {
    const flow = byKind.get('flow')!.find((i) => i.txs.length > 3)!;
    const late = { ...flow, txs: flow.txs.map((t, i) => (i === flow.txs.length - 1 ? { ...t, t: t.t - 30 * 86400 } : t)) };
    expect(checkShape(late, LIMITS.flow).some((p) => p.includes('not after'))).toBe(true);
    const greedy = { ...flow, txs: flow.txs.map((t, i) => (i === flow.txs.length - 1 ? { ...t, amount: t.amount * 3 } : t)) };
    expect(checkShape(greedy, LIMITS.flow).length).toBeGreaterThan(0);
    const time = byKind.get('time')![0];
    const skewed = { ...time, txs: time.txs.map((t, i) => (i === 2 ? { ...t, t: t.t + 7200 } : t)) };
    expect(checkShape(skewed, LIMITS.time).length).toBeGreaterThan(0);
  });
});
