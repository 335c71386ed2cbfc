/**
 * The instance builder every pattern kind generates through: it draws distinct members,
 * keeps the step clock, and appends members and transactions to the PatternStore. Times are
 * whole seconds from the instance start until `finish` places the instance in the calendar.
 *
 * Step clock: step k's transactions fall in [S_k, S_k + spread), and
 * S_(k+1) = S_k + spread + delay, so every step is strictly later than the one before.
 */
import type { ExprContext } from '../../expr/compile.js';
import type { Sampler } from '../../model/distribution.js';
import type { Rng } from '../../rng/index.js';
import type { PatternStore } from './store.js';

/** Expression context of rule quantities: the instance's stream, its index in the rule, the current step. */
export interface RuleContext extends ExprContext {
  index: number;
  step: number;
}

/** A compiled rule quantity, drawn from the instance's stream. */
export type Quantity = (b: InstanceBuilder) => number;

/** Member roles, in the order their indexes are stored. */
export const ROLES = ['source', 'layer', 'sink', 'hop', 'hub', 'target', 'intermediary'] as const;
export type Role = (typeof ROLES)[number];

const DAY = 86400;

/** The populations a rule draws members from, as ranges of node numbers. */
export class MemberUnion {
  readonly total: number;
  constructor(private readonly ranges: { offset: number; count: number }[]) {
    this.total = ranges.reduce((s, x) => s + x.count, 0);
  }

  /** A uniformly chosen node of the union. */
  draw(r: Rng): number {
    let u = Math.floor(r() * this.total);
    for (const x of this.ranges) {
      if (u < x.count) return x.offset + u;
      u -= x.count;
    }
    return this.ranges[this.ranges.length - 1].offset + this.ranges[this.ranges.length - 1].count - 1;
  }
}

/** Thrown when an instance needs more distinct members than its populations hold. */
export class InstanceTooLarge extends Error {}

/** Thrown when the pattern transactions would pass `limits.max_rows` (a runaway `repeats`, ...). */
export class TooManyTransactions extends Error {}

export class InstanceBuilder {
  readonly c: RuleContext = { r: () => 0, index: 0, step: 0 };
  r: Rng = () => 0;
  /** The instance's headline amount (what a flow moves, ...), for the members file. */
  amount = 0;
  private readonly slots: number[] = [];
  private readonly taken = new Set<number>();
  private union = new MemberUnion([]);
  private instance = 0;
  private firstTx = 0;
  private stepStart = 0;
  private spreadSec = 1;
  private maxTime = 0;

  constructor(
    private readonly store: PatternStore,
    private readonly unitSec: number,
    private readonly currency: Sampler | undefined,
    private readonly maxTransactions = Number.POSITIVE_INFINITY,
  ) {}

  /** Starts instance `instance` (index `index` within its rule) on stream `r`. */
  begin(instance: number, index: number, r: Rng, union: MemberUnion, spread: Quantity | undefined): void {
    this.instance = instance;
    this.r = r;
    this.c.r = r;
    this.c.index = index;
    this.c.step = 0;
    this.union = union;
    this.slots.length = 0;
    this.taken.clear();
    this.amount = 0;
    this.firstTx = this.store.transactions;
    this.stepStart = 0;
    this.maxTime = 0;
    this.spreadSec = Math.max(1, this.seconds(spread, 3600));
  }

  /** Draws a quantity of the rule. */
  q(x: Quantity): number {
    return x(this);
  }

  /** A duration quantity in whole seconds (>= 0), or the fallback when the rule leaves it out. */
  seconds(x: Quantity | undefined, fallback: number): number {
    if (!x) return fallback;
    const v = x(this) * this.unitSec;
    return Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
  }

  /** Draws a member not yet in this instance; returns its slot for `send`. */
  add(role: Role, position: number): number {
    if (this.slots.length >= this.union.total) throw new InstanceTooLarge();
    let node = this.union.draw(this.r);
    while (this.taken.has(node)) node = this.union.draw(this.r);
    this.taken.add(node);
    this.slots.push(node);
    this.store.memNode.push(node);
    this.store.memRole.push(ROLES.indexOf(role));
    this.store.memPos.push(position);
    return this.slots.length - 1;
  }

  /** A transaction in the current step, at a random second of its spread. */
  send(from: number, to: number, amount: number): void {
    this.sendAt(from, to, amount, this.stepStart + Math.floor(this.r() * this.spreadSec));
  }

  /** A transaction at `t` seconds from the instance start. */
  sendAt(from: number, to: number, amount: number, t: number): void {
    const s = this.store;
    if (s.transactions >= this.maxTransactions) throw new TooManyTransactions();
    s.txFrom.push(this.slots[from]);
    s.txTo.push(this.slots[to]);
    s.txTime.push(t);
    s.txAmount.push(amount);
    s.txInst.push(this.instance);
    s.txStep.push(this.c.step);
    s.txCurrency.push(this.currency ? this.currency(this.c) : '');
    if (t > this.maxTime) this.maxTime = t;
  }

  /** Moves to the next step: after this step's spread and a drawn delay (default one day). */
  next(delay: Quantity | undefined): void {
    this.c.step++;
    this.stepStart += this.spreadSec + this.seconds(delay, DAY);
  }

  /** `total` split into `parts` random positive shares (weights 0.5 + U, so none is tiny). */
  split(total: number, parts: number): number[] {
    const w = Array.from({ length: parts }, () => 0.5 + this.r());
    const sum = w.reduce((a, b) => a + b, 0);
    return w.map((x) => (total * x) / sum);
  }

  /** Places the instance at a uniform start such that it ends inside the calendar when it fits. */
  finish(horizonSec: number): void {
    const span = this.maxTime + 1;
    const start = span < horizonSec ? Math.floor(this.r() * (horizonSec - span + 1)) : 0;
    const t = this.store.txTime.a;
    for (let i = this.firstTx; i < this.store.transactions; i++) t[i] += start;
  }
}
