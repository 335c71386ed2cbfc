/** Schema fragment of the `social` process kernel. */
import { expression, name, type JsonSchema } from '../../schema/parts.js';

const numberOrExpression = (description: string): JsonSchema => ({
  type: ['number', 'string'],
  description: `${description} A number or an expression.`,
});

export const socialSchema: JsonSchema = {
  type: 'object',
  description:
    'A social network over time: befriend and unfriend events and purchases, with injected anomalous purchases, checked by the streaming anomaly detector (D hops, last T purchases, mean + 3 sd).',
  additionalProperties: false,
  required: ['actor', 'purchase_rate', 'amount'],
  properties: {
    description: { type: 'string', description: 'What this process stands for.' },
    actor: name('The population of users.'),
    D: { type: 'integer', minimum: 1, default: 2, description: "Degree of a user's network: friends within D hops." },
    T: { type: 'integer', minimum: 2, maximum: 1000000, default: 50, description: 'Number of recent network purchases in the baseline (at most 1,000,000: the detector keeps buffers of this size).' },
    batch_days: {
      type: 'integer',
      minimum: 0,
      default: 1,
      description: 'The first days, whose events build the state (batch_log); later days are the stream the detector checks.',
    },
    initial_friendships: numberOrExpression('Befriend events at the start of day 0 (a count; e.g. `3 * count.users`).'),
    befriend_rate: numberOrExpression('Befriend events per day (Poisson mean), over `day` and `count.*`.'),
    unfriend_rate: numberOrExpression('Unfriend events per day (Poisson mean), over `day` and `count.*`; each removes a random existing friendship.'),
    purchase_rate: numberOrExpression('Purchases per day (Poisson mean), over `day` and `count.*`.'),
    buyer_weight: expression('Relative chance of each user to be the buyer, over `actor.*` (default: equal).'),
    amount: expression('Amount of an ordinary purchase, over `actor.*` (the buyer) and random draws; written with 2 decimals, at least 0.01.'),
    anomaly: {
      type: 'object',
      description: 'Injected anomalous purchases in the stream (the ground-truth label).',
      additionalProperties: false,
      required: ['share', 'amount'],
      properties: {
        share: { type: 'number', minimum: 0, maximum: 1, description: 'Share of stream purchases that are anomalous.' },
        amount: expression(
          "Amount of an anomalous purchase, over `actor.*`, `network.mean`, `network.sd` and `network.count` (the buyer's current baseline; mean and sd are 0 when it has fewer than 2 purchases).",
        ),
      },
    },
  },
};
