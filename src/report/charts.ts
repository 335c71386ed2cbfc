/**
 * Charts as Vega-Lite specs, rendered to SVG in this process by Vega's headless view (no
 * browser, no canvas), so the report embeds them inline and opens offline.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface Chart {
  /** Stable id, also the SVG's element id (`chart-<id>`). */
  id: string;
  title: string;
  /** One or two sentences under the chart: what it shows and how to read it. */
  caption: string;
  /** A Vega-Lite spec, rendered by toSvg... */
  spec?: TopLevelSpec;
  /** ...or an SVG drawn by the report itself (pattern instances: see pattern-drawing.ts). */
  svg?: string;
}

const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 13 },
  range: { category: ['#4c78a8', '#e45756', '#72b7b2', '#f58518', '#54a24b', '#b279a2'] },
};

/** Groups in a fixed order and colour: normal blue, labelled red, then the rest. */
function groupColor(values: { group: string }[]): object {
  const seen = [...new Set(values.map((v) => v.group))];
  const domain = [...['normal', 'labelled'].filter((g) => seen.includes(g)), ...seen.filter((g) => g !== 'normal' && g !== 'labelled').sort()];
  const palette = CONFIG.range.category;
  const range = domain.map((g, i) => (g === 'normal' ? palette[0] : g === 'labelled' ? palette[1] : palette[(i + 2) % palette.length]));
  return { field: 'group', type: 'nominal', title: null, scale: { domain, range } };
}

/** Renders a chart to an SVG string. */
export async function toSvg(chart: Chart): Promise<string> {
  if (chart.svg !== undefined) return chart.svg.replace('<svg ', `<svg id="chart-${chart.id}" role="img" aria-label="${escapeAttr(chart.title)}" `);
  const spec = { ...chart.spec, config: { ...CONFIG, ...(chart.spec as { config?: object }).config } } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg.replace('<svg ', `<svg id="chart-${chart.id}" role="img" aria-label="${escapeAttr(chart.title)}" `);
  } finally {
    view.finalize();
  }
}

/** A chart whose Vega-Lite spec gets the schema and the title every chart shares. */
function chart(id: string, title: string, caption: string, spec: object): Chart {
  return { id, title, caption, spec: { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, ...spec } as TopLevelSpec };
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** A transition matrix as a heatmap with the probabilities written in the cells. */
export function heatmap(id: string, title: string, caption: string, states: string[], p: number[][]): Chart {
  const values = states.flatMap((from, i) => states.map((to, j) => ({ from, to, p: p[i][j] })));
  const size = Math.max(160, states.length * 34);
  return chart(id, title, caption, {
    width: size,
    height: size,
    data: { values },
    encoding: {
      x: { field: 'to', type: 'nominal', sort: states, title: 'to', axis: { labelAngle: -40 } },
      y: { field: 'from', type: 'nominal', sort: states, title: 'from' },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'p', type: 'quantitative', scale: { domain: [0, 1], scheme: 'blues' }, title: 'P(to | from)' } } },
      {
        mark: { type: 'text', fontSize: 10 },
        transform: [{ filter: 'datum.p > 0' }],
        encoding: {
          text: { field: 'p', type: 'quantitative', format: '.2f' },
          color: { condition: { test: 'datum.p > 0.5', value: 'white' }, value: 'black' },
        },
      },
    ],
  });
}

/** Grouped bars of shares (each group sums to 1), e.g. session lengths normal vs labelled. */
export function shareBars(id: string, title: string, caption: string, values: { x: number; group: string; share: number }[], xTitle: string): Chart {
  return chart(id, title, caption, {
    width: 520,
    height: 220,
    data: { values },
    mark: { type: 'bar', opacity: 0.85 },
    encoding: {
      x: { field: 'x', type: 'ordinal', title: xTitle },
      xOffset: { field: 'group' },
      y: { field: 'share', type: 'quantitative', title: 'share of the group', axis: { format: '.0%' } },
      color: groupColor(values),
      tooltip: [{ field: 'group' }, { field: 'x' }, { field: 'share', format: '.2%' }],
    },
  });
}

/** A histogram of shares per group over [from, to) bins, drawn as overlapping steps. */
export function histogram(id: string, title: string, caption: string, values: { from: number; to: number; group: string; share: number }[], xTitle: string, log: boolean): Chart {
  return chart(id, title, caption, {
    width: 520,
    height: 220,
    data: { values },
    mark: { type: 'rect', opacity: 0.55 },
    encoding: {
      x: { field: 'from', type: 'quantitative', title: xTitle, scale: log ? { type: 'symlog' } : { zero: false } },
      x2: { field: 'to' },
      y: { field: 'share', type: 'quantitative', title: 'share of the group', axis: { format: '.0%' }, stack: null },
      color: groupColor(values),
    },
  });
}

/** Rows per time bucket, one line per group (symlog scale, so rare labelled rows show). */
export function rateLines(id: string, title: string, caption: string, values: { at: number | string; group: string; rows: number }[], temporal: boolean, xTitle: string): Chart {
  return chart(id, title, caption, {
    width: 560,
    height: 220,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', point: values.length < 60 },
    encoding: {
      x: { field: 'at', type: temporal ? 'temporal' : 'quantitative', title: xTitle },
      y: { field: 'rows', type: 'quantitative', title: 'rows per bucket', scale: { type: 'symlog' } },
      color: groupColor(values),
    },
  });
}

/** Nodes per degree on log-log axes, one series per direction. */
export function degreePoints(id: string, title: string, caption: string, values: { direction: string; degree: number; nodes: number }[]): Chart {
  return chart(id, title, caption, {
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'point', filled: true, opacity: 0.8 },
    encoding: {
      x: { field: 'degree', type: 'quantitative', scale: { type: 'log' }, title: 'degree' },
      y: { field: 'nodes', type: 'quantitative', scale: { type: 'log' }, title: 'nodes' },
      color: { field: 'direction', type: 'nominal', title: null },
    },
  });
}

/** Label prevalence per output, as a bar per output. */
export function prevalenceBars(id: string, title: string, caption: string, values: { output: string; share: number; positive: number }[]): Chart {
  return chart(id, title, caption, {
    width: 420,
    height: { step: 26 },
    data: { values },
    layer: [
      { mark: { type: 'bar', color: '#e45756' }, encoding: { x: { field: 'share', type: 'quantitative', title: 'share of rows labelled positive', axis: { format: '.2%' } } } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { x: { field: 'share', type: 'quantitative' }, text: { field: 'share', type: 'quantitative', format: '.3%' } } },
    ],
    encoding: { y: { field: 'output', type: 'nominal', title: null, axis: { labelLimit: 320 } } },
  });
}

/**
 * Declared vs realised events per time bin, one line per series, in the same units (events
 * per bin), each point at its bin's middle; declared series dashed. `at` is a UTC time in ms
 * (temporal) or a plain number. A symlog scale keeps a spike (day 0's initial friendships)
 * from flattening the other bins.
 */
export function intensityLines(
  id: string,
  title: string,
  caption: string,
  values: { at: number; series: string; events: number }[],
  temporal: boolean,
  xTitle: string,
  yScale: 'linear' | 'symlog' = 'linear',
  yTitle = 'events per bin',
): Chart {
  const domain = [...new Set(values.map((v) => v.series))];
  const declared = (s: string) => s.startsWith('declared');
  const palette = ['#4c78a8', '#222222', '#f58518'];
  let next = 1;
  const range = domain.map((s) => (declared(s) ? palette[next++ % palette.length] : palette[0]));
  // One legend for colour and dash (same field, same legend), showing both.
  const legend = { orient: 'bottom', direction: 'vertical', labelLimit: 520, symbolType: 'stroke' };
  return chart(id, title, caption, {
    width: 560,
    height: 240,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.6, point: values.length < 80 },
    encoding: {
      x: temporal ? { field: 'at', type: 'temporal', scale: { type: 'utc' }, title: xTitle } : { field: 'at', type: 'quantitative', title: xTitle },
      y: { field: 'events', type: 'quantitative', title: yTitle, ...(yScale === 'symlog' ? { scale: { type: 'symlog' } } : {}) },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain, range }, legend },
      strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain, range: domain.map((s) => (declared(s) ? [6, 3] : [1, 0])) }, legend },
      tooltip: [{ field: 'series' }, { field: 'events', format: ',.1f' }],
    },
  });
}
