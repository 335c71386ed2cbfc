/**
 * Ledgers: named numbers carried per actor across events and days (credit used this month,
 * a balance, a count of attempts). Each starts at an initial value, changes when an event
 * is accepted (`update`), and may be reset every so many days by an expression of its
 * current value. Values live in one Float64Array per ledger, indexed by actor.
 */
import type { Compiled, ExprContext } from '../../expr/compile.js';
import { runtimeError, type Site } from './errors.js';

/** Context for expressions about one actor (`actor.*`, `ledger.*`). */
export interface ActorContext extends ExprContext {
  a: number;
}

export interface LedgerDef {
  name: string;
  /** Starting value of each actor. */
  initial: Compiled;
  initialSite: Site;
  /** Every `every` days (at the start of days every, 2 x every, ...), the value becomes `to`. */
  reset?: { every: number; to: Compiled; site: Site };
}

/**
 * A ledger value must be a finite number: a NaN would pass silently from event to event (a
 * payment compared with NaN credit is refused) until some pick weight showed it, far from
 * its cause. It is reported at the expression that made it.
 */
function notFinite(site: Site, x: number, context: string) {
  return runtimeError(site, x, context, 'A ledger value must be a finite number.');
}

export class Ledgers {
  private readonly scratch: Float64Array;
  private readonly count: number;

  /** `values[k][actor]` holds the current value of ledger k (allocated by the caller, so expressions can be bound to it first). */
  constructor(readonly defs: LedgerDef[], readonly values: Float64Array[]) {
    this.count = values.length > 0 ? values[0].length : 0;
    this.scratch = new Float64Array(defs.length);
  }

  /** Every actor back to its initial values. */
  init(c: ActorContext): void {
    for (let a = 0; a < this.count; a++) {
      c.a = a;
      for (let k = 0; k < this.defs.length; k++) {
        const d = this.defs[k];
        const x = Number(d.initial(c));
        if (x - x !== 0) throw notFinite(d.initialSite, x, `initial ${d.name} of actor ${a}`);
        this.values[k][a] = x;
      }
    }
  }

  /** True when some ledger resets at the start of `day`. */
  resetsOn(day: number): boolean {
    return day > 0 && this.defs.some((d) => d.reset !== undefined && day % d.reset.every === 0);
  }

  /**
   * Applies the resets due at the start of `day` to every actor. Each actor's new values
   * are all computed from its old ones before any is written, so the order of ledgers in
   * the file does not matter.
   */
  reset(day: number, c: ActorContext): void {
    const due = this.defs.map((d, k) => (d.reset !== undefined && day % d.reset.every === 0 ? k : -1)).filter((k) => k >= 0);
    for (let a = 0; a < this.count; a++) {
      c.a = a;
      for (const k of due) {
        const d = this.defs[k];
        const x = Number(d.reset!.to(c));
        if (x - x !== 0) throw notFinite(d.reset!.site, x, `reset of ${d.name} of actor ${a} (day ${day})`);
        this.scratch[k] = x;
      }
      for (const k of due) this.values[k][a] = this.scratch[k];
    }
  }
}

/** Updates applied when an event is accepted: ledger index and its new value. */
export class LedgerUpdates {
  private readonly scratch: Float64Array;

  constructor(private readonly ledgers: Ledgers, private readonly updates: { ledger: number; value: Compiled; site: Site }[]) {
    this.scratch = new Float64Array(updates.length);
  }

  get empty(): boolean {
    return this.updates.length === 0;
  }

  /** Applies every update to actor `c.a`, all computed from the values before the event. */
  apply(c: ExprContext & { a: number; day?: number }): void {
    const { updates, scratch } = this;
    for (let j = 0; j < updates.length; j++) {
      const u = updates[j];
      const x = Number(u.value(c));
      if (x - x !== 0) throw notFinite(u.site, x, `update of ${this.ledgers.defs[u.ledger].name} of actor ${c.a} (day ${c.day})`);
      scratch[j] = x;
    }
    for (let j = 0; j < updates.length; j++) this.ledgers.values[updates[j].ledger][c.a] = scratch[j];
  }
}
