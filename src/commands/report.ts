/** `scenario report DIR`: writes report.html, a dataset card with plots, for a finished run. */
import { resolve } from 'node:path';
import { EXIT, parse, UsageError } from './args.js';

export const help = `Usage: scenario report DIR [--out FILE]

Writes a self-contained HTML dataset card for a dataset folder written by scenario run:
the scenario (name, hash, seed, overrides, params), rows and label prevalence per output,
the columns with their types, and plots chosen from the data: for Markov processes the
empirical next to the declared transition matrices and the session lengths; amounts of
normal vs labelled rows; events over time; degree distributions of link files. The charts
are inline SVG, so the file opens offline. See docs/report.md.

Options:
  --out FILE   where to write (default: DIR/report.html; not listed in the manifest)
  -h, --help   this text

Examples:
  scenario report out/crm-theft
  scenario report data/crm --out crm-report.html
  scenario run scenarios/crm-theft.yaml --report      (the same, at the end of a run)

Exit codes: 0 written, 1 DIR is not a dataset folder or a file cannot be read or written,
2 usage error.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: 'string' } });
  if (values.help) return (console.log(help), EXIT.ok);
  if (positionals.length !== 1) throw new UsageError('report needs exactly one DIR');
  const { writeReport } = await import('../report/index.js');
  try {
    const r = await writeReport(positionals[0], values.out ? resolve(values.out) : undefined);
    console.log(`wrote ${r.file} (${r.charts.length} chart${r.charts.length === 1 ? '' : 's'})`);
    return EXIT.ok;
  } catch (e) {
    console.error(`scenario report: ${(e as Error).message}`);
    return EXIT.invalid;
  }
}
