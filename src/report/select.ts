/**
 * Which plots a dataset gets, decided from what is in the folder, never from the scenario's
 * name: the scenario's processes (markov chains and their matrices, arrival and social
 * rates, pattern instances), the outputs' column expressions and labels, and the column
 * types DuckDB reads. So a new bundled scenario gets the plots its data supports without changes here
 * (docs/report.md lists the rules).
 */
import type { Dataset, OutputView } from './dataset.js';
import { intensityPlots, type IntensityPlan } from './select-arrivals.js';
import { patternPlots, type PatternsPlan } from './select-patterns.js';
import { socialPlots, type SocialPlan } from './select-social.js';

export type PlotPlan =
  | { kind: 'prevalence' }
  | {
      kind: 'markov';
      process: string;
      output: OutputView;
      /** Column holding the session path, and its list separator when the file is CSV. */
      path: string;
      separator?: string;
      /** Sessions are grouped by this column: the matrix name when written, else the label. */
      group?: { column: string; label: boolean };
      states: string[];
      declared: { name: string; rows: number[][] }[];
    }
  | { kind: 'amount'; output: OutputView; column: string; label: string }
  | { kind: 'rate'; output: OutputView; column: string; time: 'timestamp' | 'number'; label?: string }
  | { kind: 'degree'; output: OutputView; source: string; target: string }
  | IntensityPlan
  | SocialPlan
  | PatternsPlan;

const AMOUNT = /amount|money|spent|price|value|sum|total|balance|paid|cost/i;
const TIME = /^(t|ts|time|timestamp|datetime|event_time|time_stamp|epoch)$|time$/i;
const SOURCE = new Set(['src', 'source', 'from', 'sender', 'payer', 'orig', 'origin', 'debtor', 'id1', 'node1', 'user1', 'head']);
const TARGET = new Set(['dst', 'dest', 'destination', 'target', 'to', 'receiver', 'recipient', 'payee', 'beneficiary', 'creditor', 'id2', 'node2', 'user2', 'tail']);
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;
const TEMPORAL = /^(TIMESTAMP|DATE)/;

/** The plots for a dataset, in the order the report shows them. */
export function selectPlots(ds: Dataset): PlotPlan[] {
  const plots: PlotPlan[] = [];
  const readable = ds.outputs.filter((o) => !o.problem && o.file.rows > 0);
  if (ds.outputs.some((o) => o.file.label)) plots.push({ kind: 'prevalence' });
  plots.push(...markovPlots(ds, readable));
  plots.push(...intensityPlots(ds, readable));
  // A later shard holds no social rows (the process runs whole in shard 1): its section says so.
  const laterShard = (ds.manifest.shard?.index ?? 1) > 1;
  plots.push(...socialPlots(ds, laterShard ? ds.outputs.filter((o) => !o.problem) : readable));
  for (const o of readable) {
    const label = o.file.label?.column;
    if (label) for (const column of amountColumns(o, label)) plots.push({ kind: 'amount', output: o, column, label });
    const time = timeColumn(o);
    if (time) plots.push({ kind: 'rate', output: o, ...time, ...(label ? { label } : {}) });
    const link = linkColumns(o);
    if (link) plots.push({ kind: 'degree', output: o, ...link });
  }
  plots.push(...patternPlots(ds, readable));
  return plots;
}

function markovPlots(ds: Dataset, outputs: OutputView[]): PlotPlan[] {
  const plots: PlotPlan[] = [];
  const sc = ds.scenario;
  for (const [process, spec] of Object.entries<any>(sc?.processes ?? {})) {
    const markov = spec?.markov;
    if (!markov) continue;
    const states: string[] | undefined = sc.states?.[markov.states];
    if (!Array.isArray(states)) continue;
    const declared = Object.entries<any>(sc.matrices ?? {})
      .filter(([, m]) => m?.states === markov.states)
      .map(([name, m]) => ({ name, rows: states.map((s) => (m.rows?.[s] ?? states.map(() => 0)).map(Number)) }));
    // One output per process: the first that writes sessions with their path.
    for (const o of outputs) {
      if (o.spec?.from !== process || (o.spec.rows ?? 'session') !== 'session') continue;
      const cols = Object.entries<unknown>(o.spec.columns ?? {});
      const path = cols.find(([, e]) => typeof e === 'string' && e.trim() === 'session.path')?.[0];
      if (!path || !o.columns.some((c) => c.name === path)) continue;
      const matrixCol = cols.find(([, e]) => typeof e === 'string' && e.trim() === 'session.matrix')?.[0];
      const label = o.file.label?.column;
      const group = matrixCol ? { column: matrixCol, label: false } : label ? { column: label, label: true } : undefined;
      const isCsv = o.file.format.startsWith('csv');
      plots.push({ kind: 'markov', process, output: o, path, ...(isCsv ? { separator: o.spec.list_separator ?? '|' } : {}), ...(group ? { group } : {}), states, declared });
      break;
    }
  }
  return plots;
}

/** Numeric columns that look like an amount of money (by name), besides the label. */
function amountColumns(o: OutputView, label: string): string[] {
  return o.columns.filter((c) => c.name !== label && AMOUNT.test(c.name) && NUMERIC.test(c.type)).map((c) => c.name).slice(0, 3);
}

/** A timestamp column, or a numeric column named like a time. */
function timeColumn(o: OutputView): { column: string; time: 'timestamp' | 'number' } | undefined {
  const stamp = o.columns.find((c) => TEMPORAL.test(c.type) && /^TIMESTAMP/.test(c.type)) ?? o.columns.find((c) => TEMPORAL.test(c.type));
  if (stamp) return { column: stamp.name, time: 'timestamp' };
  const numeric = o.columns.find((c) => TIME.test(c.name) && NUMERIC.test(c.type));
  return numeric ? { column: numeric.name, time: 'number' } : undefined;
}

/** A source and a target column: an output of links (edges). */
function linkColumns(o: OutputView): { source: string; target: string } | undefined {
  const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/);
  const source = o.columns.find((c) => words(c.name).some((w) => SOURCE.has(w)));
  const target = o.columns.find((c) => c !== source && words(c.name).some((w) => TARGET.has(w)));
  return source && target ? { source: source.name, target: target.name } : undefined;
}
