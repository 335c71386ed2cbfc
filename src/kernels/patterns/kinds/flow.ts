/**
 * flow: a source sends a sum through k layers of intermediaries to a sink. Layer 1 receives
 * the sum in equal parts; each later layer receives from every node of the layer before
 * (complete bipartite); the last layer pays the sink. Every intermediary keeps a fee, the
 * fees together are `fee` x amount (at most `max_fee`), so the sink receives the amount
 * less the fees. Each layer's transactions are later than the previous layer's.
 * Docs: docs/patterns/flow.md.
 */
import { quantity } from '../../../schema/parts.js';
import { atLeast, common, feeShare, type PatternKind } from './types.js';

export const flowKind: PatternKind = {
  name: 'flow',
  summary: 'source -> k layers of w intermediaries -> sink, fees kept on the way, each layer later',
  docs: 'patterns/flow.md',
  required: ['layers', 'width', 'amount'],
  properties: {
    layers: common.size('Number of intermediary layers, e.g. `randint(2, 6)`.'),
    width: quantity('Nodes in a layer, drawn per layer (rounded down, at least 1), e.g. `randint(1, 8)`.'),
    amount: common.amount('Total the source sends, e.g. `50000 * random() + 50000 * random()`.'),
    fee: common.fee,
    max_fee: common.maxFee,
    delay: common.delay,
  },
  compile(env) {
    const layers = env.quantity('layers')!;
    const width = env.quantity('width')!;
    const amount = env.quantity('amount')!;
    const delay = env.quantity('delay');
    const drawShare = feeShare(env);
    return (b) => {
      const total = b.q(amount);
      const share = drawShare(b);
      const k = atLeast(1, b.q(layers));
      const source = b.add('source', 0);
      const nodes: number[][] = [];
      for (let l = 1; l <= k; l++) {
        b.c.step = l;
        const w = atLeast(1, b.q(width));
        nodes.push(Array.from({ length: w }, () => b.add('layer', l)));
      }
      const sink = b.add('sink', k + 1);
      b.c.step = 0;
      b.amount = total;
      const fees = b.split(share * total, k);
      let hold = total / nodes[0].length;
      for (const m of nodes[0]) b.send(source, m, hold);
      for (let l = 0; l < k; l++) {
        b.next(delay);
        const from = nodes[l];
        const to = l + 1 < k ? nodes[l + 1] : [sink];
        const out = hold - fees[l] / from.length;
        for (const a of from) for (const z of to) b.send(a, z, out / to.length);
        hold = (out * from.length) / to.length;
      }
    };
  },
};
