/**
 * Random streams and samplers. Streams must be keyed: same key, same sequence, whatever else
 * ran before. Samplers must have the right mean and variance, and alias tables the right
 * frequencies.
 *
 * Tolerances come from the sample size, not from taste. With n draws the sample mean has
 * standard error sqrt(var / n) and the sample variance sqrt((mu4 - var^2) / n), mu4 being
 * the fourth central moment. We accept within 4.5 standard errors: a correct sampler lands
 * outside with probability about 7e-6 per check (normal approximation), so even over the
 * ~40 checks here a false alarm is negligible, while a larger bias fails (for most checks
 * here that is a bias of 0.2% to 3% of the value). Seeds are fixed, so every run draws the
 * same numbers anyway.
 */
import { describe, expect, it } from 'vitest';
import { buildAlias, drawAlias } from '../src/rng/alias.js';
import * as d from '../src/rng/distributions.js';
import { rngFor, seedFor, type Rng } from '../src/rng/index.js';
import { chiSquare, chiSquareCritical001 } from './helpers.js';

const N = 200_000;
const Z = 4.5;

function take(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, rng);
}

// Math.min(...xs) overflows the call stack at these sizes.
const minOf = (xs: number[]) => xs.reduce((a, b) => (b < a ? b : a), Number.POSITIVE_INFINITY);
const maxOf = (xs: number[]) => xs.reduce((a, b) => (b > a ? b : a), Number.NEGATIVE_INFINITY);

describe('keyed streams', () => {
  it('the same key gives the same sequence', () => {
    expect(take(rngFor(42, 'actor/users', 7), 100)).toEqual(take(rngFor(42, 'actor/users', 7), 100));
    expect(take(rngFor(42, 'actor/users'), 100)).toEqual(take(rngFor(42, 'actor/users'), 100));
  });

  it('any change of seed, name or keys gives another sequence', () => {
    const base = take(rngFor(42, 'actor/users', 7, 1), 20);
    const variants = [
      rngFor(43, 'actor/users', 7, 1),
      rngFor(42, 'actor/admins', 7, 1),
      rngFor(42, 'actor/users', 8, 1),
      rngFor(42, 'actor/users', 7, 2),
      rngFor(42, 'actor/users', 1, 7),
      rngFor(42, 'actor/users', 7),
    ];
    for (const v of variants) expect(take(v, 20)).not.toEqual(base);
  });

  it('a stream does not depend on other streams drawn in between', () => {
    const alone = take(rngFor(1, 'process/sessions', 3, 0), 50);
    const a = rngFor(1, 'process/sessions', 3, 0);
    const b = rngFor(1, 'process/sessions', 4, 0);
    const interleaved: number[] = [];
    for (let i = 0; i < 50; i++) {
      b();
      interleaved.push(a());
      b();
    }
    expect(interleaved).toEqual(alone);
  });

  it('draws lie in [0, 1) and look uniform', () => {
    const xs = take(rngFor(5, 'uniformity'), N);
    expect(minOf(xs)).toBeGreaterThanOrEqual(0);
    expect(maxOf(xs)).toBeLessThan(1);
    expectMoments(xs, { mean: 0.5, variance: 1 / 12, mu4: 1 / 80 });
  });

  it('seedFor is a deterministic 32-bit unsigned integer per key', () => {
    const s = seedFor(42, 'lib', 1);
    expect(s).toBe(seedFor(42, 'lib', 1));
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    expect(seedFor(42, 'lib', 2)).not.toBe(s);
  });
});

interface Moments {
  mean: number;
  variance: number;
  /** Fourth central moment, for the standard error of the sample variance. */
  mu4: number;
}

/** Central moments from the raw moments E[X], E[X^2], E[X^3], E[X^4]. */
function fromRaw([m1, m2, m3, m4]: number[]): Moments {
  return {
    mean: m1,
    variance: m2 - m1 * m1,
    mu4: m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4,
  };
}

function expectMoments(xs: number[], want: Moments): void {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const seMean = Math.sqrt(want.variance / n);
  const seVariance = Math.sqrt((want.mu4 - want.variance ** 2) / n);
  expect(Math.abs(mean - want.mean), `mean ${mean}, want ${want.mean} +- ${Z * seMean}`).toBeLessThanOrEqual(Z * seMean);
  expect(Math.abs(variance - want.variance), `variance ${variance}, want ${want.variance} +- ${Z * seVariance}`).toBeLessThanOrEqual(
    Z * seVariance,
  );
}

function sample(name: string, draw: (r: Rng) => number | boolean): number[] {
  const r = rngFor(2024, `test/${name}`);
  return Array.from({ length: N }, () => Number(draw(r)));
}

describe('samplers: mean and variance', () => {
  const normal4 = (sd: number) => 3 * sd ** 4;

  it('uniform(-2, 6)', () => {
    const w = 8;
    expectMoments(sample('uniform', (r) => d.uniform(r, -2, 6)), { mean: 2, variance: w ** 2 / 12, mu4: w ** 4 / 80 });
  });

  it('normal(3, 2)', () => {
    expectMoments(sample('normal', (r) => d.normal(r, 3, 2)), { mean: 3, variance: 4, mu4: normal4(2) });
  });

  it('standard normal', () => {
    expectMoments(sample('std-normal', d.standardNormal), { mean: 0, variance: 1, mu4: 3 });
  });

  it('lognormal(0.5, 0.4)', () => {
    // Raw moments of a lognormal: E[X^k] = exp(k mu + k^2 sigma^2 / 2).
    const [mu, s] = [0.5, 0.4];
    const raw = [1, 2, 3, 4].map((k) => Math.exp(k * mu + (k * k * s * s) / 2));
    const xs = sample('lognormal', (r) => d.lognormal(r, mu, s));
    expectMoments(xs, fromRaw(raw));
    expectMoments(xs.map(Math.log), { mean: mu, variance: s * s, mu4: normal4(s) });
  });

  it('exponential(mean 5)', () => {
    const m = 5;
    const xs = sample('exponential', (r) => d.exponential(r, m));
    expect(minOf(xs)).toBeGreaterThanOrEqual(0);
    expectMoments(xs, { mean: m, variance: m * m, mu4: 9 * m ** 4 });
  });

  // Gamma(k, theta): mean k theta, variance k theta^2, mu4 = 3k(k + 2) theta^4.
  const gammaMoments = (k: number, t: number): Moments => ({ mean: k * t, variance: k * t * t, mu4: 3 * k * (k + 2) * t ** 4 });

  it.each([
    [2.5, 2],
    [1, 3],
    [0.3, 1.5],
    [0.05, 10],
  ])('gamma(shape %s, scale %s)', (k, t) => {
    const xs = sample(`gamma-${k}`, (r) => d.gamma(r, k, t));
    expect(minOf(xs)).toBeGreaterThanOrEqual(0);
    expectMoments(xs, gammaMoments(k, t));
  });

  // Poisson(l): mean l, variance l, mu4 = l (1 + 3 l). Below 30 the product method, from 30 PTRS.
  it.each([0.5, 4, 29.5, 30, 100, 2500])('poisson(%s)', (l) => {
    const xs = sample(`poisson-${l}`, (r) => d.poisson(r, l));
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    expectMoments(xs, { mean: l, variance: l, mu4: l * (1 + 3 * l) });
  });

  it('poisson with a mean <= 0 is 0', () => {
    const r = rngFor(1, 'poisson-0');
    expect([d.poisson(r, 0), d.poisson(r, -3)]).toEqual([0, 0]);
  });

  // Geometric on {1, 2, ...}: mean 1/p, variance (1-p)/p^2, mu4 = (1-p)(p^2 - 9p + 9)/p^4.
  it.each([0.2, 0.9])('geometric(%s)', (p) => {
    const xs = sample(`geometric-${p}`, (r) => d.geometric(r, p));
    expect(minOf(xs)).toBe(1);
    expectMoments(xs, { mean: 1 / p, variance: (1 - p) / p ** 2, mu4: ((1 - p) * (p * p - 9 * p + 9)) / p ** 4 });
  });

  it('geometric(1) is always 1', () => {
    const r = rngFor(1, 'geometric-1');
    expect(take(() => d.geometric(r, 1), 10)).toEqual(Array(10).fill(1));
  });

  it('bernoulli(0.3)', () => {
    const p = 0.3;
    const xs = sample('bernoulli', (r) => d.bernoulli(r, p));
    expect(new Set(xs)).toEqual(new Set([0, 1]));
    expectMoments(xs, { mean: p, variance: p * (1 - p), mu4: p * (1 - p) * (1 - 3 * p + 3 * p * p) });
  });
});

describe('frequencies by chi-square at significance 0.001', () => {
  it('poisson(45), drawn by PTRS, follows the Poisson probabilities', () => {
    const l = 45;
    const xs = sample('poisson-shape', (r) => d.poisson(r, l));
    const top = 120;
    const counts = new Array<number>(top + 1).fill(0);
    for (const x of xs) counts[Math.min(x, top)]++;
    const pmf = Array.from({ length: top + 1 }, (_, k) => {
      let logFact = 0;
      for (let i = 2; i <= k; i++) logFact += Math.log(i);
      return Math.exp(-l + k * Math.log(l) - logFact);
    });
    pmf[top] += 1 - pmf.reduce((a, b) => a + b, 0); // the last bin holds the tail
    const { statistic, df } = chiSquare(counts, pmf, N);
    expect(df).toBeGreaterThan(30);
    expect(statistic).toBeLessThan(chiSquareCritical001(df));
  });

  const weights = [5, 1, 0, 3, 0.5, 10];
  const total = weights.reduce((a, b) => a + b, 0);

  it('alias draws follow the weights, and a zero weight is never drawn', () => {
    const table = buildAlias(weights);
    const r = rngFor(11, 'alias');
    const counts = new Array<number>(weights.length).fill(0);
    for (let i = 0; i < N; i++) counts[drawAlias(table, r)]++;
    expect(counts[2]).toBe(0);
    const live = weights.map((w, i) => i).filter((i) => weights[i] > 0);
    const { statistic, df } = chiSquare(
      live.map((i) => counts[i]),
      live.map((i) => weights[i] / total),
      N,
    );
    expect(df).toBe(live.length - 1);
    expect(statistic).toBeLessThan(chiSquareCritical001(df));
  });

  it('a biased draw would be caught: the same counts against swapped weights fail', () => {
    // Guards the check above against being too lax to ever fail.
    const table = buildAlias(weights);
    const r = rngFor(11, 'alias');
    const counts = new Array<number>(weights.length).fill(0);
    for (let i = 0; i < N; i++) counts[drawAlias(table, r)]++;
    const swapped = [3, 1, 0, 5, 0.5, 10];
    const live = [0, 1, 3, 4, 5];
    const { statistic, df } = chiSquare(
      live.map((i) => counts[i]),
      live.map((i) => swapped[i] / total),
      N,
    );
    expect(statistic).toBeGreaterThan(chiSquareCritical001(df));
  });

  it('the table encodes the weights exactly', () => {
    // Column i is hit with probability (prob[i] + sum of (1 - prob[j]) over j aliased to i) / n.
    const table = buildAlias(weights);
    const p = new Array<number>(table.n).fill(0);
    for (let j = 0; j < table.n; j++) {
      expect(table.prob[j]).toBeGreaterThanOrEqual(0);
      expect(table.prob[j]).toBeLessThanOrEqual(1);
      p[j] += table.prob[j] / table.n;
      if (table.prob[j] < 1) p[table.alias[j]] += (1 - table.prob[j]) / table.n;
    }
    weights.forEach((w, i) => expect(p[i]).toBeCloseTo(w / total, 12));
  });

  it('one category is always drawn', () => {
    const table = buildAlias([2.5]);
    const r = rngFor(1, 'alias-one');
    expect(take(() => drawAlias(table, r), 20)).toEqual(Array(20).fill(0));
  });
});
