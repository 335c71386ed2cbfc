/** Readers for the files of graph scenarios (transactions, pattern members, links), for tests. */
import { readFileSync } from 'node:fs';

export interface Tx {
  id: string;
  source: number;
  target: number;
  /** Seconds since the epoch. */
  t: number;
  amount: number;
  currency: string;
  isPattern: boolean;
  kind: string;
  instance: number | undefined;
}

export interface Member {
  instance: number;
  kind: string;
  node: number;
  actor: string;
  role: string;
  position: number;
}

export interface Instance {
  id: number;
  kind: string;
  members: Member[];
  txs: Tx[];
}

/** Rows of a `|`-delimited file with a header, as objects keyed by column. */
export function readTable(file: string, delimiter = '|'): Record<string, string>[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = lines[0].split(delimiter);
  return lines.slice(1).map((l) => {
    const cells = l.split(delimiter);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}

export function readTransactions(file: string): Tx[] {
  return readTable(file).map((r) => ({
    id: r.id,
    source: Number(r.source),
    target: Number(r.target),
    t: Date.parse(`${r.date}T${r.time}Z`) / 1000,
    amount: Number(r.amount),
    currency: r.currency,
    isPattern: r.is_pattern === 'true',
    kind: r.pattern_kind,
    instance: r.pattern_instance === '' ? undefined : Number(r.pattern_instance),
  }));
}

export function readMembers(file: string): Member[] {
  return readTable(file).map((r) => ({
    instance: Number(r.instance),
    kind: r.kind,
    node: Number(r.node),
    actor: r.actor,
    role: r.role,
    position: Number(r.position),
  }));
}

/** Pattern instances with their members and their transactions (from the labels). */
export function instances(txs: Tx[], members: Member[]): Map<number, Instance> {
  const out = new Map<number, Instance>();
  for (const m of members) {
    const inst = out.get(m.instance) ?? { id: m.instance, kind: m.kind, members: [], txs: [] };
    inst.members.push(m);
    out.set(m.instance, inst);
  }
  for (const t of txs) {
    if (t.instance === undefined) continue;
    const inst = out.get(t.instance) ?? { id: t.instance, kind: t.kind, members: [], txs: [] };
    inst.txs.push(t);
    out.set(t.instance, inst);
  }
  return out;
}

/** Link pairs `source|target` of a link file. */
export function readLinks(file: string): [number, number][] {
  return readTable(file).map((r) => [Number(r.source), Number(r.target)]);
}
