/**
 * The `patterns` kernel: rules (flow, circular, time, fan-in, ...) instantiated over members
 * drawn from named populations. Each kind is one module under kinds/.
 * Docs: docs/kernels/patterns.md and docs/patterns/<kind>.md.
 */
import { tableScope } from '../../expr/compile.js';
import { compileDistribution, valueSampler } from '../../model/distribution.js';
import { describeLimit, placeIn, readLimits } from '../../model/limits.js';
import { UNIT_SECONDS } from '../../model/time.js';
import { counts } from '../links/index.js';
import { failedSince, NodeIndex, nodeOffsets } from '../links/nodes.js';
import type { Kernel } from '../types.js';
import { MemberUnion, type Quantity } from './builder.js';
import { patternKind } from './kinds/index.js';
import type { KindEnv } from './kinds/types.js';
import { PatternsRuntime, type CompiledRule } from './runtime.js';
import { patternsSchema } from './schema.js';

export const patternsKernel: Kernel = {
  name: 'patterns',
  summary: 'pattern rules (flow, circular, time, fan-in, ...) instantiated over members of named populations',
  docs: 'kernels/patterns.md',
  schema: patternsSchema,
  compile(spec, env) {
    const { ctx, path } = env;
    const mark = ctx.diagnostics.length;
    const offsets = nodeOffsets(env.populations);
    const bindings: unknown[] = [];
    const scope = tableScope({ ...counts(env.populations), 'instance.index': 'c.index', step: 'c.step' }, bindings);
    const rules: CompiledRule[] = [];
    for (const [ruleName, body] of Object.entries<any>(spec.rules)) {
      const [kindName, rule] = Object.entries<any>(body)[0];
      const at = [...path, 'rules', ruleName, kindName];
      const kind = patternKind(kindName)!;
      const ranges: { offset: number; count: number }[] = [];
      (rule.members as string[]).forEach((m, i) => {
        const pop = env.populations.get(m);
        if (!pop) ctx.report('ref-unknown', [...at, 'members', i], { what: 'actor', name: m, known: [...env.populations.keys()].join(', ') });
        else ranges.push({ offset: offsets.get(m)!, count: pop.count });
      });
      const quantity = (key: string): Quantity | undefined => {
        if (rule[key] === undefined) return undefined;
        const d = valueSampler(compileDistribution(rule[key], [...at, key], scope, ctx));
        return (b) => Number(d(b.c));
      };
      const kindEnv: KindEnv = { quantity, number: (key, fallback) => (typeof rule[key] === 'number' ? rule[key] : fallback) };
      const currency = rule.currency === undefined ? undefined : compileDistribution(rule.currency, [...at, 'currency'], scope, ctx);
      rules.push({
        name: ruleName,
        kind: kind.name,
        members: rule.members,
        count: quantity('count')!,
        union: new MemberUnion(ranges),
        spread: quantity('spread'),
        currency: currency && valueSampler(currency),
        generate: kind.compile(kindEnv),
        place: placeIn(ctx.map, at),
      });
    }
    if (failedSince(ctx.diagnostics, mark)) return undefined;
    const limits = readLimits(env.scenario);
    const runtime = new PatternsRuntime({
      name: env.name,
      rules,
      nodes: new NodeIndex(env.populations),
      horizonSec: env.time.days * 86400,
      unitSec: UNIT_SECONDS[env.time.unit],
      seed: env.seed,
      limits,
    });
    // Instances are generated in memory and each writes at least one row: a count above
    // limits.max_rows can only fail, after a long time, so it stops here.
    runtime.counts.forEach((n, i) => {
      if (n <= limits.maxRows) return;
      const at = [...env.path, 'rules', rules[i].name, rules[i].kind, 'count'];
      ctx.report('run-limit', at, { detail: `rule "${rules[i].name}" draws ${n.toLocaleString('en-US')} instances, more than ${describeLimit(limits, 'maxRows')} rows`, hint: 'Lower the count, or raise limits.max_rows.' });
    });
    return failedSince(ctx.diagnostics, mark) ? undefined : runtime;
  },
};
