import { describe, expect, it } from 'vitest';
import { rngFor } from '../../src/rng/index.js';
import { ByteWriter } from '../../src/sinks/byte-writer.js';
import { writeFixed } from '../../src/sinks/fixed-decimal.js';

const w = new ByteWriter();

/** What writeFixed writes, as text. */
function written(x: number, digits: number): string {
  w.pos = 0;
  writeFixed(w, x, digits);
  return w.buf.subarray(0, w.pos).toString('latin1');
}

describe('writeFixed', () => {
  it('writes what toFixed gives, ties, signs and sizes included', () => {
    const cases = [0, -0, 0.5, 1.5, 2.5, -2.5, 0.125, 1.005, 1.045, -0.001, -0.005, 1e-7, 0.05, 99.995, 123456.789, 2 ** 52, 2 ** 53 + 2, 1e20, 1e21, 5e-324, 4503599627370495.5];
    for (const x of cases) for (let d = 0; d <= 20; d++) expect(written(x, d), `${x} ${d}`).toBe(x.toFixed(d));
  });

  it('agrees with toFixed on random numbers of every magnitude', () => {
    const r = rngFor(1, 'test/fixed');
    for (let i = 0; i < 200_000; i++) {
      const x = (r() - 0.5) * 10 ** Math.floor(r() * 24 - 8);
      const d = Math.floor(r() * 21);
      const e = x.toFixed(d);
      if (written(x, d) !== e) expect(written(x, d), `${x} ${d}`).toBe(e);
    }
    // Values on a decimal grid, where ties and near-ties are common.
    for (let i = 0; i < 200_000; i++) {
      const d = Math.floor(r() * 6);
      const x = Math.round((r() - 0.5) * 1e7) / 10 ** (d + 1);
      if (written(x, d) !== x.toFixed(d)) expect(written(x, d), `${x} ${d}`).toBe(x.toFixed(d));
    }
  });
});
