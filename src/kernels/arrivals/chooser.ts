/**
 * Chooses one member of a population per event: the member minimising a score of price and
 * distance (through a GridIndex, so the cost does not grow with the population), or one at
 * random, by static weight (alias table) or uniformly. Members may be grouped by a value of
 * their own (a store's type) and each event chooses within the group its `key` names.
 * Groups and indexes are built once per run, after the population is drawn.
 */
import type { Compiled, ExprContext } from '../../expr/compile.js';
import type { Population } from '../../model/population.js';
import { buildAlias, drawAlias, type AliasTable } from '../../rng/alias.js';
import { runtimeError, type Site } from './errors.js';
import type { EventContext } from './names.js';
import { NOT_CACHED, ScoreCache } from './score-cache.js';
import { SpatialIndex } from './spatial-index.js';

/** A compiled `minimize`: the score of a candidate at `price` and `distance` for event `c`. */
export type EventScore = (price: number, distance: number, c: EventContext) => number;

export interface ChooserSpec {
  /** Slot in the event context (c.ci[slot]). */
  slot: number;
  name: string;
  pop: Population;
  /** Per member (context field `i`). */
  group?: Compiled;
  at?: [Compiled, Compiled];
  price?: Compiled;
  weight?: Compiled;
  /** Per event. */
  key?: Compiled;
  near?: [Compiled, Compiled];
  /** score(price, distance, event) of a candidate. */
  minimize?: EventScore;
  /** True when `minimize` reads only price and distance (answers are cached per small cell). */
  scoreFixed?: boolean;
  sites: { from: Site; key?: Site; minimize?: Site; weight?: Site; at?: Site; near?: Site };
}

interface Group {
  value: unknown;
  members: Int32Array;
  alias?: AliasTable;
  grid?: SpatialIndex;
  cache?: ScoreCache;
  /** Member positions, when `at` is given (for `distance` without `minimize`). */
  x?: Float64Array;
  y?: Float64Array;
}

/** Up to this many groups, a group is found by scanning their values (see Chooser.group). */
const SCAN_GROUPS = 8;

export class Chooser {
  private groups = new Map<unknown, Group>();
  /**
   * The groups again, as two arrays side by side (values, groups): a group is found by a
   * scan with ===, a compare or two for the few groups a key names (a store's type), where
   * Map.get hashed the key on every event. Left empty past SCAN_GROUPS groups; values ===
   * misses (NaN) go to the map.
   */
  private groupValues: unknown[] = [];
  private groupList: Group[] = [];
  private only: Group | undefined;
  private event: EventContext | undefined;
  /**
   * Scores a candidate for the index: the compiled score itself when it reads nothing of the
   * event (a direct call the cache's loop can inline), else one closure for the run that
   * passes the current event along.
   */
  private readonly score: (price: number, distance: number) => number;

  constructor(readonly spec: ChooserSpec) {
    const minimize = spec.minimize;
    this.score = minimize && spec.scoreFixed ? (minimize as (price: number, distance: number) => number) : (price, distance) => minimize!(price, distance, this.event!);
  }

  /** Groups the members and builds the indexes; call once the population is drawn. */
  prepare(): void {
    const { spec } = this;
    const n = spec.pop.count;
    const c: ExprContext & { i: number } = { r: () => 0, i: 0 };
    const byValue = new Map<unknown, number[]>();
    for (let i = 0; i < n; i++) {
      c.i = i;
      const v = spec.group ? spec.group(c) : undefined;
      let list = byValue.get(v);
      if (!list) byValue.set(v, (list = []));
      list.push(i);
    }
    this.groups = new Map();
    for (const [value, list] of byValue) this.groups.set(value, this.buildGroup(value, Int32Array.from(list), c));
    const few = this.groups.size <= SCAN_GROUPS;
    this.groupValues = few ? [...this.groups.keys()] : [];
    this.groupList = few ? [...this.groups.values()] : [];
    this.only = spec.group ? undefined : this.groups.get(undefined) ?? { value: undefined, members: new Int32Array(0) };
  }

  private buildGroup(value: unknown, members: Int32Array, c: ExprContext & { i: number }): Group {
    const { spec } = this;
    const g: Group = { value, members };
    if (spec.at) {
      g.x = new Float64Array(members.length);
      g.y = new Float64Array(members.length);
      members.forEach((m, j) => {
        c.i = m;
        g.x![j] = Number(spec.at![0](c));
        g.y![j] = Number(spec.at![1](c));
        if (!Number.isFinite(g.x![j]) || !Number.isFinite(g.y![j])) throw runtimeError(spec.sites.at!, `[${g.x![j]}, ${g.y![j]}]`, `position of ${spec.pop.name} member ${m}`, 'Positions must be finite numbers.');
      });
    }
    if (spec.minimize) {
      const prices = new Float64Array(members.length);
      members.forEach((m, j) => {
        c.i = m;
        prices[j] = spec.price ? Number(spec.price(c)) : 0;
      });
      g.grid = new SpatialIndex(g.x!, g.y!, prices);
      if (spec.scoreFixed) g.cache = new ScoreCache(g.grid, g.x!, g.y!, prices);
    } else if (spec.weight) {
      const weights = Array.from(members, (m) => {
        c.i = m;
        const w = spec.weight!(c);
        if (typeof w !== 'number' || !(w >= 0) || w === Infinity) throw runtimeError(spec.sites.weight!, w, `weight of ${spec.pop.name} member ${m}`, 'Weights must be finite numbers >= 0.');
        return w;
      });
      if (weights.some((w) => w > 0)) g.alias = buildAlias(weights);
    }
    return g;
  }

  /** Chooses for the event in `c`: sets c.ci, c.cd and c.cs at the chooser's slot. */
  choose(c: EventContext): void {
    const { spec } = this;
    const slot = spec.slot;
    const g = this.only ?? this.group(spec.key!(c));
    if (g === undefined || g.members.length === 0 || (spec.weight && !g.alias)) throw this.noMember(c);
    let j: number;
    if (g.grid) {
      this.event = c;
      const grid = g.grid;
      const qx = Number(spec.near![0](c));
      const qy = Number(spec.near![1](c));
      if (!Number.isFinite(qx) || !Number.isFinite(qy)) throw runtimeError(spec.sites.near!, `[${qx}, ${qy}]`, `${spec.name}: the event's point (day ${c.day})`, 'near must give two finite numbers.');
      j = g.cache ? g.cache.argmin(qx, qy, this.score) : NOT_CACHED;
      const answer = j === NOT_CACHED ? grid : g.cache!;
      if (j === NOT_CACHED) j = grid.argmin(qx, qy, this.score);
      if (answer.violated || answer.sawNaN || j < 0) throw this.badScore(c, answer);
      c.cd[slot] = answer.bestDistance;
      c.cs[slot] = answer.bestScore;
    } else {
      j = g.alias ? drawAlias(g.alias, c.r) : Math.floor(c.r() * g.members.length);
      // Without positions there is no distance, and a random choice has no score.
      c.cd[slot] = NaN;
      c.cs[slot] = NaN;
      if (g.x && spec.near) {
        const dx = g.x[j] - Number(spec.near[0](c));
        const dy = g.y![j] - Number(spec.near[1](c));
        c.cd[slot] = Math.sqrt(dx * dx + dy * dy);
      }
    }
    c.ci[slot] = g.members[j];
  }

  /** The group of members whose value is `key` (as Map.get would find it). */
  private group(key: unknown): Group | undefined {
    const values = this.groupValues;
    for (let k = 0; k < values.length; k++) if (values[k] === key) return this.groupList[k];
    return this.groups.get(key);
  }

  private noMember(c: EventContext): Error {
    const { spec } = this;
    const value = spec.key ? spec.key(c) : undefined;
    const known = [...this.groups.keys()].map((v) => JSON.stringify(v)).join(', ');
    const what = spec.key ? `${spec.name}: no member of "${spec.pop.name}" in group ${JSON.stringify(value)}` : `${spec.name}: "${spec.pop.name}" has no member to choose`;
    return runtimeError(spec.sites.key ?? spec.sites.from, JSON.stringify(value), `${what} (day ${c.day})`, `Groups present: ${known || 'none'}; with weight, a group needs a member of weight > 0.`);
  }

  private badScore(c: EventContext, grid: SpatialIndex | ScoreCache): Error {
    const why = grid.sawNaN || grid.bestScore !== grid.bestScore ? 'a score that is not a number' : grid.violated ? 'a score that decreases as price or distance grows' : 'no score';
    return runtimeError(this.spec.sites.minimize!, grid.bestScore, `${this.spec.name}: ${why} (day ${c.day}, t = ${c.t})`, 'minimize must give a number that never decreases when price or distance grows (e.g. price * log(1 + distance) with prices >= 0).');
  }
}
