/**
 * Runs the social network day by day: draws the day's befriend, unfriend and purchase
 * events, sorts them by time, applies them to the friendship graph and to the streaming
 * anomaly detector (batch days build state; stream days are checked), and hands each event
 * to the outputs with its label (injected anomaly) and the detector's verdict.
 * Sequential by nature (the graph and the detector carry over days): it runs whole in one
 * thread and in shard 1 (docs/scaling.md).
 */
import type { Compiled, ExprContext } from '../../expr/compile.js';
import { AnomalyDetector } from '../../detect/index.js';
import { parseAmount } from '../../detect/decimal.js';
import type { Population } from '../../model/population.js';
import type { TimeModel } from '../../model/time.js';
import { buildAlias, drawAlias, type AliasTable } from '../../rng/alias.js';
import { rngFor } from '../../rng/index.js';
import type { ProcessRuntime, RecordSink } from '../types.js';
import { FriendGraph } from './graph.js';
import { BEFRIEND, drawDay, PURCHASE, TYPES, type DayMeans } from './draws.js';
import { numberFrom } from '../../model/checked.js';
import type { InvalidValues, ValueSite } from '../../model/invalid.js';
import { limitReached, type Limits } from '../../model/limits.js';

export interface SocialOptions {
  name: string;
  pop: Population;
  D: number;
  T: number;
  batchDays: number;
  initial?: Compiled;
  befriendRate?: Compiled;
  unfriendRate?: Compiled;
  purchaseRate: Compiled;
  buyerWeight?: Compiled;
  amount: Compiled;
  anomaly?: { share: number; amount: Compiled };
  time: TimeModel;
  columnNames: (record: string, bindings: unknown[]) => { table: Record<string, string>; specials: {} };
  /** Where invalid rates and amounts go, the run's limits, and each expression's site by key. */
  checks: { invalid: InvalidValues; limits: Limits; sites: Record<string, ValueSite> };
}

/**
 * A day's events are held in memory to be sorted: more than this many in one day stops the
 * run (a rate in the billions would exhaust memory long before limits.max_rows).
 */
const MAX_EVENTS_PER_DAY = 20_000_000;

/**
 * What the report draws as declared: per day, the means the run drew its counts from, and the
 * counts drawn by type (befriend includes the initial friendships of day 0).
 */
export interface SocialDeclared {
  batchDays: number;
  days: (DayMeans & { drawn: [number, number, number] })[];
}

/** The record: one object reused for every event. */
export interface SocialEvent extends ExprContext {
  day: number;
  a: number;
  type: string;
  timestamp: string;
  time: number;
  id?: string;
  id1?: string;
  id2?: string;
  amount?: string;
  phase: 'batch' | 'stream';
  anomaly: boolean;
  flagged: boolean;
  mean?: string;
  sd?: string;
  network: { mean: number; sd: number; count: number };
}

export class SocialRuntime implements ProcessRuntime {
  readonly kind = 'social';
  readonly records = ['event'];
  readonly actor: string;
  readonly name: string;
  readonly iterate: { unit: string; count: number; sequential: true };
  private graph: FriendGraph;
  private detector: AnomalyDetector;
  private buyers: AliasTable | undefined;
  private counts = { events: 0, purchases: 0, injected: 0, flagged: 0, truePositive: 0 };

  constructor(private readonly o: SocialOptions) {
    this.name = o.name;
    this.actor = o.pop.name;
    this.iterate = { unit: 'days', count: o.time.days, sequential: true };
    this.graph = new FriendGraph(o.pop.count);
    this.detector = new AnomalyDetector({ D: o.D, T: o.T });
  }

  describe(): Record<string, unknown> {
    const { o } = this;
    return { actor: o.pop.name, D: o.D, T: o.T, batchDays: o.batchDays, anomalyShare: o.anomaly?.share ?? 0 };
  }

  columnNames(record: string, bindings: unknown[]) {
    return this.o.columnNames(record, bindings);
  }

  counters(): Record<string, number> {
    return { ...this.counts };
  }

  notes(t: Record<string, number>): string[] {
    if (!t.purchases) return [];
    const precision = t.flagged ? t.truePositive / t.flagged : 0;
    const recall = t.injected ? t.truePositive / t.injected : 0;
    return [
      `${this.name}: detector (D=${this.o.D}, T=${this.o.T}) flagged ${t.flagged} of ${t.purchases} stream purchases; ` +
        `${t.injected} injected anomalies; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
    ];
  }

  run(seed: number, from: number, to: number, sinks: Record<string, RecordSink[]>): void {
    const { o } = this;
    if (from === 0) this.reset(seed);
    const out = sinks.event ?? [];
    const c: SocialEvent = {
      r: () => 0, day: 0, a: 0, type: '', timestamp: '', time: 0, phase: 'batch', anomaly: false, flagged: false,
      network: { mean: 0, sd: 0, count: 0 },
    };
    const n = o.pop.count;
    for (let day = from; day < to; day++) {
      const r = rngFor(seed, `process/${o.name}`, day);
      c.r = r;
      c.day = day;
      c.phase = day < o.batchDays ? 'batch' : 'stream';
      const kinds: number[] = [];
      const times: number[] = [];
      drawDay(o, day, c, r, this.number, (k, count, key, at) => {
        if (kinds.length + count > Math.min(MAX_EVENTS_PER_DAY, o.checks.limits.maxRows)) this.tooMany(key, kinds.length + count, day);
        for (let i = 0; i < count; i++) (kinds.push(k), times.push(at ?? r() * 86400));
      });
      // Time order within the day; equal seconds keep creation order (a stable sort).
      const order = times.map((_, i) => i).sort((x, y) => Math.floor(times[x]) - Math.floor(times[y]) || x - y);
      for (const i of order) {
        if (n < 2) break;
        const sec = day * 86400 + Math.floor(times[i]);
        c.time = sec;
        c.timestamp = this.stamp(sec);
        c.anomaly = c.flagged = false;
        c.id = c.id1 = c.id2 = c.amount = c.mean = c.sd = undefined;
        if (kinds[i] === PURCHASE) {
          if (!this.purchase(c, r)) continue;
        } else if (!this.friendship(c, kinds[i], r)) continue;
        c.type = TYPES[kinds[i]];
        this.counts.events++;
        for (let q = 0; q < out.length; q++) out[q](c);
      }
    }
  }

  /**
   * Per day, the Poisson mean of each event type as the run compiled and evaluated it (and
   * floor(initial_friendships) on day 0), and the counts drawn from them: the day's draws
   * replayed from its stream by the run's own code (draws.ts), without the network. The
   * means read only `day` and `count.*`, so they do not depend on the network's state; what
   * does is whether a drawn event is written (see run), which this does not replay.
   */
  declared(seed: number): SocialDeclared {
    const { o } = this;
    const c: ExprContext & { day: number; phase: string } = { r: () => 0, day: 0, phase: 'batch' };
    const days: SocialDeclared['days'] = [];
    for (let day = 0; day < o.time.days; day++) {
      const r = rngFor(seed, `process/${o.name}`, day);
      const drawn: [number, number, number] = [0, 0, 0];
      c.r = r;
      c.day = day;
      c.phase = day < o.batchDays ? 'batch' : 'stream';
      // Times are drawn as in the run (same count, same order), so later rates see the same stream.
      const means = drawDay(o, day, c, r, this.number, (k, count, _key, at) => {
        drawn[k] += count;
        if (at === undefined) for (let i = 0; i < count; i++) r();
      });
      days.push({ ...means, drawn });
    }
    return { batchDays: o.batchDays, days };
  }

  /** A purchase: buyer, amount (maybe an injected anomaly), detector verdict in the stream. */
  private purchase(c: SocialEvent, r: () => number): boolean {
    const { o } = this;
    c.a = this.buyers ? drawAlias(this.buyers, r) : Math.floor(r() * o.pop.count);
    c.id = String(c.a + 1);
    const stream = c.phase === 'stream';
    let amount: number;
    if (stream && o.anomaly && r() < o.anomaly.share) {
      c.network = this.detector.baseline(c.id);
      amount = this.number(o.anomaly.amount, 'anomaly.amount', c, Number.NaN);
      c.anomaly = true;
    } else {
      amount = this.number(o.amount, 'amount', c, Number.NaN);
    }
    // An amount that is not a finite number was reported; the purchase is left out (under `null` or `warn`).
    if (amount !== amount) return false;
    c.amount = Math.min(Math.max(0.01, amount), 1e15).toFixed(2);
    const event = { type: 'purchase' as const, ts: c.time, user: c.id, amount: parseAmount(c.amount)!, fields: {} };
    if (!stream) {
      this.detector.apply(event);
      return true;
    }
    const verdict = this.detector.check(event);
    this.counts.purchases++;
    if (c.anomaly) this.counts.injected++;
    if (verdict) {
      c.flagged = true;
      c.mean = verdict.mean;
      c.sd = verdict.sd;
      this.counts.flagged++;
      if (c.anomaly) this.counts.truePositive++;
    }
    return true;
  }

  /** Befriend two random strangers, or unfriend a random pair of friends; false if none. */
  private friendship(c: SocialEvent, kind: number, r: () => number): boolean {
    const n = this.o.pop.count;
    let x = -1;
    let y = -1;
    if (kind === BEFRIEND) {
      // A few tries to find two users who are not friends yet (dense graphs may fail: skip).
      for (let t = 0; t < 8 && x < 0; t++) {
        const p = Math.floor(r() * n);
        const q = Math.floor(r() * n);
        if (this.graph.add(p, q)) (x = p), (y = q);
      }
      if (x < 0) return false;
    } else {
      if (this.graph.size === 0) return false;
      [x, y] = this.graph.removeAt(Math.floor(r() * this.graph.size));
    }
    c.a = x;
    c.id1 = String(x + 1);
    c.id2 = String(y + 1);
    const event = { type: TYPES[kind] as 'befriend' | 'unfriend', ts: c.time, user1: c.id1, user2: c.id2 };
    if (c.phase === 'batch') this.detector.apply(event);
    else this.detector.check(event);
    return true;
  }

  /** A number from the expression under `key`; one that is not finite is reported and `fallback` used. */
  private readonly number = (f: Compiled, key: string, c: ExprContext, fallback: number): number => {
    const site = this.o.checks.sites[key];
    return site ? numberFrom(f, site, this.o.checks.invalid, c, fallback, () => `day ${(c as SocialEvent).day ?? 0}`) : Number(f(c));
  };

  private tooMany(key: string, n: number, day: number): never {
    const { checks } = this.o;
    const place = checks.sites[key]?.place ?? { file: '', line: 0, column: 0, path: [] };
    const limit = Math.min(MAX_EVENTS_PER_DAY, checks.limits.maxRows);
    throw limitReached(place, `${key} gives ${n.toLocaleString('en-US')} events on day ${day}; a day's events are held in memory, at most ${limit.toLocaleString('en-US')}`, 'maxRows');
  }

  private reset(seed: number): void {
    this.graph = new FriendGraph(this.o.pop.count);
    this.detector = new AnomalyDetector({ D: this.o.D, T: this.o.T });
    this.counts = { events: 0, purchases: 0, injected: 0, flagged: 0, truePositive: 0 };
    if (this.o.buyerWeight && this.o.pop.count > 0) {
      const c = { r: rngFor(seed, `process/${this.o.name}/weights`), a: 0 };
      const w = new Float64Array(this.o.pop.count);
      for (let a = 0; a < w.length; a++) (c.a = a), (w[a] = Math.max(0, this.number(this.o.buyerWeight, 'buyer_weight', c, 0)));
      this.buyers = buildAlias(w);
    }
  }

  /** `YYYY-MM-DD HH:MM:SS`, the challenge's timestamp format. */
  private stamp(sec: number): string {
    return this.o.time.timestamp(sec / (86400 / this.o.time.unitsPerDay)).replace('T', ' ').replace('Z', '');
  }
}
