/**
 * Turns the selected plots into charts with captions, computing their data with DuckDB.
 * Each plot kind is one function here; which plots a dataset gets is decided in select.ts.
 */
import { degreePoints, heatmap, histogram, prevalenceBars, rateLines, shareBars, type Chart } from './charts.js';
import type { Dataset } from './dataset.js';
import { amountHistogram, degrees, eventRate, sessionLengths, transitions } from './queries.js';
import type { PlotPlan } from './select.js';
import { intensitySection } from './build-intensity.js';
import { patternsSection } from './build-patterns.js';
import { socialSection } from './build-social.js';
import { slug, type Section } from './section.js';

export type { Section } from './section.js';

/** The chart sections of the report, one per selected plot, and notes on sections left out. */
export async function buildSections(ds: Dataset, plots: PlotPlan[]): Promise<{ sections: Section[]; notes: string[] }> {
  const sections: Section[] = [];
  for (const plot of plots) {
    switch (plot.kind) {
      case 'prevalence':
        sections.push(prevalence(ds));
        break;
      case 'markov':
        sections.push(await markov(ds, plot));
        break;
      case 'amount':
        sections.push(await amount(ds, plot));
        break;
      case 'rate':
        sections.push(await rate(ds, plot));
        break;
      case 'degree':
        sections.push(await degree(ds, plot));
        break;
      case 'intensity':
        sections.push(await intensitySection(ds, plot));
        break;
      case 'social':
        sections.push(await socialSection(ds, plot));
        break;
      case 'patterns':
        sections.push(await patternsSection(ds, plot));
        break;
    }
  }
  return { sections: sections.filter((s) => s.charts.length > 0), notes: sections.flatMap((s) => (s.charts.length === 0 && s.note ? [s.note] : [])) };
}

function prevalence(ds: Dataset): Section {
  const values = ds.manifest.files.filter((f) => f.label).map((f) => ({ output: `${f.output} (${f.label!.column})`, share: f.label!.share, positive: f.label!.positive }));
  return {
    title: 'Label prevalence',
    charts: [prevalenceBars('prevalence', 'Share of rows labelled positive, per output', 'From the manifest: positive rows over all rows of each labelled output.', values)],
  };
}

async function markov(ds: Dataset, plot: Extract<PlotPlan, { kind: 'markov' }>): Promise<Section> {
  const o = plot.output.file.output;
  const charts: Chart[] = [];
  const empirical = await transitions(ds, plot);
  for (const g of empirical) {
    const { p, visits } = normalise(g.counts);
    const closest = closestMatrix(g.counts, plot.declared);
    const by = plot.group ? ` (${g.group}${plot.group.label ? `, by ${plot.group.column}` : ''})` : '';
    const note = closest ? ` Closest declared matrix: ${closest.name} (mean total-variation distance ${closest.distance.toFixed(3)}, weighted by visits).` : '';
    charts.push(heatmap(slug('markov', plot.process, 'empirical', g.group), `Empirical transitions${by}`, `${visits.toLocaleString('en-US')} transitions read from ${o}.${note}`, plot.states, p));
  }
  for (const m of plot.declared) {
    charts.push(heatmap(slug('markov', plot.process, 'declared', m.name), `Declared matrix ${m.name}`, `As written in the scenario (matrices.${m.name}).`, plot.states, m.rows));
  }
  const lengths = await sessionLengths(ds, plot);
  const totals = new Map<string, number>();
  for (const l of lengths) totals.set(l.group, (totals.get(l.group) ?? 0) + l.sessions);
  charts.push(
    shareBars(
      slug('markov', plot.process, 'lengths'),
      'Session length',
      `States per session, start and end included, as a share of each group's sessions (${[...totals].map(([g, n]) => `${g}: ${n.toLocaleString('en-US')}`).join(', ')}).`,
      lengths.map((l) => ({ x: l.length, group: l.group, share: l.sessions / totals.get(l.group)! })),
      'states in the session',
    ),
  );
  return {
    title: `Markov process ${plot.process}`,
    intro: `Sessions of ${o}, column ${plot.path}${plot.group ? `, grouped by ${plot.group.column}` : ''}. Compare the empirical heatmaps with the declared matrices below them.`,
    charts,
  };
}

function normalise(counts: number[][]): { p: number[][]; visits: number } {
  let visits = 0;
  const p = counts.map((row) => {
    const n = row.reduce((a, b) => a + b, 0);
    visits += n;
    return row.map((c) => (n > 0 ? c / n : 0));
  });
  return { p, visits };
}

/** The declared matrix nearest to empirical counts: mean total variation of the rows, weighted by visits. */
export function closestMatrix(counts: number[][], declared: { name: string; rows: number[][] }[]): { name: string; distance: number } | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const m of declared) {
    let sum = 0;
    let weight = 0;
    counts.forEach((row, i) => {
      const n = row.reduce((a, b) => a + b, 0);
      if (n === 0) return;
      const tv = 0.5 * row.reduce((s, c, j) => s + Math.abs(c / n - (m.rows[i]?.[j] ?? 0)), 0);
      sum += tv * n;
      weight += n;
    });
    if (weight === 0) continue;
    const distance = sum / weight;
    if (!best || distance < best.distance) best = { name: m.name, distance };
  }
  return best;
}

async function amount(ds: Dataset, plot: Extract<PlotPlan, { kind: 'amount' }>): Promise<Section> {
  const o = plot.output.file.output;
  const h = await amountHistogram(ds, plot.output, plot.column, plot.label);
  const totals = new Map<string, number>();
  for (const b of h.bins) totals.set(b.group, (totals.get(b.group) ?? 0) + b.rows);
  const values = h.bins.map((b) => ({ from: b.from, to: b.to, group: b.group, share: b.rows / totals.get(b.group)! }));
  return {
    title: `${plot.column} in ${o}: normal vs labelled`,
    charts: values.length
      ? [
          histogram(
            slug('amount', o, plot.column),
            `${plot.column}, normal vs labelled (${plot.label})`,
            `Share of each group's rows per bin (40 bins${h.log ? ', logarithmic in 1 + value' : ''}); ${[...totals].map(([g, n]) => `${g}: ${n.toLocaleString('en-US')} rows`).join(', ')}.`,
            values,
            plot.column,
            h.log,
          ),
        ]
      : [],
  };
}

async function rate(ds: Dataset, plot: Extract<PlotPlan, { kind: 'rate' }>): Promise<Section> {
  const o = plot.output.file.output;
  const r = await eventRate(ds, plot);
  const buckets = new Set(r.points.map((p) => String(p.at))).size;
  return {
    title: `Events over time in ${o}`,
    charts:
      buckets >= 2
        ? [
            rateLines(
              slug('rate', o, plot.column),
              `Rows of ${o} per ${r.bucket}`,
              `Realised event rate: rows per bucket of ${plot.column}${plot.label ? `, normal and labelled (${plot.label})` : ''}; symmetric-log scale.`,
              r.points,
              plot.time === 'timestamp',
              plot.column,
            ),
          ]
        : [],
  };
}

async function degree(ds: Dataset, plot: Extract<PlotPlan, { kind: 'degree' }>): Promise<Section> {
  const o = plot.output.file.output;
  const values = await degrees(ds, plot);
  return {
    title: `Degree distribution of ${o}`,
    charts: [
      degreePoints(
        slug('degree', o),
        `Degrees in ${o}`,
        `Links from ${plot.source} to ${plot.target}: how many nodes have each out-degree and in-degree (log-log; nodes without links are not in the file).`,
        values,
      ),
    ],
  };
}
