/**
 * Which `patterns` processes get drawings of a few instances: those with an output listing
 * instance members (instance.id, member.node, member.role, and instance.kind or
 * instance.rule), and, for the arrows, an output of a `transactions` process that mixes
 * these instances in (pattern.instance, source.node, target.node, transaction.amount).
 * Found by the column expressions of the scenario, whatever the columns are called.
 */
import type { Dataset, OutputView } from './dataset.js';

export interface MembersSource {
  output: OutputView;
  instance: string;
  node: string;
  role: string;
  /** instance.kind, or instance.rule with the rule's kind from the scenario. */
  kind: { column: string; byRule?: Record<string, string> };
  position?: string;
}

export interface TransfersSource {
  output: OutputView;
  instance: string;
  source: string;
  target: string;
  amount: string;
  /** The transaction time: in scenario units, a timestamp, or a date with an optional clock column. */
  time?: { kind: 'units' | 'timestamp' | 'date'; column: string; clock?: string };
}

export interface PatternsPlan {
  kind: 'patterns';
  process: string;
  members?: MembersSource;
  transfers?: TransfersSource;
}

export function patternPlots(ds: Dataset, outputs: OutputView[]): PatternsPlan[] {
  const plots: PatternsPlan[] = [];
  const processes = Object.entries<any>(ds.scenario?.processes ?? {});
  for (const [process, spec] of processes) {
    if (!spec?.patterns) continue;
    const byRule = Object.fromEntries(Object.entries<any>(spec.patterns.rules ?? {}).map(([rule, r]) => [rule, Object.keys(r ?? {})[0]]));
    const members = firstOf(outputs, process, (cols) => membersOf(cols, byRule));
    const mixing = processes.filter(([, s]) => s?.transactions?.patterns === process).map(([name]) => name);
    const transfers = mixing.map((name) => firstOf(outputs, name, transfersOf)).find((t) => t !== undefined);
    plots.push({ kind: 'patterns', process, ...(members ? { members: { ...members.found, output: members.output } } : {}), ...(transfers ? { transfers: { ...transfers.found, output: transfers.output } } : {}) });
  }
  return plots;
}

type Columns = Map<string, string>;

/** The first readable output of `process` (those without `where` first) whose columns `read` accepts. */
function firstOf<T>(outputs: OutputView[], process: string, read: (cols: Columns) => T | undefined): { output: OutputView; found: T } | undefined {
  const candidates = outputs.filter((o) => o.spec?.from === process).sort((a, b) => Number(a.spec.where !== undefined) - Number(b.spec.where !== undefined));
  for (const output of candidates) {
    // Expression -> column, for columns the file really has.
    const cols: Columns = new Map();
    for (const [name, e] of Object.entries<unknown>(output.spec.columns ?? {})) {
      if (typeof e === 'string' && output.columns.some((c) => c.name === name) && !cols.has(e.trim())) cols.set(e.trim(), name);
    }
    const found = read(cols);
    if (found) return { output, found };
  }
  return undefined;
}

function membersOf(cols: Columns, byRule: Record<string, string>): Omit<MembersSource, 'output'> | undefined {
  const instance = cols.get('instance.id');
  const node = cols.get('member.node');
  const role = cols.get('member.role');
  const kind = cols.has('instance.kind') ? { column: cols.get('instance.kind')! } : cols.has('instance.rule') ? { column: cols.get('instance.rule')!, byRule } : undefined;
  if (!instance || !node || !role || !kind) return undefined;
  const position = cols.get('member.position');
  return { instance, node, role, kind, ...(position ? { position } : {}) };
}

function transfersOf(cols: Columns): Omit<TransfersSource, 'output'> | undefined {
  const instance = cols.get('pattern.instance');
  const source = cols.get('source.node');
  const target = cols.get('target.node');
  const amount = cols.get('transaction.amount');
  if (!instance || !source || !target || !amount) return undefined;
  const time = cols.has('transaction.time')
    ? { kind: 'units' as const, column: cols.get('transaction.time')! }
    : cols.has('transaction.timestamp')
      ? { kind: 'timestamp' as const, column: cols.get('transaction.timestamp')! }
      : cols.has('transaction.date')
        ? { kind: 'date' as const, column: cols.get('transaction.date')!, ...(cols.has('transaction.clock') ? { clock: cols.get('transaction.clock')! } : {}) }
        : undefined;
  return { instance, source, target, amount, ...(time ? { time } : {}) };
}
