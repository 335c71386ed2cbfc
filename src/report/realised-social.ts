/**
 * Realised events of a social process per day and event type, counted by DuckDB over the
 * whole output files and summed over the sources (the batch and stream logs add up).
 */
import { ident, type Dataset } from './dataset.js';
import type { SocialSource } from './select-social.js';

/** The event's day number as SQL, from whichever time the output writes. */
function daySql(src: SocialSource, startMs: number): string {
  const col = ident(src.timeColumn);
  if (src.time === 'day') return `CAST(${col} AS DOUBLE)`;
  if (src.time === 'seconds') return `(CAST(${col} AS DOUBLE) / 86400)`;
  const type = src.output.columns.find((c) => c.name === src.timeColumn)?.type ?? '';
  // The kernel writes UTC without a zone (`YYYY-MM-DD HH:MM:SS`): read as a plain TIMESTAMP, whose epoch is UTC.
  const seconds = /^TIMESTAMP/.test(type) ? `epoch(${col})` : `epoch(CAST(${col} AS TIMESTAMP))`;
  return `((${seconds} - ${startMs / 1000}) / 86400)`;
}

/** Rows per event type and day 0 .. days - 1, summed over `sources` (days outside the run go to the nearest). */
export async function realisedPerDay(ds: Dataset, sources: SocialSource[], startMs: number, days: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const src of sources) {
    const day = daySql(src, startMs);
    const rows = await ds.rows(
      `SELECT CAST(${ident(src.typeColumn)} AS VARCHAR) AS type, least(${days - 1}, greatest(0, floor(${day})))::BIGINT AS day, count(*) AS n
       FROM ${src.output.view} WHERE ${day} IS NOT NULL GROUP BY ALL`,
    );
    for (const r of rows) {
      const type = String(r.type);
      if (!out.has(type)) out.set(type, new Array<number>(days).fill(0));
      out.get(type)![Number(r.day)] += Number(r.n);
    }
  }
  return out;
}
