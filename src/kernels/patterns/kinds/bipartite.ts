/**
 * bipartite: every node of one set pays every node of another, within one window.
 * Docs: docs/patterns/bipartite.md.
 */
import { atLeast, common, type PatternKind } from './types.js';

export const bipartiteKind: PatternKind = {
  name: 'bipartite',
  summary: 'every one of n sources pays every one of m targets, within one window',
  docs: 'patterns/bipartite.md',
  required: ['sources', 'targets', 'amount'],
  properties: {
    sources: common.size('Number of paying nodes.'),
    targets: common.size('Number of receiving nodes.'),
    amount: common.amount('Amount of each transaction, drawn per transaction.'),
  },
  compile(env) {
    const sources = env.quantity('sources')!;
    const targets = env.quantity('targets')!;
    const amount = env.quantity('amount')!;
    return (b) => {
      const from = Array.from({ length: atLeast(1, b.q(sources)) }, () => b.add('source', 0));
      const to = Array.from({ length: atLeast(1, b.q(targets)) }, () => b.add('target', 1));
      for (const s of from) {
        for (const t of to) {
          const a = b.q(amount);
          b.amount += a;
          b.send(s, t, a);
        }
      }
    };
  },
};
