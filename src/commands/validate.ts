/** `scenario validate FILE...`: every problem of every file at once. */
import { formatDiagnostic, summarize } from '../diagnostics/format.js';
import { githubReport, jsonReport, junitReport, REPORTERS, type FileResult, type ReporterName } from '../diagnostics/reporters.js';
import { loadScenario } from '../pipeline.js';
import { color, EXIT, parse, UsageError } from './args.js';

export const help = `Usage: scenario validate FILE... [--set path=value ...] [--params FILE ...] [--reporter text|json|github|junit]

Checks scenarios against the schema and the language's rules (matrices, references,
expressions, params, extends and include) and reports every problem at once as
  file:line:col  code  message
with a code frame and a hint.

Options:
  --set path=value     override a value first (repeatable), e.g. --set params.users=2000
  --params FILE        param values from a YAML map of name: value (repeatable)
  --reporter NAME      text (default, on stderr), or on stdout for CI:
                         json    an array of every diagnostic
                         github  workflow annotations (::error file=...,line=...,col=...)
                         junit   JUnit XML, one test suite and test case per file

Examples:
  scenario validate scenarios/crm-theft.yaml
  scenario validate scenarios/*.yaml --reporter github
  scenario validate scenarios/*.yaml --reporter junit > scenario-validate.xml

Exit codes: 0 all valid, 1 a file has errors, 2 usage error.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    set: { type: 'string', multiple: true },
    params: { type: 'string', multiple: true },
    reporter: { type: 'string' },
  });
  if (values.help) return (console.log(help), EXIT.ok);
  if (positionals.length === 0) throw new UsageError('validate needs at least one FILE');
  const reporter = (values.reporter ?? 'text') as ReporterName;
  if (!REPORTERS.includes(reporter)) throw new UsageError(`--reporter must be one of ${REPORTERS.join(', ')}, got "${values.reporter}"`);
  const results: FileResult[] = [];
  for (const file of positionals) {
    const loaded = loadScenario(file, { set: values.set, params: values.params });
    results.push({ file: loaded.file, diagnostics: loaded.diagnostics });
    if (reporter === 'text') {
      for (const d of loaded.diagnostics) console.error(formatDiagnostic(d, loaded.sources[d.file] ?? loaded.source, color(process.stderr)) + '\n');
    }
    const errors = loaded.diagnostics.some((d) => d.severity === 'error');
    console.error(errors || loaded.diagnostics.length > 0 ? `${loaded.file}: ${summarize(loaded.diagnostics)}` : `${loaded.file}: ok`);
  }
  if (reporter === 'json') process.stdout.write(jsonReport(results));
  if (reporter === 'github') process.stdout.write(githubReport(results));
  if (reporter === 'junit') process.stdout.write(junitReport(results));
  return results.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? EXIT.invalid : EXIT.ok;
}
