/**
 * Which social processes get declared vs realised event counts per day, and from which
 * outputs: those writing the event type (`event.type`) and its time (`day`, `event.time` or
 * `event.timestamp`), found from the column expressions, never from file names. Every event
 * must be counted once, so the outputs are either one without `where`, or outputs whose
 * `where` keeps exactly one phase (the batch and stream logs of social-purchases), whose
 * days add up; other filters (flagged, purchases only) are skipped.
 */
import type { Dataset, OutputView } from './dataset.js';

export type Phase = 'batch' | 'stream';

export interface SocialSource {
  output: OutputView;
  /** The phase its `where` keeps, or undefined when it has no `where` (every event). */
  phase?: Phase;
  typeColumn: string;
  timeColumn: string;
  /** `day` (day number), `seconds` (event.time, from the start of day 0) or `timestamp`. */
  time: 'day' | 'seconds' | 'timestamp';
}

export interface SocialPlan {
  kind: 'social';
  process: string;
  /** One source with every event, or one per phase (a phase may be missing: its days are not counted). */
  sources: SocialSource[];
}

const TIMES: [string, SocialSource['time']][] = [
  ['day', 'day'],
  ['event.time', 'seconds'],
  ['event.timestamp', 'timestamp'],
];

export function socialPlots(ds: Dataset, outputs: OutputView[]): SocialPlan[] {
  const plots: SocialPlan[] = [];
  for (const [process, spec] of Object.entries<any>(ds.scenario?.processes ?? {})) {
    if (!spec?.social) continue;
    const sources = outputs.filter((o) => o.spec?.from === process && (o.spec.rows ?? 'event') === 'event').flatMap((o) => source(o) ?? []);
    const whole = sources.find((s) => s.phase === undefined);
    const phases = (['batch', 'stream'] as const).flatMap((p) => sources.find((s) => s.phase === p) ?? []);
    if (whole) plots.push({ kind: 'social', process, sources: [whole] });
    else if (phases.length) plots.push({ kind: 'social', process, sources: phases });
  }
  return plots;
}

function source(o: OutputView): SocialSource | undefined {
  const where = o.spec.where;
  const phase = where === undefined ? undefined : phaseOf(where);
  if (where !== undefined && !phase) return undefined;
  const cols = Object.entries<unknown>(o.spec.columns ?? {}).filter(([name, e]) => typeof e === 'string' && o.columns.some((c) => c.name === name));
  const named = (expr: string) => cols.find(([, e]) => (e as string).trim() === expr)?.[0];
  const typeColumn = named('event.type');
  const time = TIMES.map(([expr, kind]) => ({ column: named(expr), kind })).find((t) => t.column);
  if (!typeColumn || !time) return undefined;
  return { output: o, ...(phase ? { phase } : {}), typeColumn, timeColumn: time.column!, time: time.kind };
}

/** The phase a `where` keeps when it is exactly a test of event.phase (== or !=, either side). */
export function phaseOf(where: unknown): Phase | undefined {
  if (typeof where !== 'string') return undefined;
  const text = where.trim().replace(/^\((.*)\)$/, '$1').trim();
  const m = /^event\.phase\s*(==|!=)\s*(['"])(batch|stream)\2$/.exec(text) ?? /^(['"])(batch|stream)\1\s*(==|!=)\s*event\.phase$/.exec(text);
  if (!m) return undefined;
  const [op, value] = m[1] === '==' || m[1] === '!=' ? [m[1], m[3]] : [m[3], m[2]];
  if (op === '==') return value as Phase;
  return value === 'batch' ? 'stream' : 'batch';
}
