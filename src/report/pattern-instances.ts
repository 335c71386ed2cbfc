/**
 * The pattern instances the report draws, read from the members output and the transactions
 * output with DuckDB: per kind, the first instance (lowest id) small enough to draw legibly
 * (at most MAX_EDGES transactions), else the one with fewest transactions; so the choice is
 * the same for the same dataset.
 */
import { UNIT_SECONDS, type TimeUnit } from '../model/time.js';
import { ident, type Dataset } from './dataset.js';
import type { PatternsPlan, TransfersSource } from './select-patterns.js';

/** Most transactions an instance may have to be picked first: beyond this, amounts overlap. */
export const MAX_EDGES = 24;

export interface InstanceData {
  id: number;
  kind: string;
  /** Instances of this kind in the file. */
  ofKind: number;
  members: { node: string; role: string; position: number }[];
  /** Transactions in time order; time in seconds (epoch or from the run start) when known. */
  transfers: { source: string; target: string; amount: number; time?: number }[];
}

const str = (col: string) => `CAST(${ident(col)} AS VARCHAR)`;
const int = (col: string) => `TRY_CAST(${ident(col)} AS BIGINT)`;

export async function pickInstances(ds: Dataset, plan: Required<Pick<PatternsPlan, 'members' | 'transfers'>>): Promise<InstanceData[]> {
  const m = plan.members;
  const t = plan.transfers;
  const sizes = new Map<number, number>();
  for (const r of await ds.rows(`SELECT ${int(t.instance)} AS i, count(*) AS n FROM ${t.output.view} WHERE ${int(t.instance)} IS NOT NULL GROUP BY ALL`)) sizes.set(Number(r.i), Number(r.n));
  const listed = await ds.rows(`SELECT DISTINCT ${int(m.instance)} AS i, ${str(m.kind.column)} AS k FROM ${m.output.view} WHERE ${int(m.instance)} IS NOT NULL ORDER BY i`);
  const byKind = new Map<string, number[]>();
  for (const r of listed) {
    const kind = m.kind.byRule ? (m.kind.byRule[String(r.k)] ?? String(r.k)) : String(r.k);
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind)!.push(Number(r.i));
  }
  const picked = [...byKind].map(([kind, ids]) => {
    const drawable = ids.filter((i) => (sizes.get(i) ?? 0) > 0);
    const small = drawable.find((i) => sizes.get(i)! <= MAX_EDGES);
    const id = small ?? drawable.reduce((best, i) => (sizes.get(i)! < sizes.get(best)! ? i : best), drawable[0]);
    return { kind, id, ofKind: ids.length };
  });
  const out: InstanceData[] = [];
  for (const p of picked.filter((x) => x.id !== undefined)) {
    const position = m.position ? `TRY_CAST(${ident(m.position)} AS INTEGER)` : '0';
    const members = await ds.rows(`SELECT ${str(m.node)} AS node, ${str(m.role)} AS role, coalesce(${position}, 0) AS pos FROM ${m.output.view} WHERE ${int(m.instance)} = ${p.id}`);
    const time = timeSql(t, ds);
    const transfers = await ds.rows(
      `SELECT ${str(t.source)} AS s, ${str(t.target)} AS z, CAST(${ident(t.amount)} AS DOUBLE) AS a, ${time} AS ts FROM ${t.output.view} WHERE ${int(t.instance)} = ${p.id} ORDER BY ts, s, z`,
    );
    out.push({
      id: p.id,
      kind: p.kind,
      ofKind: p.ofKind,
      members: members.map((r) => ({ node: String(r.node), role: String(r.role), position: Number(r.pos) })),
      transfers: transfers.map((r) => ({ source: String(r.s), target: String(r.z), amount: Number(r.a), ...(r.ts === null || r.ts === undefined ? {} : { time: Number(r.ts) }) })),
    });
  }
  return out;
}

/** The transaction time in seconds, as SQL (NULL when the output does not write it). */
function timeSql(t: TransfersSource, ds: Dataset): string {
  if (!t.time) return 'NULL';
  const col = ident(t.time.column);
  if (t.time.kind === 'units') {
    const unit = UNIT_SECONDS[(ds.scenario?.time?.unit ?? 'second') as TimeUnit] ?? 1;
    return `CAST(${col} AS DOUBLE) * ${unit}`;
  }
  if (t.time.kind === 'timestamp') return `epoch(TRY_CAST(${col} AS TIMESTAMPTZ))`;
  const clock = t.time.clock ? ` + coalesce(epoch(TRY_CAST(${ident(t.time.clock)} AS TIME)), 0)` : '';
  return `(epoch(TRY_CAST(${col} AS DATE))${clock})`;
}
