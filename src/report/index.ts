/**
 * `scenario report` and `scenario run --report`: a dataset card for a finished run, written
 * as report.html (docs/report.md). It reads the manifest, the scenario copy and the output
 * files; chooses plots from what they hold (select.ts); computes their data with DuckDB
 * (queries.ts); renders them to SVG with Vega (charts.ts); and writes one HTML file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSections } from './build.js';
import { toSvg } from './charts.js';
import { Dataset } from './dataset.js';
import { renderPage } from './html.js';
import { columnSummary } from './queries.js';
import { selectPlots } from './select.js';

export const REPORT_FILE = 'report.html';

export interface ReportResult {
  file: string;
  charts: { id: string; title: string }[];
}

/** Writes the report of the dataset in `dir` to `out` (default: report.html in the folder). */
export async function writeReport(dir: string, out = join(dir, REPORT_FILE)): Promise<ReportResult> {
  const ds = await Dataset.open(dir);
  try {
    const notes: string[] = [];
    if (!ds.scenario) notes.push('The folder has no scenario.yaml: plots that need the scenario (Markov matrices) are left out.');
    const built = await buildSections(ds, selectPlots(ds));
    const sections = built.sections;
    notes.push(...built.notes);
    const svg = new Map<string, string>();
    for (const c of sections.flatMap((s) => s.charts)) svg.set(c.id, await toSvg(c));
    const columns = [];
    for (const o of ds.outputs) if (!o.problem) columns.push({ output: `${o.file.output} (${o.file.file})`, rows: await columnSummary(ds, o) });
    const html = renderPage({
      manifest: ds.manifest,
      description: typeof ds.scenario?.description === 'string' ? ds.scenario.description.trim() : undefined,
      outputs: ds.outputs.map((o) => ({ name: o.file.output, file: o.file.file, format: o.file.format, rows: o.file.rows, bytes: o.file.bytes, label: o.file.label, problem: o.problem })),
      columns,
      sections,
      svg,
      notes,
    });
    writeFileSync(out, html);
    return { file: out, charts: sections.flatMap((s) => s.charts.map((c) => ({ id: c.id, title: c.title }))) };
  } finally {
    ds.close();
  }
}
