/** `scenario fmt FILE... [--check]`: rewrites scenarios in the canonical layout. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { formatDiagnostic } from '../diagnostics/format.js';
import { diag } from '../diagnostics/make.js';
import { FormatError, formatScenario } from '../fmt/format.js';
import { color, EXIT, parse, UsageError } from './args.js';

export const help = `Usage: scenario fmt FILE... [--check]

Rewrites scenario files (and files they include) in one canonical layout, keeping every
comment and anchor: top-level keys in the order scenario, description, extends, include,
seed, params, time, actors, states, matrices, processes, outputs (then any others);
two-space indentation; short lists of numbers or names in flow style ([0.2, 0.8]), longer
ones as block lists; matrix rows and adjacent trailing comments aligned; folded text
wrapped at 92 columns. Formatting twice changes nothing, and the data never changes.

Options:
  --check     write nothing; list the files that are not formatted and exit 1 if any
              (for CI and pre-commit hooks)
  -h, --help  this text

Examples:
  scenario fmt scenarios/*.yaml
  scenario fmt --check scenarios/*.yaml

Exit codes: 0 every file is (now) formatted, 1 a file is not formatted (--check) or is not
valid YAML or cannot be read, 2 usage error.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { check: { type: 'boolean' } });
  if (values.help) return (console.log(help), EXIT.ok);
  if (positionals.length === 0) throw new UsageError('fmt needs at least one FILE');
  let failed = false;
  const unformatted: string[] = [];
  for (const file of positionals) {
    const shown = relative(process.cwd(), file) || file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const detail = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      console.error(formatDiagnostic(diag('file-unreadable', { file: shown, line: 0, column: 0, path: [] }, { file: shown, detail })));
      failed = true;
      continue;
    }
    let formatted: string;
    try {
      formatted = formatScenario(text);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      failed = true;
      if (!e.syntax) {
        console.error(`scenario fmt: ${shown}: ${e.message}`);
        continue;
      }
      const place = { file: shown, line: e.line, column: e.column, path: [] };
      console.error(formatDiagnostic(diag('yaml-syntax', place, { detail: e.message }), text, color(process.stderr)));
      continue;
    }
    if (formatted === text) continue;
    if (values.check) {
      unformatted.push(shown);
      console.log(shown);
    } else {
      // Write beside the file and rename, so an interrupted run never leaves half a file.
      const tmp = `${file}.fmt-${process.pid}.tmp`;
      writeFileSync(tmp, formatted);
      renameSync(tmp, file);
      console.log(`formatted ${shown}`);
    }
  }
  if (unformatted.length > 0) {
    console.error(`${unformatted.length} file(s) not formatted; run: scenario fmt ${unformatted.join(' ')}`);
    return EXIT.invalid;
  }
  return failed ? EXIT.invalid : EXIT.ok;
}
