/**
 * The numbers behind each plot, computed by DuckDB over the whole files: transition counts
 * of session paths, session lengths, amount histograms, events per time bucket, degrees.
 */
import { ident, lit, type Dataset, type OutputView } from './dataset.js';
import type { PlotPlan } from './select.js';
import { widthFor } from './bins.js';

/** True when a label value counts as positive (as the run summary counts it). */
export function positiveSql(col: string): string {
  return `coalesce(CAST(${ident(col)} AS VARCHAR) IN ('1', '1.0', 'true', 'True'), false)`;
}

function groupSql(plan: Extract<PlotPlan, { kind: 'markov' }>): string {
  if (!plan.group) return `'all sessions'`;
  if (plan.group.label) return `CASE WHEN ${positiveSql(plan.group.column)} THEN 'labelled' ELSE 'normal' END`;
  return `CAST(${ident(plan.group.column)} AS VARCHAR)`;
}

function pathSql(plan: Extract<PlotPlan, { kind: 'markov' }>): string {
  const col = ident(plan.path);
  return plan.separator !== undefined ? `string_split(CAST(${col} AS VARCHAR), ${lit(plan.separator)})` : col;
}

export interface Transitions {
  group: string;
  /** counts[from][to] over the state list. */
  counts: number[][];
}

/** Empirical transition counts per group of sessions. */
export async function transitions(ds: Dataset, plan: Extract<PlotPlan, { kind: 'markov' }>): Promise<Transitions[]> {
  const rows = await ds.rows(`
    WITH p AS (SELECT ${groupSql(plan)} AS g, ${pathSql(plan)} AS path FROM ${plan.output.view})
    SELECT g, path[i] AS a, path[i + 1] AS b, count(*) AS n
    FROM (SELECT g, path, unnest(range(1, len(path))) AS i FROM p)
    GROUP BY ALL ORDER BY ALL`);
  const index = new Map(plan.states.map((s, i) => [s, i]));
  const groups = new Map<string, number[][]>();
  for (const r of rows) {
    const g = String(r.g);
    if (!groups.has(g)) groups.set(g, plan.states.map(() => plan.states.map(() => 0)));
    const a = index.get(String(r.a));
    const b = index.get(String(r.b));
    if (a !== undefined && b !== undefined) groups.get(g)![a][b] += Number(r.n);
  }
  return [...groups].map(([group, counts]) => ({ group, counts }));
}

/** Session length (states visited, start and end included) per group. */
export async function sessionLengths(ds: Dataset, plan: Extract<PlotPlan, { kind: 'markov' }>): Promise<{ group: string; length: number; sessions: number }[]> {
  const rows = await ds.rows(`SELECT ${groupSql(plan)} AS g, len(${pathSql(plan)}) AS length, count(*) AS n FROM ${plan.output.view} GROUP BY ALL ORDER BY ALL`);
  return rows.map((r) => ({ group: String(r.g), length: Number(r.length), sessions: Number(r.n) }));
}

/**
 * A 40-bin histogram of a column, normal vs labelled rows. Skewed non-negative values (a
 * long tail, or many zeros) get logarithmic bins of 1 + x, so the bulk and the tail both show.
 */
export async function amountHistogram(ds: Dataset, o: OutputView, column: string, label: string): Promise<{ bins: { group: string; from: number; to: number; rows: number }[]; log: boolean }> {
  const x = `CAST(${ident(column)} AS DOUBLE)`;
  const [range] = await ds.rows(`SELECT min(${x}) AS lo, max(${x}) AS hi, quantile_cont(${x}, 0.5) AS p50, quantile_cont(${x}, 0.99) AS p99 FROM ${o.view} WHERE ${x} IS NOT NULL`);
  let lo = Number(range?.lo);
  let hi = Number(range?.hi);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { bins: [], log: false };
  const log = lo >= 0 && hi > 10 && (hi + 1) / (Number(range.p50) + 1) > 20;
  const v = log ? `log10(1 + ${x})` : x;
  if (log) (lo = Math.log10(1 + lo)), (hi = Math.log10(1 + hi));
  const width = hi > lo ? (hi - lo) / 40 : 1;
  const rows = await ds.rows(`
    SELECT CASE WHEN ${positiveSql(label)} THEN 'labelled' ELSE 'normal' END AS g,
           least(39, floor((${v} - ${lo}) / ${width}))::INTEGER AS bin, count(*) AS n
    FROM ${o.view} WHERE ${x} IS NOT NULL GROUP BY ALL ORDER BY ALL`);
  const edge = (b: number) => (log ? 10 ** (lo + b * width) - 1 : lo + b * width);
  return { bins: rows.map((r) => ({ group: String(r.g), from: edge(Number(r.bin)), to: edge(Number(r.bin) + 1), rows: Number(r.n) })), log };
}


/** Rows per time bucket (about 200 buckets at most), normal and labelled. */
export async function eventRate(ds: Dataset, plan: Extract<PlotPlan, { kind: 'rate' }>): Promise<{ bucket: string; points: { at: number | string; group: string; rows: number }[] }> {
  const col = ident(plan.column);
  const group = plan.label ? `CASE WHEN ${positiveSql(plan.label)} THEN 'labelled' ELSE 'normal' END` : `'all rows'`;
  const view = plan.output.view;
  if (plan.time === 'timestamp') {
    const ts = `CAST(${col} AS TIMESTAMP)`;
    const [r] = await ds.rows(`SELECT epoch(max(${ts})) - epoch(min(${ts})) AS span FROM ${view}`);
    const span = Number(r?.span ?? 0);
    const [name] = widthFor(span);
    const rows = await ds.rows(`SELECT strftime(time_bucket(INTERVAL '${name}', ${ts}), '%Y-%m-%dT%H:%M:%S') AS at, ${group} AS g, count(*) AS n FROM ${view} WHERE ${col} IS NOT NULL GROUP BY ALL ORDER BY ALL`);
    return { bucket: name, points: rows.map((p) => ({ at: String(p.at), group: String(p.g), rows: Number(p.n) })) };
  }
  const x = `CAST(${col} AS DOUBLE)`;
  const [r] = await ds.rows(`SELECT min(${x}) AS lo, max(${x}) AS hi FROM ${view}`);
  const lo = Number(r?.lo);
  const hi = Number(r?.hi);
  if (!Number.isFinite(lo) || !(hi > lo)) return { bucket: '', points: [] };
  const width = niceWidth((hi - lo) / 100);
  const rows = await ds.rows(`SELECT floor(${x} / ${width}) * ${width} AS at, ${group} AS g, count(*) AS n FROM ${view} WHERE ${x} IS NOT NULL GROUP BY ALL ORDER BY ALL`);
  return { bucket: `${width} ${plan.column} units`, points: rows.map((p) => ({ at: Number(p.at), group: String(p.g), rows: Number(p.n) })) };
}

/** 1, 2 or 5 times a power of ten, at least `x`. */
function niceWidth(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 5, 10].map((m) => m * p).find((w) => w >= x)!;
}

/** Out-degree of the source column and in-degree of the target column: nodes per degree. */
export async function degrees(ds: Dataset, plan: Extract<PlotPlan, { kind: 'degree' }>): Promise<{ direction: string; degree: number; nodes: number }[]> {
  const one = async (col: string, direction: string) =>
    (await ds.rows(`SELECT d AS degree, count(*) AS nodes FROM (SELECT count(*) AS d FROM ${plan.output.view} GROUP BY ${ident(col)}) GROUP BY ALL ORDER BY ALL`)).map((r) => ({
      direction,
      degree: Number(r.degree),
      nodes: Number(r.nodes),
    }));
  return [...(await one(plan.source, `out (${plan.source})`)), ...(await one(plan.target, `in (${plan.target})`))];
}

/** Per column: type, share of nulls, min, max and approximate distinct values. */
export async function columnSummary(ds: Dataset, o: OutputView): Promise<{ column: string; type: string; nulls: string; min: string; max: string; distinct: number }[]> {
  const rows = await ds.rows(`SUMMARIZE SELECT * FROM ${o.view}`);
  return rows.map((r) => ({
    column: String(r.column_name),
    type: String(r.column_type),
    nulls: `${Number(r.null_percentage ?? 0).toFixed(1)}%`,
    min: short(r.min),
    max: short(r.max),
    distinct: Number(r.approx_unique ?? 0),
  }));
}

function short(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}
