/** `scenario validate FILE...`: every problem of every file at once. */
import { formatDiagnostic, summarize } from '../diagnostics/format.js';
import { loadScenario } from '../pipeline.js';
import { color, EXIT, parse, UsageError } from './args.js';

export const help = `Usage: scenario validate FILE... [--set path=value ...]

Checks scenarios against the schema and the language's rules (matrices, references,
expressions) and reports every problem at once as
  file:line:col  code  message
with a code frame and a hint.

Examples:
  scenario validate scenarios/crm-theft.yaml
  scenario validate scenarios/*.yaml

Exit codes: 0 all valid, 1 a file has errors, 2 usage error.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { set: { type: 'string', multiple: true } });
  if (values.help) return (console.log(help), EXIT.ok);
  if (positionals.length === 0) throw new UsageError('validate needs at least one FILE');
  let failed = false;
  for (const file of positionals) {
    const loaded = loadScenario(file, { set: values.set });
    for (const d of loaded.diagnostics) console.error(formatDiagnostic(d, loaded.source, color(process.stderr)) + '\n');
    const errors = loaded.diagnostics.some((d) => d.severity === 'error');
    failed ||= errors;
    console.error(errors || loaded.diagnostics.length > 0 ? `${loaded.file}: ${summarize(loaded.diagnostics)}` : `${loaded.file}: ok`);
  }
  return failed ? EXIT.invalid : EXIT.ok;
}
