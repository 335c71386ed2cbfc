/**
 * circular: money leaves a source, passes through n intermediaries one after another and
 * returns to the source; each intermediary keeps a fee (together `fee` x amount, at most
 * `max_fee`), and each hop is later than the one before. Docs: docs/patterns/circular.md.
 */
import { atLeast, common, feeShare, type PatternKind } from './types.js';

export const circularKind: PatternKind = {
  name: 'circular',
  summary: 'source -> n intermediaries -> back to the source, fees on the way, each hop later',
  docs: 'patterns/circular.md',
  required: ['size', 'amount'],
  properties: {
    size: common.size('Number of intermediaries on the cycle, e.g. `randint(1, 8)`.'),
    amount: common.amount('What the source sends first.'),
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
      const hops = Array.from({ length: n }, (_, i) => b.add('hop', i + 1));
      b.amount = total;
      const fees = b.split(share * total, n);
      let hold = total;
      b.send(source, hops[0], hold);
      for (let i = 0; i < n; i++) {
        b.next(delay);
        hold -= fees[i];
        b.send(hops[i], i + 1 < n ? hops[i + 1] : source, hold);
      }
    };
  },
};
