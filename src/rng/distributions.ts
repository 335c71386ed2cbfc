/**
 * Samplers for the distributions the scenario language offers. Each takes the generator
 * first so callers decide which stream a draw comes from.
 */
import type { Rng } from './index.js';
import { zigguratExponential, zigguratNormal } from './ziggurat.js';

/** Rejection loops give up after this many tries (a real stream needs a handful). */
const MAX_TRIES = 1000;

export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng();
}

/** Standard normal, by the ziggurat method (see ziggurat.ts). */
export function standardNormal(rng: Rng): number {
  return zigguratNormal(rng);
}

export function normal(rng: Rng, mean: number, sd: number): number {
  return mean + sd * standardNormal(rng);
}

export function lognormal(rng: Rng, mu: number, sigma: number): number {
  return Math.exp(normal(rng, mu, sigma));
}

/** Exponential with the given mean (not rate), as users usually state it. */
export function exponential(rng: Rng, mean: number): number {
  return mean * zigguratExponential(rng);
}

/** Gamma(shape, scale) by Marsaglia and Tsang; shape < 1 boosted by U^(1/shape). */
export function gamma(rng: Rng, shape: number, scale: number): number {
  // NaN would loop forever below and a large negative shape recurse until the stack overflows:
  // a shape outside [0, Infinity) gives NaN, which the consumer reports.
  if (!(shape >= 0 && shape < Infinity)) return Number.NaN;
  if (shape < 1) {
    const u = rng();
    return gamma(rng, shape + 1, scale) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
  return Number.NaN;
}

/** Poisson: Knuth's product method for small means, PTRS (Hormann 1993) for large ones. */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  // NaN or Infinity would never be accepted below (an endless loop): hand it to the consumer.
  if (!(mean < Infinity)) return mean;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = rng();
    while (p > limit) {
      k++;
      p *= rng();
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const u = rng() - 0.5;
    const v = rng();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logFactorial(k)) {
      return k;
    }
  }
  return Number.NaN;
}

/** Geometric on {1, 2, ...}: the number of trials up to and including the first success. */
export function geometric(rng: Rng, p: number): number {
  if (p >= 1) return 1;
  return 1 + Math.floor(Math.log(1 - rng()) / Math.log(1 - p));
}

/** Pareto (power law) above `xmin`: P(X > x) = (xmin / x)^alpha. Heavy-tailed degrees and sizes. */
export function pareto(rng: Rng, xmin: number, alpha: number): number {
  return xmin / Math.pow(1 - rng(), 1 / alpha);
}

export function bernoulli(rng: Rng, p: number): boolean {
  return rng() < p;
}

const LOG_FACT_TABLE: number[] = [0];
function logFactorial(k: number): number {
  if (k < 256) {
    for (let i = LOG_FACT_TABLE.length; i <= k; i++) LOG_FACT_TABLE[i] = LOG_FACT_TABLE[i - 1] + Math.log(i);
    return LOG_FACT_TABLE[k];
  }
  // Stirling's series: exact to double precision for k >= 256.
  return (k + 0.5) * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * k) - 1 / (360 * k * k * k);
}
