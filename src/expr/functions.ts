/**
 * The functions and constants scenario expressions may use. This table is the whitelist:
 * an expression can call nothing else. Random functions draw from the stream of the entity
 * being generated (passed as `c.r` by the caller), so results never depend on run order.
 * docs/expressions.md is generated from this table.
 */
import type { Rng } from '../rng/index.js';
import * as d from '../rng/distributions.js';
import { InvalidValueSignal, textOf } from './invalid-signal.js';

export interface FunctionDef {
  /** Minimum and maximum number of arguments. */
  arity: [number, number];
  /** True when the function draws random numbers (receives the entity's generator first). */
  random: boolean;
  usage: string;
  doc: string;
  impl: (...args: any[]) => unknown;
}

const math = (arity: [number, number], usage: string, doc: string, impl: (...a: any[]) => unknown): FunctionDef => ({
  arity, random: false, usage, doc, impl,
});
const rand = (arity: [number, number], usage: string, doc: string, impl: (r: Rng, ...a: any[]) => unknown): FunctionDef => ({
  arity, random: true, usage, doc, impl,
});

export const FUNCTIONS: Record<string, FunctionDef> = {
  abs: math([1, 1], 'abs(x)', 'Absolute value.', Math.abs),
  min: math([1, 64], 'min(a, b, ...)', 'Smallest argument.', Math.min),
  max: math([1, 64], 'max(a, b, ...)', 'Largest argument.', Math.max),
  floor: math([1, 1], 'floor(x)', 'Largest integer <= x.', Math.floor),
  ceil: math([1, 1], 'ceil(x)', 'Smallest integer >= x.', Math.ceil),
  round: math([1, 2], 'round(x, digits?)', 'Rounds half away from zero, to `digits` decimals (default 0).', (x: number, digits = 0) => {
    const f = 10 ** digits;
    return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f;
  }),
  trunc: math([1, 1], 'trunc(x)', 'Integer part of x.', Math.trunc),
  sqrt: math([1, 1], 'sqrt(x)', 'Square root.', Math.sqrt),
  exp: math([1, 1], 'exp(x)', 'e to the power x.', Math.exp),
  log: math([1, 1], 'log(x)', 'Natural logarithm.', Math.log),
  log10: math([1, 1], 'log10(x)', 'Base-10 logarithm.', Math.log10),
  pow: math([2, 2], 'pow(x, y)', 'x to the power y (same as x ^ y).', Math.pow),
  sin: math([1, 1], 'sin(x)', 'Sine (radians).', Math.sin),
  cos: math([1, 1], 'cos(x)', 'Cosine (radians).', Math.cos),
  atan2: math([2, 2], 'atan2(y, x)', 'Angle of the point (x, y).', Math.atan2),
  hypot: math([2, 3], 'hypot(dx, dy)', 'Euclidean length sqrt(dx^2 + dy^2).', Math.hypot),
  distance: math([4, 4], 'distance(x1, y1, x2, y2)', 'Euclidean distance between the points (x1, y1) and (x2, y2).', (x1: number, y1: number, x2: number, y2: number) => Math.sqrt((x2 - x1) ** 2 + (y2 - y1) ** 2)),
  clamp: math([3, 3], 'clamp(x, lo, hi)', 'x limited to [lo, hi].', (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x))),
  logistic: math([1, 1], 'logistic(x)', '1 / (1 + exp(-x)).', (x: number) => 1 / (1 + Math.exp(-x))),
  len: math([1, 1], 'len(list)', 'Number of items of a list or characters of a string.', (x: { length: number }) => x.length),
  str: math([1, 1], 'str(x)', 'x as a string (a list or map as JSON); NaN, Infinity or no value stops with an error (see `on_invalid`).', textOf),
  fixed: math([2, 2], 'fixed(x, digits)', 'x as a string with exactly `digits` decimals (like printf "%.2f": rounds the binary value).', (x: number, digits: number) => fixedText(x, digits)),
  pad: math([2, 2], 'pad(x, width)', 'x as a string, left-padded with zeros to `width` characters.', (x: unknown, width: number) => textOf(x).padStart(width, '0')),
  num: math([1, 1], 'num(x)', 'x as a number.', (x: unknown) => Number(x)),
  random: rand([0, 0], 'random()', 'Uniform on [0, 1).', (r) => r()),
  uniform: rand([2, 2], 'uniform(min, max)', 'Uniform on [min, max).', d.uniform),
  randint: rand([2, 2], 'randint(min, max)', 'Integer uniform on [min, max] (both included).', (r, a: number, b: number) => a + Math.floor(r() * (b - a + 1))),
  normal: rand([2, 2], 'normal(mean, sd)', 'Normal draw.', d.normal),
  lognormal: rand([2, 2], 'lognormal(mu, sigma)', 'exp of a normal(mu, sigma) draw.', d.lognormal),
  exponential: rand([1, 1], 'exponential(mean)', 'Exponential draw with the given mean.', d.exponential),
  gamma: rand([2, 2], 'gamma(shape, scale)', 'Gamma draw (mean = shape x scale).', d.gamma),
  poisson: rand([1, 1], 'poisson(mean)', 'Poisson count.', d.poisson),
  geometric: rand([1, 1], 'geometric(p)', 'Trials up to the first success: 1, 2, ... (mean 1/p).', d.geometric),
  pareto: rand([2, 2], 'pareto(xmin, alpha)', 'Power-law draw >= xmin: P(X > x) = (xmin/x)^alpha (heavy-tailed; finite mean only for alpha > 1).', d.pareto),
  bernoulli: rand([1, 1], 'bernoulli(p)', 'true with probability p.', d.bernoulli),
  choice: rand([1, 1], 'choice(list)', 'A uniformly chosen item of the list.', (r, list: unknown[]) => list[Math.floor(r() * list.length)]),
  in_square: rand([1, 1], 'in_square(side)', 'A point [x, y] uniform in the square of that side centred on 0 (read it as p[0], p[1]).', (r, side: number) => [(r() - 0.5) * side, (r() - 0.5) * side]),
  in_disc: rand([1, 1], 'in_disc(radius)', 'A point [x, y] uniform in the disc of that radius centred on 0.', (r, radius: number) => {
    const rho = radius * Math.sqrt(r());
    const angle = 2 * Math.PI * r();
    return [rho * Math.cos(angle), rho * Math.sin(angle)];
  }),
  near: rand([3, 3], 'near(x, y, radius)', 'A point [x, y] offset from (x, y) by independent normal draws with sd `radius` per axis.', (r, x: number, y: number, radius: number) => [
    x + radius * d.standardNormal(r),
    y + radius * d.standardNormal(r),
  ]),
};

export const CONSTANTS: Record<string, { value: number; doc: string }> = {
  PI: { value: Math.PI, doc: 'The ratio of a circle to its diameter.' },
  E: { value: Math.E, doc: "Euler's number." },
  INFINITY: { value: Number.POSITIVE_INFINITY, doc: 'Positive infinity (useful as a cap).' },
};

/** `fixed(x, digits)`: x may be numeric text; a non-finite x is an invalid value, not "NaN". */
function fixedText(x: unknown, digits: number): string {
  const n = Number(x);
  if (n - n !== 0) throw new InvalidValueSignal(x);
  return n.toFixed(digits);
}
