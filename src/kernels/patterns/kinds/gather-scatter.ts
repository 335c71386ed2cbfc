/**
 * gather-scatter: n sources pay one hub, which later pays out what it gathered (less its
 * fee) to m targets in equal parts. Docs: docs/patterns/gather-scatter.md.
 */
import { atLeast, common, feeShare, type PatternKind } from './types.js';

export const gatherScatterKind: PatternKind = {
  name: 'gather-scatter',
  summary: 'n sources -> one hub -> m targets, the hub keeps a fee, the scatter later than the gather',
  docs: 'patterns/gather-scatter.md',
  required: ['sources', 'targets', 'amount'],
  properties: {
    sources: common.size('Number of paying sources.'),
    targets: common.size('Number of targets the hub pays.'),
    amount: common.amount('Amount of each incoming transaction, drawn per transaction.'),
    fee: common.fee,
    max_fee: common.maxFee,
    delay: common.delay,
  },
  compile(env) {
    const sources = env.quantity('sources')!;
    const targets = env.quantity('targets')!;
    const amount = env.quantity('amount')!;
    const delay = env.quantity('delay');
    const drawShare = feeShare(env);
    return (b) => {
      const share = drawShare(b);
      const from = Array.from({ length: atLeast(1, b.q(sources)) }, () => b.add('source', 0));
      const hub = b.add('hub', 1);
      const to = Array.from({ length: atLeast(1, b.q(targets)) }, () => b.add('target', 2));
      let gathered = 0;
      for (const s of from) {
        const a = b.q(amount);
        gathered += a;
        b.send(s, hub, a);
      }
      b.amount = gathered;
      b.next(delay);
      const each = (gathered * (1 - share)) / to.length;
      for (const t of to) b.send(hub, t, each);
    };
  },
};
