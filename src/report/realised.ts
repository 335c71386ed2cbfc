/**
 * Realised events per time bin of an arrivals output, counted by DuckDB over the whole file,
 * in the bins the declared intensity is integrated over (intensity.ts).
 */
import { ident, type Dataset } from './dataset.js';
import type { RunClock } from './intensity.js';
import type { IntensityPlan } from './select-arrivals.js';

/** The event time in scenario units, as SQL. */
function unitsSql(plan: IntensityPlan, clock: RunClock & { startMs: number }): string {
  const col = ident(plan.column);
  if (plan.time === 'units') return `CAST(${col} AS DOUBLE)`;
  const type = plan.output.columns.find((c) => c.name === plan.column)?.type ?? '';
  // epoch() of a TIMESTAMP WITH TIME ZONE is absolute; a text column holds the engine's `...Z` timestamps.
  const seconds = /^TIMESTAMP/.test(type) ? `epoch(${col})` : `epoch(CAST(${col} AS TIMESTAMPTZ))`;
  return `((${seconds} - ${clock.startMs / 1000}) / ${86400 / clock.unitsPerDay})`;
}

/** Rows per bin [i w, (i + 1) w), i = 0 .. n - 1 (times outside the run go to the nearest bin). */
export async function realisedPerBin(ds: Dataset, plan: IntensityPlan, clock: RunClock & { startMs: number }, width: number, n: number): Promise<number[]> {
  const t = unitsSql(plan, clock);
  const rows = await ds.rows(`SELECT least(${n - 1}, greatest(0, floor(${t} / ${width})))::BIGINT AS bin, count(*) AS n FROM ${plan.output.view} WHERE ${t} IS NOT NULL GROUP BY ALL`);
  const out = new Array<number>(n).fill(0);
  for (const r of rows) out[Number(r.bin)] += Number(r.n);
  return out;
}

/** Rows per hour of the day (0..23), over the whole run. */
export async function realisedPerHourOfDay(ds: Dataset, plan: IntensityPlan, clock: RunClock & { startMs: number }): Promise<number[]> {
  const t = unitsSql(plan, clock);
  const hour = clock.unitsPerDay / 24;
  const rows = await ds.rows(`SELECT (floor(${t} / ${hour})::BIGINT % 24 + 24) % 24 AS h, count(*) AS n FROM ${plan.output.view} WHERE ${t} IS NOT NULL GROUP BY ALL`);
  const out = new Array<number>(24).fill(0);
  for (const r of rows) out[Number(r.h)] += Number(r.n);
  return out;
}
