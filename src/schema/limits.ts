/**
 * Schema of the scenario's safety settings: `limits` (caps that stop a runaway run) and
 * `on_invalid` (what a NaN or Infinity computed at run time does). Defaults live in
 * model/limits.ts, next to the code that applies them.
 */
import { DEFAULT_LIMITS } from '../model/limits.js';
import type { JsonSchema } from './parts.js';

const cap = (description: string, fallback: number): JsonSchema => ({
  type: 'integer',
  minimum: 1,
  default: fallback,
  description,
});

export const limitsSchema: JsonSchema = {
  type: 'object',
  description:
    'Caps on the size of a run. `scenario plan` warns when the expected size exceeds them; a run that reaches one stops with a `run-limit` error, removes its partial output and exits 1.',
  additionalProperties: false,
  properties: {
    max_rows: cap('Most rows the run may write, over all outputs (a single draw of more sessions or events than this stops the run at once).', DEFAULT_LIMITS.maxRows),
    max_bytes: cap('Most bytes the run may write, over all outputs.', DEFAULT_LIMITS.maxBytes),
    max_members: cap('Most members a population may have: populations are held in memory while the run lasts.', DEFAULT_LIMITS.maxMembers),
  },
};

export const onInvalidSchema: JsonSchema = {
  type: ['string', 'null'],
  // YAML reads a bare `null` as no value: it means the same as "null".
  enum: ['error', 'warn', 'null', null],
  default: 'error',
  description:
    'What a value that is not a finite number (division by zero, overflow, NaN, Infinity) or an expression that fails at run time does. `error`: the run stops with an `expr-runtime` error naming the expression, its place and the input values. `warn`: the value is written as null and the run reports each such expression with its first occurrences. `null` (quoted in a scenario that extends another, where a bare null removes the key): the value is written as null silently.',
};
