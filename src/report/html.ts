/**
 * The report page: one self-contained HTML file (inline CSS and SVG, no script, nothing
 * fetched), so it opens offline and can be attached to a dataset or a review.
 */
import type { Manifest } from '../sinks/manifest.js';
import type { Section } from './section.js';

export interface PageInput {
  manifest: Manifest;
  description?: string;
  outputs: { name: string; file: string; format: string; rows: number; bytes: number; label?: { column: string; positive: number; share: number }; problem?: string }[];
  columns: { output: string; rows: { column: string; type: string; nulls: string; min: string; max: string; distinct: number }[] }[];
  sections: Section[];
  /** SVG of each chart, by chart id. */
  svg: Map<string, string>;
  notes: string[];
}

export function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const CSS = `
body{font:14px/1.45 Helvetica,Arial,sans-serif;color:#222;max-width:1180px;margin:24px auto;padding:0 20px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:14px;margin:16px 0 4px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f6f6f6}
td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:12px;word-break:break-all}
.charts{display:flex;flex-wrap:wrap;gap:18px}figure{margin:0;border:1px solid #eee;padding:8px}
figcaption{font-size:12px;color:#555;max-width:560px}.muted{color:#777}.problem{color:#b00}
`;

export function renderPage(p: PageInput): string {
  const m = p.manifest;
  const overview: [string, string][] = [
    ['scenario', m.scenario.name],
    ['scenario file', m.scenario.file],
    ['scenario sha256', `<code>${esc(m.scenario.sha256)}</code>`],
    ['seed', String(m.seed)],
    ['overrides', m.overrides.length ? m.overrides.map((o) => `<code>--set ${esc(o)}</code>`).join('<br>') : '<span class="muted">none</span>'],
    ['params', Object.keys(m.params ?? {}).length ? Object.entries(m.params).map(([k, v]) => `${esc(k)} = ${esc(JSON.stringify(v))}`).join('<br>') : '<span class="muted">none</span>'],
    ['engine', `scenario ${m.engine.version}`],
  ];
  if (m.shard) overview.push(['shard', `${m.shard.index} of ${m.shard.count}`]);
  if (m.format) overview.push(['format override', m.format]);
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(m.scenario.name)}: dataset report</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<style>${CSS}</style></head><body>`,
    `<h1>${esc(m.scenario.name)}</h1>`,
    p.description ? `<p>${esc(p.description)}</p>` : '',
    '<h2>Scenario</h2>',
    table(['', ''], overview.map(([k, v]) => [`<b>${esc(k)}</b>`, k === 'scenario sha256' || k === 'overrides' || k === 'params' ? v : esc(v)]), false),
    '<h2>Outputs</h2>',
    table(
      ['output', 'file', 'format', 'rows', 'bytes', 'label', 'positive', 'prevalence'],
      p.outputs.map((o) => [
        esc(o.name) + (o.problem ? `<div class="problem">not read: ${esc(o.problem)}</div>` : ''),
        `<code>${esc(o.file)}</code>`,
        esc(o.format),
        num(o.rows),
        num(o.bytes),
        esc(o.label?.column ?? ''),
        o.label ? num(o.label.positive) : '',
        o.label ? `${(o.label.share * 100).toFixed(3)}%` : '',
      ]),
    ),
    ...p.sections.flatMap((s) => [
      `<h2>${esc(s.title)}</h2>`,
      s.intro ? `<p>${esc(s.intro)}</p>` : '',
      '<div class="charts">',
      ...s.charts.map((c) => `<figure data-chart="${esc(c.id)}">${p.svg.get(c.id) ?? ''}<figcaption>${esc(c.caption)}</figcaption></figure>`),
      '</div>',
    ]),
    '<h2>Columns</h2>',
    ...p.columns.flatMap((c) => [
      `<h3>${esc(c.output)}</h3>`,
      table(['column', 'type', 'nulls', 'min', 'max', '~distinct'], c.rows.map((r) => [esc(r.column), esc(r.type), esc(r.nulls), esc(r.min), esc(r.max), num(r.distinct)])),
    ]),
    p.notes.length ? `<h2>Notes</h2><ul>${p.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '',
    `<p class="muted">Written by <code>scenario report</code> (engine ${esc(m.engine.version)}) from manifest.json, scenario.yaml and the output files. This file is not listed in the manifest.</p>`,
    '</body></html>',
    '',
  ];
  return html.filter((l) => l !== '').join('\n');
}

function num(n: number): string {
  return n.toLocaleString('en-US');
}

function table(head: string[], rows: string[][], withHead = true): string {
  const cell = (v: string) => (/^[\d,.]+%?$/.test(v) ? `<td class="n">${v}</td>` : `<td>${v}</td>`);
  return [
    '<table>',
    withHead ? `<tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>` : '',
    ...rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`),
    '</table>',
  ].join('');
}
