/**
 * stack: bipartite layers stacked: every node of layer l pays every node of layer l + 1,
 * one step per pair of layers. The first step's amounts are drawn; each later node passes
 * on what it received less its fee, in equal parts, so the layers after the first keep
 * `fee` of what entered the second layer in all. Docs: docs/patterns/stack.md.
 */
import { quantity } from '../../../schema/parts.js';
import { atLeast, common, feeShare, type PatternKind } from './types.js';

export const stackKind: PatternKind = {
  name: 'stack',
  summary: 'layers of nodes, each paying every node of the next, one step per layer',
  docs: 'patterns/stack.md',
  required: ['layers', 'width', 'amount'],
  properties: {
    layers: common.size('Number of node layers (at least 2).'),
    width: quantity('Nodes in a layer, drawn per layer (rounded down, at least 1).'),
    amount: common.amount('Amount of each first-step transaction, drawn per transaction.'),
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
      const share = drawShare(b);
      const k = atLeast(2, b.q(layers));
      const nodes: number[][] = [];
      for (let l = 1; l <= k; l++) {
        b.c.step = l;
        nodes.push(Array.from({ length: atLeast(1, b.q(width)) }, () => b.add('layer', l)));
      }
      b.c.step = 0;
      // Each intermediate node keeps the same share, so that k - 2 layers keep `share` in all.
      const keep = k > 2 ? 1 - Math.pow(1 - share, 1 / (k - 2)) : 0;
      let received = new Float64Array(nodes[1].length);
      nodes[0].forEach((a) =>
        nodes[1].forEach((z, j) => {
          const x = b.q(amount);
          b.amount += x;
          received[j] += x;
          b.send(a, z, x);
        }),
      );
      for (let l = 1; l + 1 < k; l++) {
        b.next(delay);
        const next = new Float64Array(nodes[l + 1].length);
        nodes[l].forEach((a, i) => {
          const each = (received[i] * (1 - keep)) / next.length;
          nodes[l + 1].forEach((z, j) => {
            next[j] += each;
            b.send(a, z, each);
          });
        });
        received = next;
      }
    };
  },
};
