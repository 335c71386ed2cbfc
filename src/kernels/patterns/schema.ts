/** Schema fragment of the `patterns` process kernel: the common rule keys plus each kind's own. */
import { name, namedMap, quantity, type JsonSchema } from '../../schema/parts.js';
import { PATTERN_KINDS } from './kinds/index.js';

const commonProperties: Record<string, JsonSchema> = {
  description: { type: 'string', description: 'What this rule stands for.' },
  count: quantity('Number of instances, drawn once per rule and rounded down, e.g. `ceil(0.1 * random() * count.clients)`.'),
  members: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    description: 'Populations the members are drawn from, uniformly over their union; members are distinct within an instance.',
    items: name('A population.'),
  },
  currency: quantity('Currency of each transaction, drawn per transaction (an expression returning a code, or ""). Default: empty.'),
  spread: quantity("Window a step's transactions fall in, in the scenario time unit, drawn per instance. Default one hour."),
};

const rule: JsonSchema = {
  type: 'object',
  description: 'A pattern rule: exactly one key naming its kind, whose value says how to draw each instance.',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: Object.fromEntries(
    PATTERN_KINDS.map((k) => [
      k.name,
      {
        type: 'object',
        description: `${k.summary} (docs/${k.docs}).`,
        additionalProperties: false,
        required: ['count', 'members', ...k.required],
        properties: { ...commonProperties, ...k.properties },
      },
    ]),
  ),
};

export const patternsSchema: JsonSchema = {
  type: 'object',
  description:
    'Pattern rules (money-laundering typologies and the like): each a template instantiated `count` times over members drawn from named populations. One record per instance member; a `transactions` process mixes the instances\' transactions into ordinary ones.',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    description: { type: 'string', description: 'What these patterns stand for.' },
    rules: namedMap('Rules by name; the name and kind label every transaction of their instances.', rule),
  },
};
