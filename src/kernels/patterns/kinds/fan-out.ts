/**
 * fan-out: one hub pays many targets within a short window (smurfing out of an account).
 * Docs: docs/patterns/fan-out.md.
 */
import { atLeast, common, type PatternKind } from './types.js';

export const fanOutKind: PatternKind = {
  name: 'fan-out',
  summary: 'one hub pays n targets within one window',
  docs: 'patterns/fan-out.md',
  required: ['size', 'amount'],
  properties: {
    size: common.size('Number of targets.'),
    amount: common.amount('Amount of each transaction, drawn per transaction.'),
  },
  compile(env) {
    const size = env.quantity('size')!;
    const amount = env.quantity('amount')!;
    return (b) => {
      const hub = b.add('hub', 0);
      const n = atLeast(1, b.q(size));
      const targets = Array.from({ length: n }, () => b.add('target', 1));
      for (const t of targets) {
        const a = b.q(amount);
        b.amount += a;
        b.send(hub, t, a);
      }
    };
  },
};
