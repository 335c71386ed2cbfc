/**
 * The `links` kernel: directed links between two populations, by pair probability (with
 * geometric skipping: time proportional to the links made) or by drawn out-degree.
 * Docs: docs/kernels/links.md.
 */
import { tableScope } from '../../expr/compile.js';
import { describeSpec } from '../../model/checked.js';
import { compileDistribution, valueSampler } from '../../model/distribution.js';
import { memberNames } from '../../model/population.js';
import type { Kernel } from '../types.js';
import { failedSince, nodeOffsets } from './nodes.js';
import { LinksRuntime } from './runtime.js';
import { LinkSampler } from './sampler.js';
import { linksSchema } from './schema.js';

export const linksKernel: Kernel = {
  name: 'links',
  summary: 'directed links between populations: independent per pair with probability p, or a drawn out-degree',
  docs: 'kernels/links.md',
  schema: linksSchema,
  compile(spec, env) {
    const { ctx, path } = env;
    const mark = ctx.diagnostics.length;
    const known = [...env.populations.keys()].join(', ');
    const from = env.populations.get(spec.from);
    const to = env.populations.get(spec.to);
    if (!from) ctx.report('ref-unknown', [...path, 'from'], { what: 'actor', name: spec.from, known });
    if (!to) ctx.report('ref-unknown', [...path, 'to'], { what: 'actor', name: spec.to, known });
    if ((spec.p === undefined) === (spec.out_degree === undefined)) {
      ctx.report('ref-mismatch', path, { detail: 'a links process needs exactly one of `p` and `out_degree`', hint: 'Use `p` for independent links per pair, `out_degree` for a drawn number of targets per source.' }, true);
    }
    if (spec.target_weight !== undefined && spec.out_degree === undefined) {
      ctx.report('ref-mismatch', [...path, 'target_weight'], { detail: '`target_weight` only applies with `out_degree`', hint: 'Remove it, or draw targets by `out_degree`.' }, true);
    }
    if (!from || !to || failedSince(ctx.diagnostics, mark)) return undefined;
    const bindings: unknown[] = [];
    const sourceScope = tableScope({ ...memberNames(from, 'source.', 'c.s', bindings), ...counts(env.populations) }, bindings);
    const p = spec.p === undefined ? undefined : compileDistribution(spec.p, [...path, 'p'], sourceScope, ctx);
    const outDegree = spec.out_degree === undefined ? undefined : compileDistribution(spec.out_degree, [...path, 'out_degree'], sourceScope, ctx);
    const targetBindings: unknown[] = [];
    const targetScope = tableScope({ ...memberNames(to, 'target.', 'c.t', targetBindings), ...counts(env.populations) }, targetBindings);
    const weight = spec.target_weight === undefined ? undefined : ctx.expr(spec.target_weight, [...path, 'target_weight'], targetScope).fn;
    if (failedSince(ctx.diagnostics, mark)) return undefined;
    const offsets = nodeOffsets(env.populations);
    const sampler = new LinkSampler({
      stream: `process/${env.name}`,
      nFrom: from.count,
      nTo: to.count,
      same: from === to,
      p: p && valueSampler(p),
      outDegree: outDegree && valueSampler(outDegree),
      weight,
      checks: {
        invalid: ctx.invalid,
        p: p && ctx.invalid.site(describeSpec(spec.p), [...path, 'p'], p.names, sourceScope),
        outDegree: outDegree && ctx.invalid.site(describeSpec(spec.out_degree), [...path, 'out_degree'], outDegree.names, sourceScope),
      },
    });
    return new LinksRuntime({
      name: env.name,
      from,
      to,
      fromOffset: offsets.get(from.name)!,
      toOffset: offsets.get(to.name)!,
      sampler,
      p: typeof spec.p === 'number' ? spec.p : undefined,
      meanDegree: outDegree?.mean,
    });
  },
};

/** `count.<actor>` as constants, for expressions that scale with population sizes. */
export function counts(populations: Map<string, { count: number }>): Record<string, string> {
  return Object.fromEntries([...populations].map(([n, p]) => [`count.${n}`, String(p.count)]));
}
