/**
 * Schema fragments shared by every part of the language: expressions, distributions and
 * quantities. Kernels build their own fragments from these.
 */
import { FAKE_METHODS } from '../model/fake-methods.js';

export type JsonSchema = Record<string, unknown>;

export const expression = (description: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  description: `${description} A jexl expression (see docs/expressions.md).`,
});

const param = (description: string): JsonSchema => ({
  type: ['number', 'string'],
  description: `${description} A number or an expression.`,
});

const dist = (key: string, description: string, params: Record<string, string>, required = Object.keys(params)): JsonSchema => ({
  type: 'object',
  description,
  additionalProperties: false,
  required,
  properties: Object.fromEntries(Object.entries(params).map(([k, d]) => [k, param(d)])),
});

/** A random draw (or computed value): an object with exactly one key naming its kind. */
export const distribution: JsonSchema = {
  type: 'object',
  description: 'A value drawn from a distribution, or computed by an expression. Exactly one key.',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: {
    uniform: dist('uniform', 'Uniform on [min, max).', { min: 'Lower bound.', max: 'Upper bound.' }),
    normal: dist('normal', 'Normal (Gaussian).', { mean: 'Mean.', sd: 'Standard deviation (>= 0).' }),
    lognormal: dist('lognormal', 'exp(N(mu, sigma)).', { mu: 'Mean of the log.', sigma: 'Sd of the log.' }),
    exponential: dist('exponential', 'Exponential, given by its mean.', { mean: 'Mean (1 / rate).' }),
    gamma: dist('gamma', 'Gamma with shape k and scale theta (mean k x theta).', { shape: 'Shape k > 0.', scale: 'Scale theta > 0.' }),
    poisson: dist('poisson', 'Poisson count.', { mean: 'Mean (lambda >= 0).' }),
    geometric: dist('geometric', 'Number of trials up to the first success: 1, 2, ... (mean 1/p).', { p: 'Success probability in (0, 1].' }),
    bernoulli: dist('bernoulli', 'true with probability p, else false.', { p: 'Probability in [0, 1].' }),
    categorical: {
      type: 'object',
      description: 'One of `values`, drawn with the given weights (they need not sum to 1).',
      additionalProperties: false,
      required: ['values', 'weights'],
      properties: {
        values: { type: 'array', minItems: 1, description: 'The possible values (numbers or strings).', items: { type: ['number', 'string', 'boolean'] } },
        weights: { type: 'array', minItems: 1, description: 'One non-negative weight per value.', items: { type: 'number' } },
      },
    },
    fake: fake(),
    expr: expression('Computed value.'),
    value: { type: ['number', 'string', 'boolean'], description: 'A constant.' },
  },
};

/** `fake:` a value from faker, by method name or with options (see docs/fake-attributes.md). */
function fake(): JsonSchema {
  const kind: JsonSchema = { type: 'string', enum: [...FAKE_METHODS], description: 'The faker method, `module.method` (e.g. `person.firstName`, `internet.email`, `location.city`).' };
  return {
    description: 'A fake value (name, email, address, company, ...) from faker, deterministic for the seed: a method name, or an object with options.',
    anyOf: [
      kind,
      {
        type: 'object',
        description: 'A faker method with options.',
        additionalProperties: false,
        required: ['kind'],
        properties: {
          kind,
          locale: { type: 'string', default: 'en', description: 'faker locale, e.g. `en`, `de`, `fr`, `de_CH`.' },
          fill: { type: 'number', minimum: 0, maximum: 1, default: 1, description: 'Probability that the value is filled; otherwise it is the empty string.' },
        },
      },
    ],
  };
}

/** A count or amount: a number, an expression, or a distribution. */
export const quantity = (description: string): JsonSchema => ({
  description: `${description} A number, an expression, or a distribution object.`,
  anyOf: [{ type: 'number' }, { type: 'string', minLength: 1 }, { $ref: '#/$defs/distribution' }],
});

export const name = (description: string): JsonSchema => ({
  type: 'string',
  description,
  pattern: '^[A-Za-z_][A-Za-z0-9_-]*$',
});

/** A map keyed by identifiers. */
export const namedMap = (description: string, item: JsonSchema): JsonSchema => ({
  type: 'object',
  description,
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  additionalProperties: item,
});
