/**
 * time: the same amount sent from one node to another a number of times at a fixed period,
 * each transaction within `jitter` of its slot: t_i = t_0 + i x period + U(-jitter, jitter).
 * Docs: docs/patterns/time.md.
 */
import { quantity } from '../../../schema/parts.js';
import { atLeast, common, type PatternKind } from './types.js';

export const timeKind: PatternKind = {
  name: 'time',
  summary: 'the same amount repeated between two nodes at a fixed period, with jitter',
  docs: 'patterns/time.md',
  required: ['repeats', 'amount', 'period'],
  properties: {
    repeats: common.size('Number of transactions, e.g. `randint(5, 50)`.'),
    amount: common.amount('The amount every transaction carries.'),
    period: quantity('Time between slots, in the scenario time unit, drawn per instance.'),
    jitter: quantity('Largest shift of a transaction from its slot, in the scenario time unit. Default 0.'),
  },
  compile(env) {
    const repeats = env.quantity('repeats')!;
    const amount = env.quantity('amount')!;
    const period = env.quantity('period')!;
    const jitter = env.quantity('jitter');
    return (b) => {
      const source = b.add('source', 0);
      const target = b.add('target', 1);
      const n = atLeast(1, b.q(repeats));
      const value = b.q(amount);
      const p = b.seconds(period, 0);
      const j = b.seconds(jitter, 0);
      b.amount = value;
      for (let i = 0; i < n; i++) {
        b.c.step = i;
        b.sendAt(source, target, value, j + Math.round(i * p) + Math.round((2 * b.r() - 1) * j));
      }
    };
  },
};
