/** Schema fragment of the `transactions` process kernel. */
import { name, quantity, type JsonSchema } from '../../schema/parts.js';

export const transactionsSchema: JsonSchema = {
  type: 'object',
  description:
    'Transactions over links, with the transactions of pattern instances mixed in: one block per sending node, ordered by time within the block, so file order reveals nothing about patterns. Memory is O(nodes): links are regenerated per sender, never stored.',
  additionalProperties: false,
  required: ['amount'],
  properties: {
    description: { type: 'string', description: 'What these transactions stand for.' },
    links: {
      type: 'array',
      uniqueItems: true,
      default: [],
      description: 'The `links` processes whose links carry transactions; each must be declared above this process.',
      items: name('A links process.'),
    },
    patterns: name('A `patterns` process declared above this one, whose instances\' transactions are mixed in, labelled.'),
    per_link: quantity('Transactions per link, drawn per link and rounded down, e.g. `ceil(-2.5 * log(1 - random()))`. Default 1.'),
    time: quantity(
      'Time of an ordinary transaction, in the scenario time unit from the start of day 0, drawn per transaction; whole seconds are kept. Default: uniform over the calendar.',
    ),
    amount: quantity('Amount of an ordinary transaction, drawn per transaction.'),
    currency: quantity('Currency of an ordinary transaction, drawn per transaction (a code, or ""). Default: empty.'),
    decimals: { type: 'integer', minimum: 0, maximum: 6, default: 2, description: 'Amounts (pattern amounts too) are rounded to this many decimals.' },
    order: {
      type: 'string',
      enum: ['time', 'shuffle'],
      default: 'time',
      description: "Order within a sender's block: by time, or a seeded shuffle.",
    },
  },
};
