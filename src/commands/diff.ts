/** `scenario diff OLD NEW`: what a change to a scenario changes in what it generates. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatDiagnostic } from '../diagnostics/format.js';
import { diffPlans, type DiffSide } from '../diff/compare.js';
import { diffMarkdown, diffText } from '../diff/render.js';
import { loadScenario } from '../pipeline.js';
import { color, EXIT, parse, UsageError } from './args.js';

export const help = `Usage: scenario diff OLD NEW [--json | --markdown]

Compares two scenarios by their compiled plans, not their text: which params, populations,
attributes, state lists, matrices (each changed row with its old and new values),
processes (rates, patterns, ...) and outputs were added, removed or changed, and the
effect on each output's expected rows, bytes and label prevalence (from the planning
pilot, as in scenario plan). Layout and comments do not count.

OLD or NEW may be - to read that scenario from standard input; its extends/include paths
are then resolved from the folder of the other file.

Options:
  --json       the differences as JSON
  --markdown   Markdown for a pull-request comment (starts with <!-- scenario-diff -->)
  -h, --help   this text

Examples:
  scenario diff old/crm-theft.yaml scenarios/crm-theft.yaml
  git show HEAD~1:scenarios/crm-theft.yaml | scenario diff - scenarios/crm-theft.yaml
  scenario diff base/scenarios/aml.yaml scenarios/aml.yaml --markdown > comment.md

Exit codes: 0 compared (whether or not anything changed), 1 a scenario is invalid or
cannot be read, 2 usage error.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, markdown: { type: 'boolean' } });
  if (values.help) return (console.log(help), EXIT.ok);
  if (positionals.length !== 2) throw new UsageError('diff needs exactly two scenarios: OLD NEW');
  if (values.json && values.markdown) throw new UsageError('choose one of --json and --markdown');
  if (positionals[0] === '-' && positionals[1] === '-') throw new UsageError('only one of OLD and NEW can be - (standard input)');
  const sides: DiffSide[] = [];
  for (const [i, arg] of positionals.entries()) {
    const side = load(arg, positionals[1 - i]);
    if (!side) return EXIT.invalid;
    sides.push(side);
  }
  const d = diffPlans(sides[0], sides[1]);
  console.log(values.json ? JSON.stringify(d, null, 2) : values.markdown ? diffMarkdown(d) : diffText(d));
  return EXIT.ok;
}

/** Loads and estimates one side; prints its diagnostics and returns undefined when it is invalid. */
function load(arg: string, other: string): DiffSide | undefined {
  const stdin = arg === '-';
  // Standard input has no folder of its own: relative paths resolve from the other file's.
  const file = stdin ? join(dirname(resolve(other)), '(stdin).yaml') : arg;
  const text = stdin ? readFileSync(0, 'utf8') : undefined;
  const loaded = loadScenario(file, { estimate: true, text, name: stdin ? '(stdin)' : undefined });
  for (const d of loaded.diagnostics) console.error(formatDiagnostic(d, loaded.sources[d.file] ?? loaded.source, color(process.stderr)) + '\n');
  if (!loaded.compiled) return undefined;
  return { file: loaded.file, plan: loaded.compiled.plan, value: loaded.value };
}
