/**
 * The `social` kernel: a social network's befriend/unfriend/purchase stream with injected
 * anomalies, checked by the streaming anomaly detector. Docs: docs/kernels/social.md.
 */
import { tableScope, type Compiled } from '../../expr/compile.js';
import { memberNames } from '../../model/population.js';
import type { Kernel } from '../types.js';
import { SocialRuntime } from './runtime.js';
import type { ValueSite } from '../../model/invalid.js';
import { readLimits } from '../../model/limits.js';
import { socialSchema } from './schema.js';

export const socialKernel: Kernel = {
  name: 'social',
  summary: 'a social network stream (befriend, unfriend, purchase) with injected anomalies and the D-hop detector',
  docs: 'kernels/social.md',
  schema: socialSchema,
  compile(spec, env) {
    const { ctx, path } = env;
    const pop = env.populations.get(spec.actor);
    if (!pop) {
      ctx.report('ref-unknown', [...path, 'actor'], { what: 'actor', name: spec.actor, known: [...env.populations.keys()].join(', ') });
      return undefined;
    }
    const counts: Record<string, string> = {};
    for (const p of env.populations.values()) counts[`count.${p.name}`] = String(p.count);
    const rateScope = tableScope({ day: 'c.day', ...counts });
    const bindings: unknown[] = [];
    const buyer = { ...memberNames(pop, 'actor.', 'c.a', bindings), day: 'c.day', ...counts };
    const amountScope = tableScope(buyer, bindings);
    const anomalyScope = tableScope({ ...buyer, 'network.mean': 'c.network.mean', 'network.sd': 'c.network.sd', 'network.count': 'c.network.count' }, bindings);
    // Each expression's site, so a rate or amount that is not a finite number is reported where it is written.
    const sites: Record<string, ValueSite> = {};
    const compile = (key: string, scope = rateScope): Compiled | undefined => {
      const v = spec[key];
      if (v === undefined) return undefined;
      if (typeof v === 'number') {
        sites[key] = ctx.invalid.site(String(v), [...path, key], [], scope);
        return () => v;
      }
      const r = ctx.expr(v, [...path, key], scope);
      sites[key] = ctx.invalid.site(v, [...path, key], r.names, scope);
      return r.fn;
    };
    const compileAnomaly = (text: string): Compiled => {
      const at = [...path, 'anomaly', 'amount'];
      const r = ctx.expr(text, at, anomalyScope);
      sites['anomaly.amount'] = ctx.invalid.site(text, at, r.names, anomalyScope);
      return r.fn!;
    };
    const D = spec.D ?? 2;
    const T = spec.T ?? 50;
    const header = `{"D":"${D}", "T":"${T}"}`;
    const runtime = new SocialRuntime({
      name: env.name,
      pop,
      D,
      T,
      batchDays: spec.batch_days ?? 1,
      initial: compile('initial_friendships'),
      befriendRate: compile('befriend_rate'),
      unfriendRate: compile('unfriend_rate'),
      purchaseRate: compile('purchase_rate')!,
      buyerWeight: compile('buyer_weight', amountScope),
      amount: compile('amount', amountScope)!,
      anomaly: spec.anomaly && { share: spec.anomaly.share, amount: compileAnomaly(spec.anomaly.amount) },
      time: env.time,
      checks: { invalid: ctx.invalid, limits: readLimits(env.scenario), sites },
      columnNames: (_record, b) => ({
        table: {
          ...memberNames(pop, 'actor.', 'c.a', b),
          day: 'c.day',
          'event.type': 'c.type',
          'event.timestamp': 'c.timestamp',
          'event.time': 'c.time',
          'event.id': 'c.id',
          'event.id1': 'c.id1',
          'event.id2': 'c.id2',
          'event.amount': 'c.amount',
          'event.phase': 'c.phase',
          'event.anomaly': 'c.anomaly',
          'event.flagged': 'c.flagged',
          'event.mean': 'c.mean',
          'event.sd': 'c.sd',
          'detector.header': JSON.stringify(header),
          'detector.D': String(D),
          'detector.T': String(T),
        },
        specials: {},
      }),
    });
    if (env.time.days <= (spec.batch_days ?? 1)) {
      ctx.report('ref-mismatch', [...path, 'batch_days'], {
        detail: `batch_days (${spec.batch_days ?? 1}) leaves no stream days out of ${env.time.days}`,
        hint: 'Make time.days larger than batch_days so the detector has a stream to check.',
      });
    }
    return ctx.failed ? undefined : runtime;
  },
};
