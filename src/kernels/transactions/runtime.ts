/**
 * Runs a `transactions` process. The unit of work is a sending node. For each sender, its
 * links are regenerated from the links processes' own streams (never stored), each link
 * gets its drawn transactions, the pattern transactions this node sends are added from the
 * pattern store, and the block is ordered by time (or shuffled) and written. A sender's
 * draws come from stream (seed, "process/<name>", population, index), so any split of
 * senders over workers or shards writes the same bytes.
 */
import type { ExprContext } from '../../expr/compile.js';
import type { Sampler } from '../../model/distribution.js';
import type { InvalidValues, ValueSite } from '../../model/invalid.js';
import type { TimeModel } from '../../model/time.js';
import { rngFor } from '../../rng/index.js';
import type { Place } from '../../diagnostics/make.js';
import { describeLimit, limitReached, type Limits } from '../../model/limits.js';
import { IdBuffer, type NodeIndex } from '../links/nodes.js';
import type { LinksRuntime } from '../links/runtime.js';
import type { PatternsRuntime } from '../patterns/runtime.js';
import type { ProcessRuntime, RecordSink } from '../types.js';
import { Block } from './block.js';
import { TransactionIds } from './ids.js';
import { transactionNames } from './names.js';

export interface TransactionsOptions {
  name: string;
  links: LinksRuntime[];
  patterns?: PatternsRuntime;
  nodes: NodeIndex;
  /** Populations whose members send, as indexes into `nodes.names`, in node order. */
  senders: number[];
  /** Numbers this kernel consumes, each with the site where a bad value is reported. */
  perLink?: CheckedNumber;
  time?: CheckedNumber;
  amount: CheckedNumber;
  currency?: Sampler;
  /** Where bad numbers go (the run's `on_invalid` policy). */
  invalid: InvalidValues;
  decimals: number;
  order: 'time' | 'shuffle';
  limits: Limits;
  /** Where `per_link` is written, for run-limit findings. */
  perLinkPlace: Place;
  calendar: TimeModel;
  unitSec: number;
}

export interface CheckedNumber {
  sample: Sampler;
  site: ValueSite;
}

/** The record context, reused for every row (and read by expressions while drawing). */
export interface TransactionContext extends ExprContext {
  /** Sender: population index, index in it, node number. */
  sp: number;
  si: number;
  sn: number;
  /** Receiver: population index, index in it, node number. */
  tp: number;
  ti: number;
  tn: number;
  /** Link process index, or -1 for a pattern transaction. */
  lk: number;
  k: number;
  t: number;
  amt: number;
  cur: unknown;
  /** Pattern instance, rule and step, or -1. */
  inst: number;
  rule: number;
  step: number;
}

export class TransactionsRuntime implements ProcessRuntime {
  readonly kind = 'transactions';
  readonly records = ['transaction'];
  readonly name: string;
  readonly iterate: { unit: string; count: number };
  private readonly block = new Block();
  private readonly buf = new IdBuffer();
  private readonly senderStart: number[] = [];
  private ids: TransactionIds | undefined;
  private idsSeed = NaN;
  private readonly scale: number;
  private readonly c: TransactionContext = { r: () => 0, sp: 0, si: 0, sn: 0, tp: 0, ti: 0, tn: 0, lk: -1, k: 0, t: 0, amt: 0, cur: '', inst: -1, rule: -1, step: -1 };

  constructor(readonly o: TransactionsOptions) {
    this.name = o.name;
    let units = 0;
    for (const p of o.senders) {
      this.senderStart.push(units);
      units += o.nodes.offsets[p + 1] ?? o.nodes.total;
      units -= o.nodes.offsets[p];
    }
    this.iterate = { unit: 'senders', count: units };
    this.scale = 10 ** o.decimals;
  }

  describe(): Record<string, unknown> {
    return {
      senders: this.o.senders.map((p) => this.o.nodes.names[p]),
      links: this.o.links.map((l) => l.name),
      patterns: this.o.patterns?.name ?? null,
      order: this.o.order,
    };
  }

  counters(): Record<string, number> {
    return {};
  }

  notes(): string[] {
    return [];
  }

  columnNames(_record: string, bindings: unknown[]) {
    return transactionNames(this.o, bindings, () => this.ids!);
  }

  run(seed: number, from: number, to: number, sinks: Record<string, RecordSink[]>): void {
    const out = sinks.transaction ?? [];
    if (out.length === 0) return;
    if (this.idsSeed !== seed) (this.ids = new TransactionIds(seed, `process/${this.name}`)), (this.idsSeed = seed);
    const store = this.o.patterns?.store(seed);
    const { senders } = this.o;
    let s = 0;
    for (let u = from; u < to; u++) {
      while (s + 1 < senders.length && this.senderStart[s + 1] <= u) s++;
      const pop = senders[s];
      const i = u - this.senderStart[s];
      this.fill(seed, pop, i, store);
      this.emit(out, store);
    }
  }

  /**
   * A number the kernel consumes that is not finite: reported at its expression
   * (under `on_invalid: error` that stops the run); the caller then uses the returned
   * fallback: no transaction for a count, the start for a time, null for an amount. A NaN
   * count or time used to give no transaction or the start of the calendar in silence, and a
   * NaN amount an empty field.
   */
  private invalidNumber(n: CheckedNumber, v: number, fallback: number): number {
    this.o.invalid.found(n.site, v, this.c, this.where);
    return fallback;
  }

  /** Which record a reported value belongs to, in words. */
  private readonly where = () => `transaction from node ${this.c.sn} to node ${this.c.tn}`;

  /** Draws sender (pop, i)'s link transactions and adds its pattern transactions. */
  private fill(seed: number, pop: number, i: number, store: ReturnType<PatternsRuntime['store']> | undefined): void {
    const { o, block, buf, c, scale } = this;
    const popName = o.nodes.names[pop];
    const r = rngFor(seed, `process/${o.name}`, popName, i);
    c.r = r;
    c.sp = pop;
    c.si = i;
    c.sn = o.nodes.offsets[pop] + i;
    c.inst = -1;
    c.rule = -1;
    c.step = -1;
    block.n = 0;
    const horizon = o.calendar.days * 86400;
    for (let li = 0; li < o.links.length; li++) {
      const link = o.links[li];
      if (link.o.from.name !== popName) continue;
      const m = link.sampler.targets(seed, i, buf);
      const toPop = o.nodes.names.indexOf(link.o.to.name);
      c.lk = li;
      c.tp = toPop;
      const ids = buf.ids;
      for (let q = 0; q < m; q++) {
        c.ti = ids[q];
        c.tn = link.o.toOffset + c.ti;
        let count = 1;
        if (o.perLink) {
          const v = Number(o.perLink.sample(c));
          count = v - v === 0 ? Math.floor(v) : this.invalidNumber(o.perLink, v, 0);
        }
        if (count > o.limits.maxRows) throw limitReached(o.perLinkPlace, `per_link gave ${count} transactions for one link of node ${c.sn}, more than ${describeLimit(o.limits, 'maxRows')} rows`, 'maxRows');
        for (let x = 0; x < count; x++) {
          let t: number;
          if (o.time) {
            const v = Number(o.time.sample(c));
            t = Math.floor((v - v === 0 ? v : this.invalidNumber(o.time, v, 0)) * o.unitSec);
          } else t = Math.floor(r() * horizon);
          // Each value is checked at its own call site (not in a shared helper), so each call
          // stays monomorphic and inlined on this hot path.
          let value = Number(o.amount.sample(c));
          if (value - value !== 0) value = this.invalidNumber(o.amount, value, Number.NaN);
          const amount = Math.round(value * scale) / scale;
          block.push(c.tn, li, t > 0 ? t : 0, amount, o.currency ? o.currency(c) : '');
        }
      }
    }
    if (store) {
      const v = c.sn;
      for (let p = store.start[v]; p < store.start[v + 1]; p++) {
        const j = store.bySource[p];
        block.push(store.txTo.a[j], -1 - j, store.txTime.a[j], Math.round(store.txAmount.a[j] * scale) / scale, store.txCurrency[j]);
      }
    }
    if (o.order === 'time') block.sortByTime();
    else block.shuffle(r);
  }

  /** Writes the block in its order. */
  private emit(out: RecordSink[], store: ReturnType<PatternsRuntime['store']> | undefined): void {
    const { block, c } = this;
    const { nodes } = this.o;
    for (let k = 0; k < block.n; k++) {
      const j = block.order[k];
      const ref = block.ref[j];
      c.k = k;
      c.tn = block.to[j];
      c.tp = nodes.popOf(c.tn);
      c.ti = c.tn - nodes.offsets[c.tp];
      c.t = block.time[j];
      c.amt = block.amount[j];
      c.cur = block.currency[j];
      if (ref >= 0) {
        c.lk = ref;
        c.inst = -1;
        c.rule = -1;
        c.step = -1;
      } else {
        const p = -1 - ref;
        c.lk = -1;
        c.inst = store!.txInst.a[p];
        c.rule = store!.instRule.a[c.inst];
        c.step = store!.txStep.a[p];
      }
      for (let q = 0; q < out.length; q++) out[q](c);
    }
  }
}
