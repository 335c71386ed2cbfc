/**
 * Structural checks of pattern instances read back from the files: who pays whom, how
 * many times, how money moves (fees never negative, never above the cap) and when (each
 * step strictly after the previous). Each returns the problems found; [] means the instance
 * has its kind's shape. Amounts are written rounded to cents, so money checks allow half a
 * cent per transaction involved.
 */
import type { Instance, Member, Tx } from './graph-files.js';

export interface ShapeLimits {
  maxFee?: number;
  /** Bounds on layers / size / repeats and on widths, where the kind has them. */
  count?: [number, number];
  width?: [number, number];
  /** time: jitter and period bounds in seconds. */
  jitter?: number;
  period?: [number, number];
  /** Single-step kinds: the window (spread) in seconds. */
  spread?: number;
}

const CENT = 0.005;

function role(inst: Instance, r: string): Member[] {
  return inst.members.filter((m) => m.role === r);
}

/** Each (from, to) pair exactly once, and nothing else. */
function edgesExactly(txs: Tx[], expected: [number, number][], out: string[]): void {
  const seen = new Map<string, number>();
  for (const t of txs) seen.set(`${t.source}>${t.target}`, (seen.get(`${t.source}>${t.target}`) ?? 0) + 1);
  const want = new Set(expected.map(([a, b]) => `${a}>${b}`));
  for (const [k, n] of seen) if (!want.has(k) || n !== 1) out.push(`edge ${k} appears ${n} time(s), expected ${want.has(k) ? 1 : 0}`);
  for (const k of want) if (!seen.has(k)) out.push(`edge ${k} missing`);
}

/** Every transaction of step k+1 strictly later than every one of step k (step = sender's position). */
function stepsOrdered(inst: Instance, out: string[]): void {
  const pos = new Map(inst.members.map((m) => [m.node, m.position]));
  const steps = new Map<number, number[]>();
  for (const t of inst.txs) {
    const s = pos.get(t.source)!;
    steps.set(s, [...(steps.get(s) ?? []), t.t]);
  }
  const keys = [...steps.keys()].sort((a, b) => a - b);
  for (let i = 1; i < keys.length; i++) {
    const prevMax = Math.max(...steps.get(keys[i - 1])!);
    const min = Math.min(...steps.get(keys[i])!);
    if (!(min > prevMax)) out.push(`step ${keys[i]} starts at ${min}, not after step ${keys[i - 1]} ends at ${prevMax}`);
  }
}

function sum(txs: Tx[], f: (t: Tx) => boolean): number {
  return txs.filter(f).reduce((s, t) => s + t.amount, 0);
}

/** Intermediaries keep in - out >= 0, and all the fees together at most maxFee of what entered. */
function fees(inst: Instance, intermediaries: number[], entered: number, out: string[], maxFee: number): void {
  let total = 0;
  for (const n of intermediaries) {
    const into = inst.txs.filter((t) => t.target === n);
    const from = inst.txs.filter((t) => t.source === n);
    const fee = sum(into, () => true) - sum(from, () => true);
    if (fee < -CENT * (into.length + from.length)) out.push(`node ${n} keeps a negative fee ${fee}`);
    total += fee;
  }
  if (total > maxFee * entered + CENT * inst.txs.length) out.push(`fees ${total} exceed ${maxFee} x ${entered}`);
}

function inRange(what: string, x: number, r: [number, number] | undefined, out: string[]): void {
  if (r && !(x >= r[0] && x <= r[1])) out.push(`${what} ${x} outside [${r[0]}, ${r[1]}]`);
}

/** Layers by position (1..k), checking positions are contiguous. */
function layers(ms: Member[], out: string[]): number[][] {
  const k = Math.max(0, ...ms.map((m) => m.position));
  const ls = Array.from({ length: k }, (_, i) => ms.filter((m) => m.position === i + 1).map((m) => m.node));
  if (ls.some((l) => l.length === 0)) out.push('a layer is empty');
  return ls;
}

const pairs = (a: number[], b: number[]): [number, number][] => a.flatMap((x) => b.map((y): [number, number] => [x, y]));

export function checkShape(inst: Instance, lim: ShapeLimits = {}): string[] {
  const out: string[] = [];
  const maxFee = lim.maxFee ?? 0.1;
  const nodes = inst.members.map((m) => m.node);
  if (new Set(nodes).size !== nodes.length) out.push('members are not distinct');
  if (inst.txs.some((t) => !(t.amount > 0))) out.push('an amount is not positive');
  const one = (r: string) => {
    const ms = role(inst, r);
    if (ms.length !== 1) out.push(`${ms.length} member(s) with role ${r}, expected 1`);
    return ms[0]?.node ?? -1;
  };
  switch (inst.kind) {
    case 'flow': {
      const src = one('source');
      const sink = one('sink');
      const ls = layers(role(inst, 'layer'), out);
      inRange('layers', ls.length, lim.count, out);
      ls.forEach((l) => inRange('layer width', l.length, lim.width, out));
      const chain = [[src], ...ls, [sink]];
      edgesExactly(inst.txs, chain.slice(1).flatMap((l, i) => pairs(chain[i], l)), out);
      const total = sum(inst.txs, (t) => t.source === src);
      const sunk = sum(inst.txs, (t) => t.target === sink);
      fees(inst, ls.flat(), total, out, maxFee);
      if (sunk > total + CENT * inst.txs.length) out.push(`sink receives ${sunk} > ${total} sent`);
      stepsOrdered(inst, out);
      break;
    }
    case 'circular': {
      const src = one('source');
      const hops = role(inst, 'hop').sort((a, b) => a.position - b.position).map((m) => m.node);
      inRange('intermediaries', hops.length, lim.count, out);
      const cycle = [src, ...hops, src];
      edgesExactly(inst.txs, cycle.slice(1).map((n, i): [number, number] => [cycle[i], n]), out);
      fees(inst, hops, sum(inst.txs, (t) => t.source === src), out, maxFee);
      const times = cycle.slice(1).map((n, i) => inst.txs.find((t) => t.source === cycle[i] && t.target === n)?.t ?? NaN);
      if (times.some((t, i) => i > 0 && !(t > times[i - 1]))) out.push('a hop is not later than the one before');
      break;
    }
    case 'time': {
      const src = one('source');
      const dst = one('target');
      const n = inst.txs.length;
      inRange('repeats', n, lim.count, out);
      if (inst.txs.some((t) => t.source !== src || t.target !== dst)) out.push('a transfer is not source -> target');
      if (new Set(inst.txs.map((t) => t.amount)).size !== 1) out.push('amounts differ');
      const ts = inst.txs.map((t) => t.t).sort((a, b) => a - b);
      const period = n > 1 ? (ts[n - 1] - ts[0]) / (n - 1) : 0;
      inRange('period', period, lim.period, out);
      // Each time is within `jitter` of its slot, so within 4 x jitter of the fitted line (+ rounding).
      const j = lim.jitter ?? 0;
      ts.forEach((t, i) => Math.abs(t - ts[0] - i * period) > 4 * j + 2 && out.push(`transfer ${i} is ${t - ts[0] - i * period}s off its slot`));
      break;
    }
    case 'fan-out':
    case 'fan-in': {
      const hub = one('hub');
      const others = role(inst, inst.kind === 'fan-out' ? 'target' : 'source').map((m) => m.node);
      inRange('size', others.length, lim.count, out);
      edgesExactly(inst.txs, others.map((o): [number, number] => (inst.kind === 'fan-out' ? [hub, o] : [o, hub])), out);
      const ts = inst.txs.map((t) => t.t);
      if (lim.spread !== undefined && Math.max(...ts) - Math.min(...ts) >= lim.spread) out.push('transfers fall outside one window');
      break;
    }
    case 'scatter-gather': {
      const src = one('source');
      const sink = one('sink');
      const mids = role(inst, 'intermediary').map((m) => m.node);
      inRange('size', mids.length, lim.count, out);
      edgesExactly(inst.txs, [...mids.map((m): [number, number] => [src, m]), ...mids.map((m): [number, number] => [m, sink])], out);
      fees(inst, mids, sum(inst.txs, (t) => t.source === src), out, maxFee);
      stepsOrdered(inst, out);
      break;
    }
    case 'gather-scatter': {
      const hub = one('hub');
      const from = role(inst, 'source').map((m) => m.node);
      const to = role(inst, 'target').map((m) => m.node);
      edgesExactly(inst.txs, [...from.map((s): [number, number] => [s, hub]), ...to.map((t): [number, number] => [hub, t])], out);
      fees(inst, [hub], sum(inst.txs, (t) => t.target === hub), out, maxFee);
      stepsOrdered(inst, out);
      break;
    }
    case 'bipartite': {
      const from = role(inst, 'source').map((m) => m.node);
      const to = role(inst, 'target').map((m) => m.node);
      edgesExactly(inst.txs, pairs(from, to), out);
      break;
    }
    case 'stack': {
      const ls = layers(role(inst, 'layer'), out);
      inRange('layers', ls.length, lim.count, out);
      edgesExactly(inst.txs, ls.slice(1).flatMap((l, i) => pairs(ls[i], l)), out);
      if (ls.length > 2) fees(inst, ls.slice(1, -1).flat(), sum(inst.txs, (t) => ls[0].includes(t.source)), out, maxFee);
      stepsOrdered(inst, out);
      break;
    }
    default:
      out.push(`unknown kind ${inst.kind}`);
  }
  return out;
}
