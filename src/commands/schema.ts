/** `scenario schema`: prints the JSON Schema of the language. */
import { schemaText } from '../schema/build.js';
import { EXIT, parse } from './args.js';

export const help = `Usage: scenario schema

Prints the JSON Schema of the scenario language (the same as schema/scenario.schema.json),
for editors and CI. Example:
  scenario schema > scenario.schema.json

Exit codes: 0 ok, 2 usage error.`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parse(argv, {}, false);
  if (values.help) return (console.log(help), EXIT.ok);
  process.stdout.write(schemaText());
  return EXIT.ok;
}
