/**
 * Schema fragments of the "scenarios as code" keys: `params` (named, typed values that
 * expressions read as `params.<name>`), `extends` and `include` (composition from files).
 */
import type { JsonSchema } from './parts.js';

const scalar = ['number', 'string', 'boolean'];

/** The long form of a param declaration (`$defs/param`). */
export const paramDeclaration: JsonSchema = {
  type: 'object',
  description: 'A parameter with its type, default value and bounds.',
  additionalProperties: false,
  required: ['default'],
  properties: {
    type: {
      type: 'string',
      enum: ['integer', 'number', 'string', 'boolean'],
      description: 'The type values must have; default: the type of `default` (a whole number is an integer).',
    },
    default: { type: scalar, description: 'The value used unless `--params FILE` or `--set params.<name>=VALUE` gives another.' },
    description: { type: 'string', description: 'What the parameter controls; shown to whoever scales the scenario.' },
    minimum: { type: 'number', description: 'Smallest value allowed (numbers and integers).' },
    maximum: { type: 'number', description: 'Largest value allowed (numbers and integers).' },
    values: { type: 'array', minItems: 1, items: { type: scalar }, description: 'The only values allowed.' },
  },
};

export const paramsSchema: JsonSchema = {
  type: 'object',
  description:
    'Parameters, by name: values the rest of the scenario reads as `params.<name>` in any expression (counts, rates, columns, ...). Override them with `--params FILE` or `--set params.<name>=VALUE`; the manifest records the values used.',
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  additionalProperties: {
    description: 'A default value (its type is the parameter type), or a mapping with `type`, `default`, `description` and bounds.',
    anyOf: [{ type: scalar }, { $ref: '#/$defs/param' }],
  },
};

export const extendsSchema: JsonSchema = {
  type: 'string',
  minLength: 1,
  description:
    'A base scenario this one builds on, by path relative to this file. The two are deep-merged: maps merge key by key, and this file wins for anything else (`null` removes an inherited key).',
};

export const includeSchema: JsonSchema = {
  description:
    'Files whose `params`, `actors`, `states`, `matrices`, `processes` and `outputs` are added to this scenario, by path relative to this file. A name defined twice is an error.',
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Paths of the files to include, in order.' },
  ],
};
