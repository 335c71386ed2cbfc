/**
 * Compiles what happens at each event: `let` values, `choose` choices, `amount`, `accept`
 * and `burst`, once at process level and once more for each mark that replaces some of
 * them, into one EventPlan per mark. Each stage sees only the names computed before it.
 */
import { functionOf, tableScope, type Compiled } from '../../expr/compile.js';
import type { AnalysisContext } from '../../model/context.js';
import { compileDistribution, type Sampler } from '../../model/distribution.js';
import { memberNames } from '../../model/population.js';
import type { Path } from '../../phases/1-parse/index.js';
import { Chooser, type EventScore } from './chooser.js';
import { siteAt, type Site } from './errors.js';
import { countNames, eventNames, type EventContext, type EventLayout, type Visible } from './names.js';

/**
 * c.lv<i> = lets[i](c) for every i, generated: each value gets a call site of its own, which
 * V8 sees calling one function and inlines; a loop made one megamorphic site for all of them.
 */
export function letsRunner(lets: Sampler[]): (c: EventContext) => void {
  const locals = lets.map((_, i) => `const L${i} = lets[${i}];`).join('\n');
  const body = lets.map((_, i) => `c.lv${i} = L${i}(c);`).join('\n');
  // eslint-disable-next-line no-new-func -- generated from the number of values only (no user text).
  return new Function('lets', `"use strict";\n${locals}\nreturn function lets(c) {\n${body}\n};`)(lets);
}

/** What events of one mark do. */
export interface EventPlan {
  mark: string;
  lets: Sampler[];
  /** Computes every `let` value into c.lv0, c.lv1, ..., in order (see letsRunner). */
  runLets: (c: EventContext) => void;
  choosers: Chooser[];
  amount?: Sampler;
  /** Where the amount was written, for a run-time report of one that is not a finite number. */
  amountSite?: Site;
  accept?: Compiled;
  burst?: { length: Sampler; gap: Sampler; meanLength?: number; lengthSite: Site; gapSite: Site };
}

interface StageSpec {
  let?: Record<string, unknown>;
  choose?: Record<string, any>;
  amount?: unknown;
  accept?: string;
  burst?: { length: unknown; gap: unknown };
}

export class EventCompiler {
  constructor(private readonly ctx: AnalysisContext, private readonly layout: EventLayout, private readonly bindings: unknown[]) {}

  private scope(visible: Visible, extra: Record<string, string> = {}) {
    return tableScope({ ...eventNames(this.layout, this.bindings, visible), ...extra }, this.bindings);
  }

  /** The plan of one stage spec; `base` supplies what `spec` leaves out (marks over the process). */
  plan(mark: string, spec: StageSpec, path: Path, base?: EventPlan): EventPlan {
    const { layout } = this;
    const lets = layout.lets.map((name, i) =>
      spec.let?.[name] !== undefined ? this.letValue(spec.let[name], [...path, 'let', name], i) : base!.lets[i],
    );
    const choosers = layout.choices.map(({ name }, i) =>
      spec.choose?.[name] !== undefined ? this.chooser(name, spec.choose[name], [...path, 'choose', name], i) : base!.choosers[i],
    );
    const upToChoices: Visible = { lets: Infinity, choices: Infinity, amount: false, accepted: false };
    const amount = spec.amount !== undefined ? this.sampler(spec.amount, [...path, 'amount'], this.scope(upToChoices)) : base?.amount;
    const accept = spec.accept !== undefined ? this.ctx.expr(spec.accept, [...path, 'accept'], this.scope({ ...upToChoices, amount: true })).fn : base?.accept;
    let burst = base?.burst;
    if (spec.burst) {
      // The length is drawn as the burst starts, before its first event is worked out.
      const start = this.scope({ lets: 0, choices: 0, amount: false, accepted: false });
      const length = this.distribution(spec.burst.length, [...path, 'burst', 'length'], start);
      const gap = this.sampler(spec.burst.gap, [...path, 'burst', 'gap'], this.scope({ ...upToChoices, amount: true, accepted: true }));
      burst = {
        length: length.sample,
        gap,
        meanLength: length.mean,
        lengthSite: siteAt(this.ctx, [...path, 'burst', 'length'], spec.burst.length),
        gapSite: siteAt(this.ctx, [...path, 'burst', 'gap'], spec.burst.gap),
      };
    }
    const amountSite = spec.amount !== undefined ? siteAt(this.ctx, [...path, 'amount'], spec.amount) : base?.amountSite;
    return { mark, lets, runLets: letsRunner(lets), choosers, amount, amountSite, accept, burst };
  }

  /** A value's sampler (categorical draws give the value, not its index) and its known mean. */
  private distribution(spec: unknown, path: Path, scope: ReturnType<EventCompiler['scope']>): { sample: Sampler; mean?: number } {
    const d = compileDistribution(spec, path, scope, this.ctx);
    if (d.kind !== 'category') return d;
    const values = d.values!;
    return { sample: (c) => values[d.sample(c)], mean: d.mean };
  }

  private sampler(spec: unknown, path: Path, scope: ReturnType<EventCompiler['scope']>): Sampler {
    return this.distribution(spec, path, scope).sample;
  }

  private letValue(spec: unknown, path: Path, i: number): Sampler {
    return this.sampler(spec, path, this.scope({ lets: i, choices: 0, amount: false, accepted: false }));
  }

  private chooser(name: string, spec: any, path: Path, slot: number): Chooser {
    const { ctx, layout, bindings } = this;
    const pop = layout.populations.get(spec.from)!; // checked in checkNames (index.ts)
    const memberScope = tableScope({ ...countNames(layout.populations), ...memberNames(pop, `${name}.`, 'c.i', bindings) }, bindings);
    const eventScope = this.scope({ lets: Infinity, choices: slot, amount: false, accepted: false });
    const fixed = (v: unknown, at: Path): Compiled | undefined => {
      if (v === undefined) return undefined;
      if (typeof v === 'number') return () => v;
      const r = ctx.expr(String(v), at, memberScope);
      if (r.random) ctx.report('expr-unsupported', at, { detail: 'random draws are not allowed in what is computed once per member', expr: String(v) });
      return r.fn;
    };
    const perEvent = (v: unknown, at: Path): Compiled | undefined => {
      if (v === undefined) return undefined;
      if (typeof v === 'number') return () => v;
      return ctx.expr(String(v), at, eventScope).fn;
    };
    const pair = (v: unknown[] | undefined, at: Path, one: typeof fixed): [Compiled, Compiled] | undefined =>
      v === undefined ? undefined : ([one(v[0], [...at, 0]), one(v[1], [...at, 1])] as [Compiled, Compiled]);
    if ((spec.group === undefined) !== (spec.key === undefined)) {
      ctx.report('ref-mismatch', [...path, spec.group === undefined ? 'key' : 'group'], { detail: `choose.${name}: group and key go together`, hint: 'group says how members are grouped (e.g. store.type), key which group an event chooses in (e.g. kind).' });
    }
    if (spec.minimize !== undefined && (spec.at === undefined || spec.near === undefined)) {
      ctx.report('ref-mismatch', [...path, 'minimize'], { detail: `choose.${name}: minimize needs at and near`, hint: 'at: [x, y] of each member, near: [x, y] of the event; distance is measured between them.' });
    }
    if (spec.minimize !== undefined && spec.weight !== undefined) {
      ctx.report('ref-mismatch', [...path, 'weight'], { detail: `choose.${name}: minimize and weight exclude each other`, hint: 'Choose by score (minimize) or at random by weight, not both.' });
    }
    let minimize: EventScore | undefined;
    let scoreFixed = false;
    if (spec.minimize !== undefined) {
      // The candidate's price and distance are the score's arguments p and d; c is the event.
      const candidate = { price: 'p', distance: 'd' };
      const scope = this.scope({ lets: Infinity, choices: slot, amount: false, accepted: false }, candidate);
      const r = ctx.expr(spec.minimize, [...path, 'minimize'], scope);
      if (r.random) ctx.report('expr-unsupported', [...path, 'minimize'], { detail: 'random draws are not allowed in a score (the search prunes by bounds)', expr: spec.minimize });
      if (r.js !== undefined) minimize = functionOf(r.js, ['p', 'd', 'c'], scope.bindings) as EventScore;
      // Reading nothing of the event, the score is one function for the run: answers can be cached.
      scoreFixed = r.names.every((n) => n === 'price' || n === 'distance');
    }
    return new Chooser({
      slot,
      name,
      pop,
      group: fixed(spec.group, [...path, 'group']),
      at: pair(spec.at, [...path, 'at'], fixed),
      price: fixed(spec.price, [...path, 'price']),
      weight: fixed(spec.weight, [...path, 'weight']),
      key: perEvent(spec.key, [...path, 'key']),
      near: pair(spec.near, [...path, 'near'], perEvent),
      minimize,
      scoreFixed,
      sites: {
        from: siteAt(ctx, [...path, 'from'], spec.from),
        key: spec.key !== undefined ? siteAt(ctx, [...path, 'key'], spec.key) : undefined,
        minimize: spec.minimize !== undefined ? siteAt(ctx, [...path, 'minimize'], spec.minimize) : undefined,
        weight: spec.weight !== undefined ? siteAt(ctx, [...path, 'weight'], spec.weight) : undefined,
        near: spec.near !== undefined ? siteAt(ctx, [...path, 'near'], spec.near) : undefined,
        at: spec.at !== undefined ? siteAt(ctx, [...path, 'at'], spec.at) : undefined,
      },
    });
  }
}
