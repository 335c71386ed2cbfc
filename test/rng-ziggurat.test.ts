/**
 * The ziggurat samplers: their tables, their shape over the whole line (chi-square on fine bins,
 * so a wrong layer or wedge shows), and their tails, which take a path of their own.
 *
 * Tolerances come from the sample size: chi-square at significance 0.001 (a correct sampler
 * fails with probability 0.001; seeds are fixed, so every run draws the same numbers), and
 * counts and means within 4.5 standard errors (about 7e-6 each, normal approximation).
 */
import { describe, expect, it } from 'vitest';
import { rngFor, type Rng } from '../src/rng/index.js';
import { zigguratExponential, zigguratNormal, zigguratTables } from '../src/rng/ziggurat.js';
import { chiSquare, chiSquareCritical001 } from './helpers.js';

const N = 400_000;
const Z = 4.5;

/** Integral of `density` over [a, b] by Simpson's rule on 2,000 pieces (error far below 1e-9 here). */
function integral(density: (x: number) => number, a: number, b: number): number {
  const pieces = 2000;
  const h = (b - a) / pieces;
  let sum = density(a) + density(b);
  for (let k = 1; k < pieces; k++) sum += (k % 2 === 1 ? 4 : 2) * density(a + k * h);
  return (sum * h) / 3;
}

const normalDensity = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** Counts of `xs` in the bins cut at `edges` (below the first, between each pair, above the last). */
function histogram(xs: Float64Array, edges: number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const x of xs) {
    let b = 0;
    while (b < edges.length && x >= edges[b]) b++;
    counts[b]++;
  }
  return counts;
}

/** Probabilities of the same bins under `density`, the two outer ones from the rest (total 1). */
function binProbabilities(density: (x: number) => number, edges: number[]): number[] {
  const inner = edges.slice(1).map((e, k) => integral(density, edges[k], e));
  const outer = 1 - inner.reduce((a, b) => a + b, 0);
  return [outer / 2, ...inner, outer / 2];
}

function draws(name: string, draw: (r: Rng) => number, n = N): Float64Array {
  const r = rngFor(2026, `test/ziggurat/${name}`);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = draw(r);
  return xs;
}

// Bins 0.125 wide over [-4.5, 4.5], with the tail start R as an edge, so the tail's share is one bin.
const R = zigguratTables.normal.x[1];
const normalEdges = [...Array.from({ length: 73 }, (_, k) => -4.5 + k * 0.125), -R, R].sort((a, b) => a - b);

describe('ziggurat tables', () => {
  it('every layer has the same area, and the base strip holds the tail too', () => {
    for (const [name, t, density] of [
      ['normal', zigguratTables.normal, (x: number) => Math.exp(-0.5 * x * x)],
      ['exponential', zigguratTables.exponential, (x: number) => Math.exp(-x)],
    ] as const) {
      const { x, f } = t;
      const v = x[1] * (f[2] - f[1]); // layer 1: the rectangle above the base strip
      for (let i = 1; i < zigguratTables.layers; i++) {
        expect(Math.abs(x[i] * (f[i + 1] - f[i]) - v) / v, `${name} layer ${i}`).toBeLessThan(1e-8);
      }
      // Base strip: its rectangle [0, R] x [0, f(R)] plus the tail beyond R, as wide as x[0] at height f(R).
      const tailArea = integral(density, x[1], x[1] + 40);
      expect(Math.abs(x[1] * f[1] + tailArea - v) / v, `${name} base strip`).toBeLessThan(1e-8);
      expect(Math.abs(x[0] * f[1] - v) / v).toBeLessThan(1e-12);
      expect(x[zigguratTables.layers]).toBe(0);
      expect(f[zigguratTables.layers]).toBe(1);
    }
  });
});

describe('zigguratNormal', () => {
  const xs = draws('normal', zigguratNormal);

  it('follows the normal density on fine bins (chi-square)', () => {
    const { statistic, df } = chiSquare(histogram(xs, normalEdges), binProbabilities(normalDensity, normalEdges), N);
    expect(df).toBeGreaterThanOrEqual(70);
    expect(statistic).toBeLessThan(chiSquareCritical001(df));
  });

  it('a sampler 2% too wide would be caught by the same check', () => {
    // Guards the check above against being too lax to ever fail.
    const wide = (x: number) => normalDensity(x / 1.02) / 1.02;
    const { statistic, df } = chiSquare(histogram(xs, normalEdges), binProbabilities(wide, normalEdges), N);
    expect(statistic).toBeGreaterThan(chiSquareCritical001(df));
  });

  it('draws beyond R (the tail path) come as often as they should, with the right mean excess', () => {
    const many = draws('normal-tail', zigguratNormal, 4_000_000);
    const pTail = 2 * integral(normalDensity, R, R + 40);
    let count = 0;
    let excess = 0;
    let positive = 0;
    for (const x of many) {
      if (Math.abs(x) <= R) continue;
      count++;
      excess += Math.abs(x) - R;
      if (x > 0) positive++;
    }
    const n = many.length;
    const sd = Math.sqrt(n * pTail * (1 - pTail));
    expect(Math.abs(count - n * pTail), `count ${count}, want ${(n * pTail).toFixed(0)} +- ${(Z * sd).toFixed(0)}`).toBeLessThan(Z * sd);
    // Both signs equally: the count of positive ones is Binomial(count, 1/2).
    expect(Math.abs(positive - count / 2)).toBeLessThan(Z * Math.sqrt(count / 4));
    // E[Z - R | Z > R] and its variance, from the density's moments beyond R.
    const m0 = integral(normalDensity, R, R + 40);
    const m1 = integral((x) => (x - R) * normalDensity(x), R, R + 40) / m0;
    const m2 = integral((x) => (x - R) ** 2 * normalDensity(x), R, R + 40) / m0;
    const se = Math.sqrt((m2 - m1 * m1) / count);
    expect(Math.abs(excess / count - m1)).toBeLessThan(Z * se);
  });

  it('a constant stand-in stream ends with a number or NaN, never an endless loop', () => {
    for (const c of [0, 0.25, 0.5, 0.999, 1 - 2 ** -32]) {
      const x = zigguratNormal(() => c);
      expect(Number.isNaN(x) || Number.isFinite(x)).toBe(true);
      const e = zigguratExponential(() => c);
      expect(Number.isNaN(e) || Number.isFinite(e)).toBe(true);
    }
  });
});

describe('zigguratExponential', () => {
  const xs = draws('exponential', zigguratExponential);
  const R_EXP = zigguratTables.exponential.x[1];
  // Bins 0.0625 wide over [0, 10], with the tail start as an edge.
  const edges = [...Array.from({ length: 161 }, (_, k) => k * 0.0625), R_EXP].sort((a, b) => a - b);
  const density = (x: number) => (x < 0 ? 0 : Math.exp(-x));

  it('is never negative and follows the exponential density on fine bins (chi-square)', () => {
    expect(xs.every((x) => x >= 0)).toBe(true);
    const counts = histogram(xs, edges);
    const probabilities = binProbabilities(density, edges);
    // Nothing lies below 0: the lower outer bin is empty, and its share goes to the upper one.
    expect(counts[0]).toBe(0);
    probabilities[probabilities.length - 1] += probabilities[0];
    probabilities[0] = 0;
    const { statistic, df } = chiSquare(counts.slice(1), probabilities.slice(1), N);
    expect(df).toBeGreaterThan(120);
    expect(statistic).toBeLessThan(chiSquareCritical001(df));
  });

  it('draws beyond the tail start come as often as exp(-R), and the excess is again exponential', () => {
    const many = draws('exponential-tail', zigguratExponential, 4_000_000);
    const p = Math.exp(-R_EXP);
    let count = 0;
    let excess = 0;
    for (const x of many) {
      if (x <= R_EXP) continue;
      count++;
      excess += x - R_EXP;
    }
    const n = many.length;
    expect(Math.abs(count - n * p)).toBeLessThan(Z * Math.sqrt(n * p * (1 - p)));
    // Memorylessness: the excess has mean 1 and variance 1.
    expect(Math.abs(excess / count - 1)).toBeLessThan(Z / Math.sqrt(count));
  });
});
