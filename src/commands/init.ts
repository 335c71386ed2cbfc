/** `scenario init NAME`: a starter scenario, copied from a bundled one. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { formatDiagnostic } from '../diagnostics/format.js';
import { loadScenario } from '../pipeline.js';
import { schemaText } from '../schema/build.js';
import { scenarioCopyOf } from '../sinks/scenario-copy.js';
import { bundledScenarios } from '../templates/bundled.js';
import { color, EXIT, parse, UsageError } from './args.js';

export const help = `Usage: scenario init NAME [--template TEMPLATE] [--dir DIR]

Writes NAME.yaml (in DIR, default the current folder), a copy of a bundled scenario
renamed to NAME (composed into one file when the bundled one extends another), and scenario.schema.json next to it, which the file's first line points
at so editors with the YAML language server complete and explain every key. It never
overwrites NAME.yaml; an existing scenario.schema.json is kept (and a note printed when it
differs from this engine's). NAME may also be a path ending in .yaml.

Options:
  --template T   the bundled scenario to start from (default: crm-theft); scenario list
                 shows them all
  --dir DIR      folder to write into (created if needed)
  -h, --help     this text

Examples:
  scenario init my-crm
  scenario init payments --template card-fraud-city --dir scenarios
  scenario list

Exit codes: 0 written, 1 NAME.yaml exists, the template is unknown or a file cannot be
written, 2 usage error (no NAME, or a NAME that is not a valid scenario name).`;

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const MODELINE = '# yaml-language-server: $schema=./scenario.schema.json';

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { template: { type: 'string' }, dir: { type: 'string' } });
  if (values.help) return (console.log(help), EXIT.ok);
  if (positionals.length !== 1) throw new UsageError('init needs exactly one NAME');
  const arg = positionals[0];
  const ext = extname(arg);
  const name = ext === '.yaml' || ext === '.yml' ? basename(arg, ext) : basename(arg);
  if (!NAME.test(name)) throw new UsageError(`"${name}" is not a valid scenario name: use letters, digits, _ and -, starting with a letter or _`);
  const file = resolve(values.dir ?? '.', ext === '.yaml' || ext === '.yml' ? arg : `${arg}.yaml`);

  const templates = bundledScenarios();
  const wanted = values.template ?? 'crm-theft';
  const template = templates.find((t) => t.template === wanted || t.name === wanted);
  if (!template) {
    console.error(`scenario init: no bundled scenario "${wanted}"\n  hint: one of ${templates.map((t) => t.template).join(', ')} (scenario list)`);
    return EXIT.invalid;
  }
  if (existsSync(file)) {
    console.error(`scenario init: ${shown(file)} already exists; it was left as it is\n  hint: choose another NAME or --dir`);
    return EXIT.invalid;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, starterText(templateText(template.path), name), { flag: 'wx' });
  const schemaFile = join(dirname(file), 'scenario.schema.json');
  const schema = schemaText();
  if (!existsSync(schemaFile)) writeFileSync(schemaFile, schema);
  else if (readFileSync(schemaFile, 'utf8') !== schema) console.error(`note: kept ${shown(schemaFile)}, which differs from this engine's schema; update it with: scenario schema > ${shown(schemaFile)}`);

  const loaded = loadScenario(file);
  for (const d of loaded.diagnostics) console.error(formatDiagnostic(d, loaded.sources[d.file] ?? loaded.source, color(process.stderr)) + '\n');
  console.log(`wrote ${shown(file)} (from ${template.file}) and its schema ${shown(schemaFile)}`);
  console.log(`next:\n  scenario validate ${shown(file)}\n  scenario plan ${shown(file)}\n  scenario run ${shown(file)} --report`);
  return loaded.compiled ? EXIT.ok : EXIT.invalid;
}

/**
 * The template's text. One that extends or includes other bundled files would not find
 * them from its new place, so it is written composed (one self-contained file).
 */
function templateText(path: string): string {
  const text = readFileSync(path, 'utf8');
  const loaded = loadScenario(path);
  return scenarioCopyOf(text, loaded.value, Object.values(loaded.compiled?.plan.sources ?? {})).text;
}

/** The template with its modeline pointing next to it and its `scenario:` name replaced. */
export function starterText(template: string, name: string): string {
  const lines = template.split('\n');
  if (lines[0].startsWith('# yaml-language-server:')) lines[0] = MODELINE;
  else lines.unshift(MODELINE);
  const i = lines.findIndex((l) => /^scenario\s*:/.test(l));
  if (i >= 0) lines[i] = `scenario: ${name}`;
  return lines.join('\n');
}

function shown(p: string): string {
  return relative(process.cwd(), p) || p;
}
