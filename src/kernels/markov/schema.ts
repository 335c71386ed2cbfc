/** Schema fragment of the `markov` process kernel. */
import { expression, name, quantity, type JsonSchema } from '../../schema/parts.js';

export const markovSchema: JsonSchema = {
  type: 'object',
  description:
    'Sessions of each actor as Markov chains: every session starts in `start`, moves by the rows of a transition matrix and stops on reaching `end`.',
  additionalProperties: false,
  required: ['actor', 'states', 'start', 'end', 'per_day', 'matrix'],
  properties: {
    description: { type: 'string', description: 'What this process stands for.' },
    actor: name('The population whose members run sessions.'),
    states: name('The state list (under `states:`) the chain moves over.'),
    start: { type: 'string', description: 'State every session starts in.' },
    end: { type: 'string', description: 'State that ends a session when reached.' },
    per_day: quantity('Sessions per actor per day, drawn per actor and day; rounded down.'),
    matrix: expression(
      'Which matrix a session uses, evaluated once per session over `actor.*`, `day` and random draws; returns a matrix name (matrix names are also usable as bare words, e.g. `random() < 0.2 ? fraud : role1`).',
    ),
    max_steps: {
      type: 'integer',
      minimum: 1,
      default: 10000,
      description: 'Cap on steps per session; a session reaching it is cut there and counted in the run summary.',
    },
    dwell: quantity('Time spent in each state before the next step, in the scenario time unit. Gives steps timestamps.'),
    session_start: quantity(
      'Offset of a session start from the start of its day, in the scenario time unit. Default: uniform over the day.',
    ),
  },
};
