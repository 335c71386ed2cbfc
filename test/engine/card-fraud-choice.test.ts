/**
 * Choice by minimum on a world small enough to check by hand
 * (test/samples/card-fraud/small-world.yaml): 16 shops on a grid whose positions, types and
 * price levels follow from their ids, so every chosen shop can be compared with a brute
 * force over all shops. Exact: the spatial index must return the true minimiser every time.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv, removeDir, runToTemp } from '../helpers.js';

interface Shop {
  id: number;
  type: string;
  x: number;
  y: number;
  price: number;
}

/** The shops as the sample declares them. */
const SHOPS: Shop[] = Array.from({ length: 16 }, (_, i) => ({
  id: i,
  type: i % 2 === 0 ? 'food' : 'other',
  x: (i % 4) * 1000,
  y: Math.floor(i / 4) * 1000,
  price: 1 + (i % 3) / 10,
}));

/** First shop (lowest id) with the lowest score, as a scan in id order finds it. */
function bruteForce(shops: Shop[], score: (s: Shop) => number): { id: number; score: number } {
  let best = { id: -1, score: Infinity };
  for (const s of shops) {
    const v = score(s);
    if (v < best.score) best = { id: s.id, score: v };
  }
  return best;
}

let dir = '';
let rows: Record<string, string>[] = [];

beforeAll(async () => {
  ({ dir } = await runToTemp('test/samples/card-fraud/small-world.yaml'));
  const csv = readCsv(join(dir, 'visits.csv'));
  rows = csv.rows.map((r) => Object.fromEntries(csv.header.map((h, i) => [h, r[i]])));
}, 60_000);
afterAll(() => removeDir(join(dir, '..')));

describe('choice by minimum', () => {
  it('the chosen shop is the brute-force minimiser of price x ln(1 + distance) within the visit kind', () => {
    expect(rows.length).toBeGreaterThan(500);
    let outside = 0;
    for (const r of rows) {
      const x = Number(r.x);
      const y = Number(r.y);
      if (x < 0 || x > 3000 || y < 0 || y > 3000) outside++;
      const dist = (s: Shop) => Math.hypot(s.x - x, s.y - y);
      const best = bruteForce(SHOPS.filter((s) => s.type === r.mark), (s) => s.price * Math.log(1 + dist(s)));
      expect(Number(r.shop), `visit at (${x}, ${y})`).toBe(best.id);
      expect(Number(r.score)).toBeCloseTo(best.score, 9);
      expect(Number(r.distance)).toBeCloseTo(dist(SHOPS[best.id]), 6);
    }
    // The sample reaches queries outside the grid, where the ring bounds work differently.
    expect(outside).toBeGreaterThan(100);
  });

  it('minimize: distance without a group picks the nearest shop of all', () => {
    for (const r of rows) {
      const x = Number(r.x);
      const y = Number(r.y);
      expect(Number(r.nearest)).toBe(bruteForce(SHOPS, (s) => Math.hypot(s.x - x, s.y - y)).id);
    }
  });
});
