/**
 * fan-in: many sources pay one hub within a short window (smurfing into an account).
 * Docs: docs/patterns/fan-in.md.
 */
import { atLeast, common, type PatternKind } from './types.js';

export const fanInKind: PatternKind = {
  name: 'fan-in',
  summary: 'n sources pay one hub within one window',
  docs: 'patterns/fan-in.md',
  required: ['size', 'amount'],
  properties: {
    size: common.size('Number of sources.'),
    amount: common.amount('Amount of each transaction, drawn per transaction.'),
  },
  compile(env) {
    const size = env.quantity('size')!;
    const amount = env.quantity('amount')!;
    return (b) => {
      const n = atLeast(1, b.q(size));
      const sources = Array.from({ length: n }, () => b.add('source', 0));
      const hub = b.add('hub', 1);
      for (const s of sources) {
        const a = b.q(amount);
        b.amount += a;
        b.send(s, hub, a);
      }
    };
  },
};
