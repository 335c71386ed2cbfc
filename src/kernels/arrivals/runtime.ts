/**
 * Runs an arrivals process day by day. Arrivals of day d come from the stream (seed,
 * process, d); a burst draws from (seed, process/burst, d, k) with k the index of the
 * arrival that started it. Ledgers carry state from day to day, so the process is
 * sequential: the engine runs consecutive day ranges in order, and the state (ledgers,
 * per-actor counters, bursts in flight) stays here between calls, reset on day 0. The
 * output is therefore the same whatever the batch sizes.
 */
import { buildAlias, drawAlias, type AliasTable } from '../../rng/alias.js';
import { rngFor, type Rng } from '../../rng/index.js';
import type { TimeModel } from '../../model/time.js';
import type { ProcessRuntime, RecordSink } from '../types.js';
import type { ActorPicker } from './actor-pick.js';
import { BurstQueue } from './bursts.js';
import type { Chooser } from './chooser.js';
import type { EventPlan } from './compile-event.js';
import { runtimeError } from './errors.js';
import { ArrivalClock, type Intensity } from './intensity.js';
import type { ActorContext, LedgerUpdates, Ledgers } from './ledger.js';
import { eventNames, memberKeys, newEventContext, type EventContext, type EventLayout } from './names.js';

export interface ArrivalsOptions {
  name: string;
  layout: EventLayout;
  intensity: Intensity;
  markWeights: number[];
  /** One plan per mark, in mark order. */
  plans: EventPlan[];
  ledgers: Ledgers;
  updates: LedgerUpdates;
  picker: ActorPicker;
  time: TimeModel;
}

const HOURS = 24;

export class ArrivalsRuntime implements ProcessRuntime {
  readonly kind = 'arrivals';
  readonly records = ['event'];
  readonly name: string;
  readonly actor: string;
  readonly iterate: { unit: string; count: number; sequential: boolean };
  private readonly c: EventContext;
  private readonly actorContext: ActorContext = { r: () => 0, a: 0 };
  private readonly clock: ArrivalClock;
  private readonly bursts = new BurstQueue();
  private readonly marks: AliasTable;
  private readonly seq: Int32Array;
  private readonly choosers: Chooser[];
  private readonly unitsPerDay: number;
  private readonly stream: string;
  private out: RecordSink[] = [];
  private nextDay = 0;
  private burstOrder = 0;
  /** Totals since the runtime was made (the engine reports differences). */
  private readonly totals = { arrivals: 0, followUps: 0, refused: 0, skipped: 0, dropped: 0 };

  constructor(private readonly o: ArrivalsOptions) {
    this.name = o.name;
    this.actor = o.layout.actor.name;
    this.iterate = { unit: 'days', count: o.time.days, sequential: true };
    this.c = newEventContext(o.layout.lets.length, o.layout.choices.length);
    this.clock = new ArrivalClock(o.intensity, o.time.unitsPerDay);
    this.marks = buildAlias(o.markWeights);
    this.seq = new Int32Array(o.layout.actor.count);
    this.choosers = [...new Set(o.plans.flatMap((p) => p.choosers))];
    this.unitsPerDay = o.time.unitsPerDay;
    this.stream = `process/${o.name}`;
  }

  describe(): Record<string, unknown> {
    const { o } = this;
    const total = o.markWeights.reduce((a, b) => a + b, 0);
    const perDay = o.intensity.perDay;
    return {
      actor: o.layout.actor.name,
      rate: o.intensity.describe,
      ...(perDay ? { expectedArrivalsFirstDay: Math.round(perDay(0) * 1000) / 1000 } : {}),
      marks: Object.fromEntries(o.plans.map((p, i) => [p.mark, { share: Math.round((o.markWeights[i] / total) * 1e6) / 1e6, ...(p.burst ? { burstMeanLength: p.burst.meanLength ?? null } : {}) }])),
      picked: o.picker.weighted ? 'by weight' : 'uniformly',
      ledgers: o.layout.ledgerNames,
      choices: o.layout.choices.map((ch) => ch.name),
    };
  }

  /**
   * The compiled rate, and the expected events per arrival (1 + the burst follow-ups a mark
   * adds, by mark share; undefined when a burst length has no known mean): what the report
   * draws as the declared intensity.
   */
  declared(): { intensity: Intensity; eventsPerArrival: number | undefined } {
    const { o } = this;
    const total = o.markWeights.reduce((a, b) => a + b, 0);
    let perArrival = 0;
    for (const [i, p] of o.plans.entries()) {
      const length = p.burst ? p.burst.meanLength : 1;
      if (length === undefined || !Number.isFinite(length)) return { intensity: o.intensity, eventsPerArrival: undefined };
      perArrival += (o.markWeights[i] / total) * length;
    }
    return { intensity: o.intensity, eventsPerArrival: perArrival };
  }

  counters(): Record<string, number> {
    return { ...this.totals };
  }

  notes(t: Record<string, number>): string[] {
    const n = (x: number | undefined) => (x ?? 0).toLocaleString('en-US');
    const out = [`${this.name}: ${n(t.arrivals)} arrivals, ${n(t.followUps)} burst follow-ups, ${n(t.refused)} not accepted`];
    if (t.skipped) out.push(`${this.name}: ${n(t.skipped)} arrival(s) found no actor with a pick weight > 0 and were skipped`);
    if (t.dropped) out.push(`${this.name}: ${n(t.dropped)} burst event(s) fell after the last day and were not written`);
    return out;
  }

  columnNames(_record: string, bindings: unknown[]) {
    return { table: eventNames(this.o.layout, bindings), specials: {}, keys: memberKeys(this.o.layout) };
  }

  run(seed: number, from: number, to: number, sinks: Record<string, RecordSink[]>): void {
    if (from === 0) this.start();
    else if (from !== this.nextDay) throw new Error(`${this.name}: days must run in order (day ${this.nextDay} next, asked for ${from})`);
    this.out = sinks.event ?? [];
    const { o, c, clock } = this;
    for (let d = from; d < to; d++) {
      this.drainBursts(d * this.unitsPerDay);
      if (o.ledgers.resetsOn(d)) {
        o.ledgers.reset(d, this.actorContext);
        o.picker.refreshAll();
      }
      const r = rngFor(seed, this.stream, d);
      clock.startDay(d, r);
      let k = 0;
      for (let t = clock.next(); t !== Number.POSITIVE_INFINITY; t = clock.next(), k++) {
        if (this.bursts.nextTime() < t) this.drainBursts(t);
        c.r = r;
        this.arrival(seed, t, d, k, r);
      }
    }
    this.nextDay = to;
    if (to === o.time.days) this.finish();
  }

  /** Back to day 0: ledgers, counters per actor, bursts, choice indexes. */
  private start(): void {
    this.o.ledgers.init(this.actorContext);
    this.o.picker.refreshAll();
    for (const ch of this.choosers) ch.prepare();
    this.seq.fill(0);
    this.bursts.clear();
    this.c.ev = 0;
    this.burstOrder = 0;
    this.nextDay = 0;
  }

  private arrival(seed: number, t: number, d: number, k: number, r: Rng): void {
    const { o, c } = this;
    const m = drawAlias(this.marks, r);
    const a = o.picker.pick(r);
    if (a < 0) {
      this.totals.skipped++;
      return;
    }
    this.setTime(t);
    c.m = m;
    c.a = a;
    c.b = 0;
    c.bl = 1;
    const plan = o.plans[m];
    let burstRng: Rng | undefined;
    if (plan.burst) {
      burstRng = rngFor(seed, `${this.stream}/burst`, d, k);
      c.r = burstRng;
      c.bl = this.burstLength(plan);
      c.r = r;
    }
    this.totals.arrivals++;
    this.event(plan);
    if (c.bl > 1) {
      c.r = burstRng!;
      const gap = this.gap(plan);
      this.bursts.push({ t: t + gap, order: this.burstOrder++, actor: a, mark: m, index: 1, length: c.bl, rng: burstRng! });
      c.r = r;
    }
  }

  /** Works out the event in `c` (time, mark, actor set) and hands it to the outputs. */
  private event(plan: EventPlan): void {
    const { c, o } = this;
    c.seq = ++this.seq[c.a];
    plan.runLets(c);
    for (let i = 0; i < plan.choosers.length; i++) plan.choosers[i].choose(c);
    c.amount = plan.amount ? Number(plan.amount(c)) : 0;
    // Not a finite number: it would be refused in silence (any comparison with NaN is false)
    // or carried into a ledger. Reported at the amount's expression instead.
    if (c.amount - c.amount !== 0) throw runtimeError(plan.amountSite!, c.amount, `amount of the ${plan.mark} event of actor ${c.a} (day ${c.day})`, 'An amount must be a finite number.');
    c.acc = plan.accept ? Boolean(plan.accept(c)) : true;
    if (!c.acc) this.totals.refused++;
    else if (!o.updates.empty) {
      o.updates.apply(c);
      o.picker.refresh(c.a);
    }
    const out = this.out;
    for (let q = 0; q < out.length; q++) out[q](c);
    c.ev++;
  }

  /** Runs burst events due before `limit`, earliest first. */
  private drainBursts(limit: number): void {
    const { c, bursts, o } = this;
    while (bursts.nextTime() < limit) {
      const b = bursts.top();
      const plan = o.plans[b.mark];
      c.r = b.rng;
      this.setTime(b.t);
      c.m = b.mark;
      c.a = b.actor;
      c.b = b.index;
      c.bl = b.length;
      this.totals.followUps++;
      this.event(plan);
      if (b.index + 1 < b.length) {
        b.index++;
        b.t += this.gap(plan);
        bursts.topMoved();
      } else bursts.pop();
    }
  }

  /** After the last day: burst events past the end are not written, only counted. */
  private finish(): void {
    this.drainBursts(this.o.time.days * this.unitsPerDay);
    while (this.bursts.size > 0) {
      const b = this.bursts.top();
      this.totals.dropped += b.length - b.index;
      this.bursts.pop();
    }
  }

  private burstLength(plan: EventPlan): number {
    const n = Math.floor(Number(plan.burst!.length(this.c)));
    if (!Number.isFinite(n)) throw runtimeError(plan.burst!.lengthSite, n, `burst length (day ${this.c.day})`, 'A burst length must be a finite number (events in the burst, the arrival included).');
    return Math.max(1, n);
  }

  private gap(plan: EventPlan): number {
    const g = Number(plan.burst!.gap(this.c));
    if (!(g >= 0) || g === Number.POSITIVE_INFINITY) throw runtimeError(plan.burst!.gapSite, g, `burst gap (day ${this.c.day})`, 'A gap must be a finite number >= 0, in the scenario time unit.');
    return g;
  }

  private setTime(t: number): void {
    const c = this.c;
    const U = this.unitsPerDay;
    c.t = t;
    c.day = Math.floor(t / U);
    c.tod = ((t - c.day * U) / U) * HOURS;
    c.hour = Math.floor(c.tod);
  }
}
