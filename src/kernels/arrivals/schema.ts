/** Schema fragment of the `arrivals` process kernel. */
import { expression, name, namedMap, quantity, type JsonSchema } from '../../schema/parts.js';

const numberOrExpression = (description: string): JsonSchema => ({
  description: `${description} A number or an expression.`,
  anyOf: [{ type: 'number' }, { type: 'string', minLength: 1 }],
});

const point = (description: string): JsonSchema => ({
  type: 'array',
  description,
  minItems: 2,
  maxItems: 2,
  items: { description: 'A coordinate: a number or an expression.', anyOf: [{ type: 'number' }, { type: 'string', minLength: 1 }] },
});

const rate: JsonSchema = {
  description:
    'Arrivals per time unit as a function of time: a number (constant rate), an expression of `t`, `day`, `hour`, `time_of_day` and `count.*` (needs `max_rate`), or an hour-of-day table.',
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      description: 'A step function of the hour of day: one rate (or weight) per hour, the same every day unless `per_day` varies.',
      additionalProperties: false,
      required: ['hourly'],
      properties: {
        hourly: {
          description:
            'Rates for hours 0..23 in events per time unit: a list of 24 numbers or expressions of `hour` and `count.*`, or one expression of `hour`. With `per_day` they are weights.',
          anyOf: [
            { type: 'array', minItems: 24, maxItems: 24, items: { description: 'Rate of one hour.', anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', minLength: 1 }] } },
            { type: 'string', minLength: 1 },
          ],
        },
        per_day: numberOrExpression('Expected arrivals per day, spread over the hours in proportion to `hourly`; may depend on `day` and `count.*`.'),
      },
    },
  ],
};

const chooser: JsonSchema = {
  type: 'object',
  description:
    'Chooses one member of a population for each event: the one minimising `minimize`, or at random (by `weight`, else uniformly). Its attributes are then readable as `<name>.*`.',
  additionalProperties: false,
  required: ['from'],
  properties: {
    description: { type: 'string', description: 'What is being chosen.' },
    from: name('The population to choose from.'),
    group: expression('Groups members by a value of their own (e.g. `store.type`), computed once per member; needs `key`.'),
    key: expression('Which group to choose in, evaluated per event (e.g. `kind`); compared with `===` to the group values.'),
    at: point('Where each member is: [x, y] expressions of `<name>.*`, computed once per member. Needed by `minimize`.'),
    near: point('The event\'s point, [x, y] expressions evaluated per event; `distance` is measured from it. Needed by `minimize`.'),
    price: numberOrExpression('Each member\'s price level for `minimize` (an expression of `<name>.*`, computed once per member). Default 0.'),
    minimize: expression(
      'Score of a candidate, from `price`, `distance` and the event\'s names; the member with the lowest score is chosen (ties: lowest id). Must never decrease as price or distance grow.',
    ),
    weight: expression('Chooses at random with probability proportional to this expression of `<name>.*` (computed once per member) instead of minimising.'),
  },
};

const burst: JsonSchema = {
  type: 'object',
  description: 'Follow-up events an arrival starts: same actor, same mark, each a gap after the previous one.',
  additionalProperties: false,
  required: ['length', 'gap'],
  properties: {
    length: quantity('Events in the burst, the arrival included (rounded down; values below 1 mean the arrival alone), drawn once per burst.'),
    gap: quantity('Time from one event of the burst to the next, in the scenario time unit, drawn per event.'),
  },
};

const letMap = namedMap('Named values computed per event, in the order written; each may use the names above it.', {
  description: 'A number, an expression, or a distribution object.',
  anyOf: [{ type: 'number' }, { type: 'string', minLength: 1 }, { $ref: '#/$defs/distribution' }],
});

const overrides = {
  let: namedMap('Replaces the process-level `let` values of the same names for events of this mark.', {
    description: 'A number, an expression, or a distribution object.',
    anyOf: [{ type: 'number' }, { type: 'string', minLength: 1 }, { $ref: '#/$defs/distribution' }],
  }),
  choose: namedMap('Replaces the process-level choices of the same names for events of this mark.', chooser),
  amount: quantity('Replaces the process-level `amount` for events of this mark.'),
  accept: expression('Replaces the process-level `accept` for events of this mark.'),
  burst,
};

export const arrivalsSchema: JsonSchema = {
  type: 'object',
  description:
    'Events arriving in continuous time by a non-homogeneous Poisson process, each marked, about an actor picked by weight, with per-actor ledgers, choices among another population and bursts of follow-up events. Runs day by day, in order.',
  additionalProperties: false,
  required: ['actor', 'rate'],
  properties: {
    description: { type: 'string', description: 'What this process stands for.' },
    actor: name('The population each event is about (the card holder, the account).'),
    rate,
    max_rate: numberOrExpression('Upper bound of an expression `rate`, in events per time unit (an expression of `count.*`); arrivals are thinned against it.'),
    marks: namedMap('Kinds of arrival, drawn with these weights; `mark` is the kind. Default: one kind, `arrival`.', {
      description: 'A weight, or a weight with settings that replace the process-level ones for this mark.',
      anyOf: [
        { type: 'number', minimum: 0 },
        { type: 'object', description: 'A mark with its own settings.', additionalProperties: false, required: ['weight'], properties: { weight: { type: 'number', minimum: 0, description: 'Relative weight of this mark.' }, ...overrides } },
      ],
    }),
    pick: expression('Weight of each actor when an arrival picks its actor (an expression of `actor.*` and `ledger.*`, >= 0). Default: uniform.'),
    ledger: namedMap('Numbers kept per actor across events and days, readable as `ledger.<name>`.', {
      type: 'object',
      description: 'A per-actor accumulator.',
      additionalProperties: false,
      required: ['initial'],
      properties: {
        initial: numberOrExpression('Starting value of each actor (an expression of `actor.*` and `count.*`).'),
        reset: {
          type: 'object',
          description: 'A periodic reset.',
          additionalProperties: false,
          required: ['every', 'to'],
          properties: {
            every: { type: 'integer', minimum: 1, description: 'Period in days: the reset happens at the start of days every, 2 x every, ...' },
            to: expression('The new value, from `actor.*` and `ledger.*` (e.g. `max(0, ledger.used - actor.wage)`).'),
          },
        },
      },
    }),
    let: letMap,
    choose: namedMap('Members chosen per event, by name (e.g. `store`), after `let`.', chooser),
    amount: quantity('The event\'s amount, after `choose`; readable as `amount`. Default 0.'),
    accept: expression('Whether the event is accepted (after `amount`); readable as `accepted`. Default: always.'),
    update: namedMap('New ledger values when the event is accepted, computed from the values before it.', expression('New value of this ledger.')),
    burst,
  },
};
