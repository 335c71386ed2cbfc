/**
 * Generates docs/reference.md (every field of the language, from the JSON Schema) and
 * docs/expressions.md (the function table). `npm run docs` writes them; a test fails when
 * the committed pages are stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONSTANTS, FUNCTIONS } from '../expr/functions.js';
import { buildScenarioSchema } from '../schema/scenario-schema.js';

type S = Record<string, any>;

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));

function typeOf(s: S, root: S): string {
  if (s.$ref) return refName(s.$ref);
  if (s.anyOf) return s.anyOf.map((b: S) => typeOf(b, root)).join(' or ');
  if (s.enum) return [...new Set<string>(s.enum.map(String))].map((e) => `\`${e}\``).join(' \\| ');
  if (Array.isArray(s.type)) return s.type.join(' or ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items, root) : 'values'}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties) return `map of name -> ${typeOf(s.additionalProperties, root)}`;
  return s.type ?? 'any';
}

function refName(ref: string): string {
  const name = ref.split('/').pop()!;
  return `[${name}](#${name})`;
}

function fields(s: S, root: S, path: string, out: string[], depth = 0): void {
  const props: S = s.properties ?? {};
  const required: string[] = s.required ?? [];
  if (Object.keys(props).length === 0) return;
  out.push('', `| key | type | required | default | description |`, `| --- | --- | --- | --- | --- |`);
  const nested: [string, S][] = [];
  for (const [key, p] of Object.entries(props)) {
    const def = p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : '';
    out.push(`| \`${key}\` | ${typeOf(p, root)} | ${required.includes(key) ? 'yes' : ''} | ${def} | ${(p.description ?? '').replace(/\|/g, '\\|')} |`);
    if (p.properties) nested.push([`${path}.${key}`, p]);
    else if (p.additionalProperties?.properties) nested.push([`${path}.${key}.<name>`, p.additionalProperties]);
  }
  for (const [p, sub] of nested) {
    out.push('', `${'#'.repeat(Math.min(6, 3 + depth))} \`${p}\``, '', sub.description ?? '');
    fields(sub, root, p, out, depth + 1);
  }
}

export function referenceMarkdown(): string {
  const schema = buildScenarioSchema();
  const out = [
    '# Scenario language reference',
    '',
    '<!-- Generated from schema/scenario.schema.json by `npm run docs`; do not edit by hand. -->',
    '',
    String(schema.description),
    'Every key below is checked by `scenario validate`; unknown keys are errors.',
    'Expressions are described in [expressions.md](expressions.md).',
    '',
    '## Top level',
  ];
  fields(schema, schema, 'scenario', out);
  for (const [name, def] of Object.entries<S>((schema.$defs as S) ?? {})) {
    out.push('', `## ${name}`, '', def.description ?? '');
    fields(def, schema, name, out);
  }
  out.push('', '## Example', '', 'See [scenarios/crm-theft.md](scenarios/crm-theft.md) for a complete scenario explained line by line.', '');
  return out.join('\n');
}

export function expressionsMarkdown(): string {
  const out = [
    '# Expressions',
    '',
    '<!-- Generated from src/expr/functions.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'Expressions are written in [jexl](https://github.com/TomFrost/Jexl): `a.b`, `f(x)`, `x ? y : z`,',
    '`&&`, `||`, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `+`, `-`, `*`, `/`, `//` (floor division),',
    '`%`, `^` (power), `x in list`, list and object literals, and `x | f(y)` (same as `f(x, y)`).',
    'Negative numbers are literals (`-1`); to negate a name write `0 - x`.',
    '',
    'Each expression is compiled once, when the scenario is planned, into a plain JavaScript',
    'function: no interpreter runs per row. Names are resolved at compile time, so a misspelt',
    'name is a validation error at its line and column, not a surprise at run time. Random',
    'functions draw from the random stream of the entity being generated (member, day,',
    'session), so results do not depend on how the run is split.',
    '',
    '## Names',
    '',
    '| where | names |',
    '| --- | --- |',
    '| every expression | `params.<name>`: the value of a param of the scenario (see scenarios-as-code.md), compiled in as a constant |',
    '| actor `count` | `count.<actor>` |',
    '| attributes | earlier attributes of the same member by name, `index`, `count.<actor>` |',
    '| markov `matrix`, `per_day`, `session_start` | `actor.id`, `actor.<attribute>`, `day`, `session.index`, matrix names |',
    '| markov `dwell` | as above, plus `state` (the current state) |',
    '| output columns (markov sessions) | `actor.*`, `day`, `date`, `session.index` (per member, from 0), `session.day_index`, `session.matrix`, `session.path`, `session.length` (states), `session.steps`, `session.truncated`, `session.time`, `session.timestamp` |',
    '| output columns (markov steps) | the session names plus `step.index`, `step.state`, `step.prev`, `step.time`, `step.timestamp` |',
    '| output columns (state lists) | `index`, `name` |',
    '',
    '## Functions',
    '',
    '| function | random | description |',
    '| --- | --- | --- |',
    ...Object.values(FUNCTIONS).map((f) => `| \`${f.usage}\` | ${f.random ? 'yes' : ''} | ${f.doc} |`),
    '',
    '## Constants',
    '',
    '| name | description |',
    '| --- | --- |',
    ...Object.entries(CONSTANTS).map(([k, c]) => `| \`${k}\` | ${c.doc} |`),
    '',
  ];
  return out.join('\n');
}

export const GENERATED: Record<string, () => string> = {
  'reference.md': referenceMarkdown,
  'expressions.md': expressionsMarkdown,
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [file, make] of Object.entries(GENERATED)) {
    writeFileSync(DOCS + file, make());
    console.log(`wrote docs/${file}`);
  }
}
