/**
 * The arrivals kernel's hand-written structures against brute force: the Fenwick tree
 * (prefix sums and weighted draws under updates) and the spatial index (minimum of a score
 * of price and distance) with its per-cell cache, on random inputs from fixed streams.
 */
import { describe, expect, it } from 'vitest';
import { FenwickTree } from '../../src/kernels/arrivals/fenwick.js';
import { NOT_CACHED, ScoreCache } from '../../src/kernels/arrivals/score-cache.js';
import { SpatialIndex } from '../../src/kernels/arrivals/spatial-index.js';
import { rngFor } from '../../src/rng/index.js';

describe('FenwickTree', () => {
  it('keeps prefix sums and the total equal to a plain array under random updates', () => {
    const r = rngFor(1, 'test/fenwick');
    for (const n of [1, 2, 3, 7, 64, 100, 1000]) {
      const tree = new FenwickTree(n);
      const plain = new Float64Array(n);
      for (let step = 0; step < 5 * n + 20; step++) {
        const i = Math.floor(r() * n);
        // A quarter of the updates set 0: items of weight 0 are common (no credit left).
        const w = r() < 0.25 ? 0 : r() * 100;
        tree.set(i, w);
        plain[i] = w;
        const k = Math.floor(r() * (n + 1));
        const expected = plain.subarray(0, k).reduce((a, b) => a + b, 0);
        expect(tree.prefix(k)).toBeCloseTo(expected, 6);
      }
      expect(tree.total).toBeCloseTo(plain.reduce((a, b) => a + b, 0), 6);
    }
  });

  it('find(u) returns the item whose cumulative interval holds u, never one of weight 0', () => {
    const r = rngFor(2, 'test/fenwick');
    const n = 257;
    const tree = new FenwickTree(n);
    for (let i = 0; i < n; i++) tree.weights[i] = i % 5 === 0 ? 0 : Math.floor(r() * 10);
    tree.rebuild();
    const plain = Array.from(tree.weights);
    for (let q = 0; q < 5000; q++) {
      const u = r() * tree.total;
      let acc = 0;
      let expected = -1;
      for (let i = 0; i < n; i++) {
        acc += plain[i];
        if (u < acc) {
          expected = i;
          break;
        }
      }
      const got = tree.find(u);
      expect(got).toBe(expected);
      expect(plain[got]).toBeGreaterThan(0);
    }
    // Boundaries: u exactly at a cumulative sum belongs to the next item of positive weight.
    let acc = 0;
    for (let i = 0; i < n - 1; i++) {
      acc += plain[i];
      const next = plain.findIndex((w, j) => j > i && w > 0);
      if (next >= 0 && acc < tree.total) expect(tree.find(acc)).toBe(next);
    }
  });

  it('draws items in proportion to their weights (chi-square at 0.001)', () => {
    const r = rngFor(3, 'test/fenwick');
    const weights = [5, 0, 1, 3, 0, 8, 2, 1];
    const tree = new FenwickTree(weights.length);
    weights.forEach((w, i) => tree.set(i, w));
    const draws = 80_000;
    const counts = new Array(weights.length).fill(0);
    for (let k = 0; k < draws; k++) counts[tree.find(r() * tree.total)]++;
    const total = weights.reduce((a, b) => a + b, 0);
    let chi = 0;
    weights.forEach((w, i) => {
      if (w === 0) expect(counts[i]).toBe(0);
      else chi += (counts[i] - (draws * w) / total) ** 2 / ((draws * w) / total);
    });
    expect(chi).toBeLessThan(22.46); // chi-square, 5 df, upper 0.001 point
  });

  it('returns -1 when every weight is 0', () => {
    const tree = new FenwickTree(10);
    expect(tree.find(0)).toBe(-1);
  });
});

describe('SpatialIndex', () => {
  const scores: Record<string, (p: number, d: number) => number> = {
    'price x log(1 + distance)': (p, d) => p * Math.log(1 + d),
    distance: (_p, d) => d,
    'price + distance / 1000': (p, d) => p + d / 1000,
    'price only': (p) => p,
  };

  function brute(x: Float64Array, y: Float64Array, price: Float64Array, qx: number, qy: number, score: (p: number, d: number) => number) {
    let best = Infinity;
    let item = -1;
    for (let i = 0; i < x.length; i++) {
      const s = score(price[i], Math.sqrt((x[i] - qx) ** 2 + (y[i] - qy) ** 2));
      if (s < best) (best = s), (item = i);
    }
    return { item, best };
  }

  for (const [name, score] of Object.entries(scores)) {
    it(`finds the brute-force minimiser of ${name}, inside and far outside the points`, () => {
      const r = rngFor(4, 'test/spatial', name);
      for (const [n, spread, clustered] of [[1, 1, false], [5, 1, false], [70, 1, false], [600, 1, false], [1400, 1, true], [300, 1, true]] as const) {
        const x = new Float64Array(n);
        const y = new Float64Array(n);
        const price = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          // Clustered: most points in one corner, as uneven cities are.
          const c = clustered && r() < 0.8 ? 0.1 : 1;
          x[i] = (r() - 0.5) * 10000 * c * spread;
          y[i] = (r() - 0.5) * 10000 * c * spread;
          price[i] = 0.8 + 0.4 * r();
        }
        const index = new SpatialIndex(x, y, price);
        for (let q = 0; q < 400; q++) {
          const far = q % 4 === 0 ? 8 : 1.2;
          const qx = (r() - 0.5) * 10000 * far;
          const qy = (r() - 0.5) * 10000 * far;
          const expected = brute(x, y, price, qx, qy, score);
          const got = index.argmin(qx, qy, score);
          expect(got, `n=${n} q=(${qx}, ${qy})`).toBe(expected.item);
          expect(index.bestScore).toBe(expected.best);
          expect(index.violated).toBe(false);
        }
      }
    });
  }

  it('breaks ties by the lowest index, as a scan in order does', () => {
    // Four points at the same place and price, and duplicates elsewhere.
    const x = Float64Array.from([5, 5, 5, 5, 0, 0]);
    const y = Float64Array.from([5, 5, 5, 5, 0, 0]);
    const price = Float64Array.from([1, 1, 1, 1, 1, 1]);
    const index = new SpatialIndex(x, y, price);
    expect(index.argmin(5, 5, (_p, d) => d)).toBe(0);
    expect(index.argmin(0, 0, (_p, d) => d)).toBe(4);
  });

  it('reports a score that decreases with distance instead of trusting its bounds', () => {
    const r = rngFor(5, 'test/spatial');
    const n = 500;
    const x = Float64Array.from({ length: n }, () => r() * 1000);
    const y = Float64Array.from({ length: n }, () => r() * 1000);
    const index = new SpatialIndex(x, y, new Float64Array(n).fill(1));
    index.argmin(500, 500, (_p, d) => -d);
    expect(index.violated).toBe(true);
    index.argmin(500, 500, () => NaN);
    expect(index.sawNaN).toBe(true);
  });

  it('is empty-safe', () => {
    const index = new SpatialIndex(new Float64Array(0), new Float64Array(0), new Float64Array(0));
    expect(index.argmin(0, 0, (p, d) => p + d)).toBe(-1);
  });

  for (const [name, score] of Object.entries(scores)) {
    it(`caches per cell the same answers as the index and brute force, for ${name}`, () => {
      const r = rngFor(6, 'test/spatial-cache', name);
      for (const [n, clustered] of [[16, false], [200, false], [1400, true], [600, false]] as const) {
        const x = new Float64Array(n);
        const y = new Float64Array(n);
        const price = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const c = clustered && r() < 0.8 ? 0.1 : 1;
          // Some members share a place and a price: ties must go to the lowest index.
          if (i % 7 === 6) (x[i] = x[i - 3]), (y[i] = y[i - 3]), (price[i] = price[i - 3]);
          else (x[i] = (r() - 0.5) * 10000 * c + 5e6), (y[i] = (r() - 0.5) * 10000 * c), (price[i] = 0.8 + 0.4 * Math.floor(r() * 5) / 4);
        }
        const index = new SpatialIndex(x, y, price);
        const cache = new ScoreCache(index, x, y, price);
        let cached = 0;
        for (let q = 0; q < 3000; q++) {
          // Queries repeat cells (a cell is built on its first query), and some fall outside.
          const qx = (r() - 0.5) * 10000 * (q % 5 === 0 ? 3 : 1) + 5e6;
          const qy = (r() - 0.5) * 10000 * (q % 5 === 0 ? 3 : 1);
          const got = cache.argmin(qx, qy, score);
          if (got === NOT_CACHED) continue;
          cached++;
          const expected = brute(x, y, price, qx, qy, score);
          expect(got, `n=${n} q=(${qx}, ${qy})`).toBe(expected.item);
          expect(cache.bestScore).toBe(expected.best);
          index.argmin(qx, qy, score);
          expect(cache.bestDistance).toBe(index.bestDistance);
          expect(cache.violated || cache.sawNaN).toBe(false);
        }
        // With price alone, a fifth of the members tie everywhere: too many to cache.
        if (name !== 'price only') expect(cached).toBeGreaterThan(2000);
      }
    });
  }

  // Member indexes past 65,534 do not fit the cache's 16-bit records: it keeps 32-bit ones.
  it('caches the same answers as brute force for a group too large for 16-bit records', () => {
    const r = rngFor(7, 'test/spatial-cache-wide');
    const n = 70000;
    const x = Float64Array.from({ length: n }, () => (r() - 0.5) * 1e5);
    const y = Float64Array.from({ length: n }, () => (r() - 0.5) * 1e5);
    const price = Float64Array.from({ length: n }, () => 0.8 + 0.4 * r());
    const score = scores['price x log(1 + distance)'];
    const cache = new ScoreCache(new SpatialIndex(x, y, price), x, y, price);
    let cached = 0;
    for (let q = 0; q < 400; q++) {
      // Each query twice: the second reads the cell its first built.
      const qx = (r() - 0.5) * 1e5;
      const qy = (r() - 0.5) * 1e5;
      for (let again = 0; again < 2; again++) {
        const got = cache.argmin(qx, qy, score);
        if (got === NOT_CACHED) continue;
        cached++;
        const expected = brute(x, y, price, qx, qy, score);
        expect(got).toBe(expected.item);
        expect(cache.bestScore).toBe(expected.best);
      }
    }
    expect(cached).toBeGreaterThan(700);
  });
});
