/** `scenario list`: the bundled scenarios, which are also the templates of `scenario init`. */
import { bundledScenarios } from '../templates/bundled.js';
import { EXIT, parse } from './args.js';

export const help = `Usage: scenario list [--json]

Lists the scenarios bundled with the engine: name, the first line of the description,
and the file. Each is a template for scenario init.

Examples:
  scenario list
  scenario list --json

Exit codes: 0 ok, 2 usage error.`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } }, false);
  if (values.help) return (console.log(help), EXIT.ok);
  const all = bundledScenarios();
  if (values.json) {
    console.log(JSON.stringify(all.map(({ name, template, summary, file }) => ({ name, template, description: summary, file })), null, 2));
    return EXIT.ok;
  }
  const width = Math.max(8, ...all.map((b) => b.name.length));
  for (const b of all) console.log(`${b.name.padEnd(width)}  ${b.summary}\n${''.padEnd(width)}  ${b.file}`);
  if (all.length > 0) console.log(`\nStart from one: scenario init my-scenario --template ${all[0].template}`);
  return EXIT.ok;
}
