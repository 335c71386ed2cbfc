/**
 * scatter-gather: a source splits a sum over n intermediaries, which later pass it on (less
 * their fees) to one sink. Docs: docs/patterns/scatter-gather.md.
 */
import { atLeast, common, feeShare, type PatternKind } from './types.js';

export const scatterGatherKind: PatternKind = {
  name: 'scatter-gather',
  summary: 'source -> n intermediaries -> one sink, fees kept, the gather later than the scatter',
  docs: 'patterns/scatter-gather.md',
  required: ['size', 'amount'],
  properties: {
    size: common.size('Number of intermediaries.'),
    amount: common.amount('Total the source scatters.'),
    fee: common.fee,
    max_fee: common.maxFee,
    delay: common.delay,
  },
  compile(env) {
    const size = env.quantity('size')!;
    const amount = env.quantity('amount')!;
    const delay = env.quantity('delay');
    const drawShare = feeShare(env);
    return (b) => {
      const total = b.q(amount);
      const share = drawShare(b);
      const n = atLeast(1, b.q(size));
      const source = b.add('source', 0);
      const mids = Array.from({ length: n }, () => b.add('intermediary', 1));
      const sink = b.add('sink', 2);
      b.amount = total;
      const fees = b.split(share * total, n);
      for (const m of mids) b.send(source, m, total / n);
      b.next(delay);
      mids.forEach((m, i) => b.send(m, sink, total / n - fees[i]));
    };
  },
};
