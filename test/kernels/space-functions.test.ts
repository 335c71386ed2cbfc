/**
 * The space functions of the expression language: points uniform in a square or a disc,
 * points near another point, and the distance between two points. Fixed streams; every
 * interval is z = 3.29 standard errors (significance 0.001) of the sample mean.
 */
import { describe, expect, it } from 'vitest';
import { compileExpression, tableScope } from '../../src/expr/compile.js';
import { rngFor } from '../../src/rng/index.js';

const Z = 3.29;
const N = 20_000;

function sample(expr: string): number[][] {
  const fn = compileExpression(expr, tableScope({})).fn!;
  const c = { r: rngFor(1, 'test/space', expr) };
  return Array.from({ length: N }, () => fn(c) as number[]);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('space functions', () => {
  it('in_disc(R): inside the disc, uniform by area (E|p|^2 = R^2 / 2, centred)', () => {
    const R = 10;
    const points = sample('in_disc(10)');
    const r2 = points.map(([x, y]) => x * x + y * y);
    expect(Math.max(...r2)).toBeLessThanOrEqual(R * R);
    // |p|^2 is uniform on [0, R^2]: variance R^4 / 12.
    expect(Math.abs(mean(r2) - (R * R) / 2)).toBeLessThan((Z * R * R) / Math.sqrt(12 * N));
    // x alone: variance E[x^2] = R^2 / 4.
    expect(Math.abs(mean(points.map((p) => p[0])))).toBeLessThan((Z * R) / 2 / Math.sqrt(N));
  });

  it('in_square(side): inside the square, each coordinate uniform', () => {
    const points = sample('in_square(8)');
    for (const k of [0, 1]) {
      const xs = points.map((p) => p[k]);
      expect(Math.max(...xs.map(Math.abs))).toBeLessThanOrEqual(4);
      expect(Math.abs(mean(xs))).toBeLessThan((Z * 8) / Math.sqrt(12 * N));
      // x^2 has mean side^2 / 12 = 5.333 and variance side^4 / 180.
      expect(Math.abs(mean(xs.map((x) => x * x)) - 64 / 12)).toBeLessThan((Z * 64) / Math.sqrt(180 * N));
    }
  });

  it('near(x, y, radius): normal offsets with sd radius on each axis', () => {
    const points = sample('near(100, 0 - 50, 3)');
    for (const [k, centre] of [[0, 100], [1, -50]]) {
      const d = points.map((p) => p[k] - centre);
      expect(Math.abs(mean(d))).toBeLessThan((Z * 3) / Math.sqrt(N));
      // d^2 has mean 9 and variance 2 x 9^2.
      expect(Math.abs(mean(d.map((x) => x * x)) - 9)).toBeLessThan((Z * Math.sqrt(2) * 9) / Math.sqrt(N));
    }
  });

  it('distance(x1, y1, x2, y2) is Euclidean', () => {
    const fn = compileExpression('distance(1, 2, 4, 6)', tableScope({})).fn!;
    expect(fn({ r: () => 0 })).toBe(5);
  });
});
