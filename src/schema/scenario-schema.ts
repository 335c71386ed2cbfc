/**
 * Builds the JSON Schema of the scenario language from the shared parts and the fragments
 * each kernel owns. `npm run schema` writes it to schema/scenario.schema.json, the file
 * editors and CI use; a test fails when that file is stale.
 */
import { KERNELS } from '../kernels/index.js';
import { distribution, expression, name, namedMap, quantity, type JsonSchema } from './parts.js';
import { limitsSchema, onInvalidSchema } from './limits.js';
import { extendsSchema, includeSchema, paramDeclaration, paramsSchema } from './composition.js';
import { FORMATS } from '../sinks/encoders.js';

export const SCHEMA_ID = 'https://scenario.dev/schema/scenario.schema.json';

const actor: JsonSchema = {
  type: 'object',
  description: 'A population: how many members and what each member carries.',
  additionalProperties: false,
  required: ['count'],
  properties: {
    description: { type: 'string', description: 'What this population stands for.' },
    count: {
      description: 'Number of members: a number, or an expression of other counts such as `ceil(0.025 * count.clients)`.',
      anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', minLength: 1 }],
    },
    attributes: namedMap(
      'Attributes of each member, drawn in the order written; expressions may use attributes above them, `index` and `count.<actor>`.',
      { $ref: '#/$defs/distribution' },
    ),
  },
};

const matrix: JsonSchema = {
  type: 'object',
  description: 'A transition matrix: one row per state, giving the probabilities of the next state.',
  additionalProperties: false,
  required: ['states', 'rows'],
  properties: {
    description: { type: 'string', description: 'What behaviour this matrix describes.' },
    states: name('The state list (under `states:`) whose order the columns follow.'),
    rows: {
      type: 'object',
      description: 'Rows keyed by current state; each lists the next-state probabilities in the order of the state list and sums to 1.',
      additionalProperties: { type: 'array', items: { type: 'number', minimum: 0, maximum: 1 }, description: 'Next-state probabilities.' },
    },
  },
};

const output: JsonSchema = {
  type: 'object',
  description: 'A table written to the output folder.',
  additionalProperties: false,
  required: ['from', 'columns'],
  properties: {
    description: { type: 'string', description: 'What the table holds.' },
    from: name('The process (or state list) whose records become rows.'),
    rows: {
      type: 'string',
      enum: ['session', 'step', 'event'],
      default: 'session',
      description: 'For a markov process: one row per session (its path as a list), or one row per step (an event log). For an arrivals process: one row per event (`event`, its only kind).',
    },
    file: {
      type: 'string',
      description: 'File name inside the output folder; default `<output name>.<format>`. Must stay inside the folder.',
      pattern: '^(?!/)(?!.*(^|/)\\.\\.(/|$))[^\\\\:*?"<>|]+$',
    },
    format: {
      type: 'string',
      enum: [...FORMATS],
      default: 'csv',
      description: 'File format: csv, jsonl, parquet (typed columns, zstd), or csv.gz / jsonl.gz (gzip); `--format` overrides it. See docs/formats.md.',
    },
    columns: namedMapColumns(),
    where: expression(
      'Only records for which this is true become rows (e.g. one relationship file per pair of node types). Evaluated over the same names as the columns.',
    ),
    label: { type: 'string', description: 'The column holding the ground-truth label; the run summary reports its prevalence.' },
    delimiter: { type: 'string', minLength: 1, maxLength: 1, default: ',', description: 'CSV field delimiter.' },
    header: { type: 'boolean', default: true, description: 'Write a CSV header line.' },
    booleans: {
      type: 'array',
      items: { type: 'string' },
      minItems: 2,
      maxItems: 2,
      default: ['true', 'false'],
      description: 'How CSV writes true and false, e.g. [True, False] or [1, 0].',
    },
    list_separator: { type: 'string', default: '|', description: 'How CSV joins the items of a list value (a session path).' },
    preamble: {
      type: 'string',
      minLength: 1,
      description: 'An expression giving a line written before the rows (after a CSV header), e.g. the `detector.header` line of a social process.',
    },
    pad: { type: 'string', description: 'For a state-list output: a first row with this name at index 0 (e.g. "<pad>" for sequence models); states then count from 1.' },
  },
};

function namedMapColumns(): JsonSchema {
  return {
    type: 'object',
    description: 'Columns in order: name -> expression over the record (`actor.*`, `day`, `session.*`, `step.*`, ...).',
    minProperties: 1,
    additionalProperties: {
      description: 'An expression, or a constant number or boolean.',
      anyOf: [{ type: 'string', minLength: 1 }, { type: 'number' }, { type: 'boolean' }],
    },
  };
}

/** The whole schema. */
export function buildScenarioSchema(): JsonSchema {
  const processKinds = Object.fromEntries(KERNELS.map((k) => [k.name, k.schema]));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'scenario',
    description: 'A synthetic-data scenario: populations, behaviour models and the tables to write.',
    type: 'object',
    additionalProperties: false,
    required: ['scenario', 'actors', 'processes', 'outputs'],
    properties: {
      scenario: { ...name('Short name of the scenario (used in the manifest and default output folder).') },
      description: { type: 'string', description: 'What the scenario simulates and why.' },
      extends: extendsSchema,
      include: includeSchema,
      seed: { type: 'integer', minimum: 0, default: 1, description: 'Seed of every random stream; `--seed` overrides it.' },
      limits: limitsSchema,
      on_invalid: onInvalidSchema,
      params: paramsSchema,
      time: {
        type: 'object',
        description: 'The simulated calendar.',
        additionalProperties: false,
        properties: {
          start: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', default: '2026-01-01', description: 'Date of day 0 (YYYY-MM-DD, UTC).' },
          days: { type: 'integer', minimum: 1, maximum: 100000, default: 1, description: 'Number of simulated days (at most 100,000, about 270 years).' },
          unit: {
            type: 'string',
            enum: ['second', 'minute', 'hour', 'day'],
            default: 'second',
            description: 'Unit of every time quantity (dwell times, offsets, rates).',
          },
        },
      },
      actors: namedMap('Populations, by name.', actor),
      states: namedMap('State lists, by name.', {
        type: 'array',
        description: 'The states, in the order matrix columns follow.',
        minItems: 2,
        uniqueItems: true,
        items: { type: 'string', minLength: 1 },
      }),
      matrices: namedMap('Transition matrices, by name.', matrix),
      processes: namedMap('Processes that generate records, by name; each names exactly one kind.', {
        type: 'object',
        description: 'A process: exactly one key naming its kind.',
        additionalProperties: false,
        minProperties: 1,
        maxProperties: 1,
        properties: processKinds,
      }),
      outputs: namedMap('Tables to write, by name.', output),
    },
    $defs: { distribution, expression: expression('An expression.'), quantity: quantity('A quantity.'), param: paramDeclaration },
  };
}
