/**
 * Compiles a distribution object (`normal: {mean, sd}`, `categorical: {...}`, `expr: ...`)
 * or a plain number/expression into a sampler `(c) => value` drawing from `c.r`.
 */
import type { Compiled, ExprContext, Scope } from '../expr/compile.js';
import { buildAlias, drawAlias } from '../rng/alias.js';
import * as d from '../rng/distributions.js';
import type { Path } from '../phases/1-parse/index.js';
import type { AnalysisContext } from './context.js';
import { compileFake } from './fake.js';

export type Sampler = (c: ExprContext) => any;

export interface CompiledDistribution {
  sample: Sampler;
  /** How values are stored in a population column. */
  kind: 'number' | 'boolean' | 'category' | 'any';
  /** For categorical: the values; `sample` returns an index into them. */
  values?: unknown[];
  /** The mean when it is known without sampling (used by plan estimates). */
  mean?: number;
  /** Names the expressions read (for attribute order checks). */
  names: string[];
  random: boolean;
}

const NONE: Sampler = () => undefined;

/** A number or expression parameter. */
function param(v: unknown, path: Path, scope: Scope, ctx: AnalysisContext, out: { names: string[]; random: boolean }): Compiled {
  if (typeof v === 'number') return () => v;
  const r = ctx.expr(String(v), path, scope);
  out.names.push(...r.names);
  out.random ||= r.random;
  return r.fn ?? NONE;
}

export function compileDistribution(spec: unknown, path: Path, scope: Scope, ctx: AnalysisContext): CompiledDistribution {
  const acc = { names: [] as string[], random: false };
  if (typeof spec === 'number') return { sample: () => spec, kind: 'number', mean: spec, names: [], random: false };
  if (typeof spec === 'string') {
    const fn = param(spec, path, scope, ctx, acc);
    return { sample: fn, kind: 'any', mean: constantOf(spec, ctx.params), ...acc };
  }
  const [kind, body] = Object.entries(spec as Record<string, any>)[0];
  const at = [...path, kind];
  const p = (k: string) => param(body[k], [...at, k], scope, ctx, acc);
  const constant = (k: string): number | undefined => constantOf(body[k], ctx.params);
  acc.random = true;
  switch (kind) {
    case 'uniform': {
      const [lo, hi] = [p('min'), p('max')];
      const m = constant('min') !== undefined && constant('max') !== undefined ? (constant('min')! + constant('max')!) / 2 : undefined;
      return { sample: (c) => d.uniform(c.r, lo(c), hi(c)), kind: 'number', mean: m, ...acc };
    }
    case 'normal': {
      const [m, s] = [p('mean'), p('sd')];
      return { sample: (c) => d.normal(c.r, m(c), s(c)), kind: 'number', mean: constant('mean'), ...acc };
    }
    case 'lognormal': {
      const [mu, s] = [p('mu'), p('sigma')];
      const mean = constant('mu') !== undefined && constant('sigma') !== undefined ? Math.exp(constant('mu')! + constant('sigma')! ** 2 / 2) : undefined;
      return { sample: (c) => d.lognormal(c.r, mu(c), s(c)), kind: 'number', mean, ...acc };
    }
    case 'exponential': {
      const m = p('mean');
      return { sample: (c) => d.exponential(c.r, m(c)), kind: 'number', mean: constant('mean'), ...acc };
    }
    case 'gamma': {
      const [k, th] = [p('shape'), p('scale')];
      const mean = constant('shape') !== undefined && constant('scale') !== undefined ? constant('shape')! * constant('scale')! : undefined;
      return { sample: (c) => d.gamma(c.r, k(c), th(c)), kind: 'number', mean, ...acc };
    }
    case 'poisson': {
      const m = p('mean');
      return { sample: (c) => d.poisson(c.r, m(c)), kind: 'number', mean: constant('mean'), ...acc };
    }
    case 'geometric': {
      const q = p('p');
      checkProbability(constant('p'), [...at, 'p'], ctx);
      const mean = constant('p') !== undefined ? 1 / constant('p')! : undefined;
      return { sample: (c) => d.geometric(c.r, q(c)), kind: 'number', mean, ...acc };
    }
    case 'bernoulli': {
      const q = p('p');
      checkProbability(constant('p'), [...at, 'p'], ctx);
      // A p that is NaN is passed on (and reported by the consumer) instead of reading as false.
      const sample: Sampler = (c) => {
        const u = c.r();
        const pr = q(c);
        return pr - pr !== 0 ? Number.NaN : u < pr ? 1 : 0;
      };
      return { sample, kind: 'boolean', mean: constant('p'), ...acc };
    }
    case 'categorical': {
      const { values, weights } = body as { values: unknown[]; weights: number[] };
      if (values.length !== weights.length) {
        ctx.report('weights-invalid', [...at, 'weights'], { where: at.join('.'), detail: `${weights.length} weights for ${values.length} values` });
      } else if (weights.some((w) => !(w >= 0)) || weights.every((w) => w === 0)) {
        ctx.report('weights-invalid', [...at, 'weights'], { where: at.join('.'), detail: 'weights must be >= 0 and not all 0' });
      }
      if (ctx.failed) return { sample: NONE, kind: 'category', values, names: [], random: true };
      const table = buildAlias(weights);
      const total = weights.reduce((a, b) => a + b, 0);
      const numeric = values.every((v) => typeof v === 'number');
      const mean = numeric ? values.reduce((s: number, v, i) => s + (v as number) * weights[i], 0) / total : undefined;
      return { sample: (c) => drawAlias(table, c.r), kind: 'category', values, mean, names: [], random: true };
    }
    case 'expr': {
      acc.random = false;
      const fn = param(body, at, scope, ctx, acc);
      return { sample: fn, kind: 'any', ...acc };
    }
    case 'fake':
      return compileFake(body, at, ctx);
    case 'value':
      return {
        sample: () => body,
        kind: typeof body === 'number' ? 'number' : 'any',
        mean: typeof body === 'number' ? body : undefined,
        names: [],
        random: false,
      };
    default:
      return { sample: NONE, kind: 'any', names: [], random: false };
  }
}

function checkProbability(v: unknown, path: Path, ctx: AnalysisContext): void {
  if (typeof v === 'number' && !(v >= 0 && v <= 1)) ctx.report('probability-range', path, { where: path.join('.'), value: v });
}

/** A sampler returning the drawn value itself: categorical draws map their index to the value. */
export function valueSampler(d: CompiledDistribution): Sampler {
  if (d.kind !== 'category') return d.sample;
  const { values, sample } = d;
  return (c) => values![sample(c)];
}

/** The number a parameter stands for before sampling: a literal, or a bare `params.<name>`. */
function constantOf(v: unknown, params: Record<string, unknown>): number | undefined {
  if (typeof v === 'number') return v;
  const m = typeof v === 'string' ? /^\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(v) : null;
  const value = m ? params[m[1]] : undefined;
  return typeof value === 'number' ? value : undefined;
}
