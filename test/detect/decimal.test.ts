/**
 * Exact amounts, the exact anomaly test, timestamps and the header line.
 */
import { describe, expect, it } from 'vitest';
import { formatCents, isqrt, isqrtSafe, parseAmount, type Amount } from '../../src/detect/decimal.js';
import { timestampKey } from '../../src/detect/events.js';
import { parseHeader } from '../../src/detect/header.js';
import { judge } from '../../src/detect/stats.js';

const amounts = (...texts: string[]): Amount[] => texts.map((t) => parseAmount(t)!);
const verdict = (baseline: string[], amount: string) => {
  const base = amounts(...baseline);
  const cents = Float64Array.from(base, (a) => a.cents);
  return judge(cents, base.length, parseAmount(amount)!, (i) => base[i].exact!);
};

describe('parseAmount', () => {
  it('keeps whole cents as numbers', () => {
    expect(parseAmount('16.83')).toEqual({ cents: 1683, exact: null });
    expect(parseAmount('7')).toEqual({ cents: 700, exact: null });
    expect(parseAmount('0.5')).toEqual({ cents: 50, exact: null });
    expect(parseAmount('1.500')).toEqual({ cents: 150, exact: null });
    expect(parseAmount(' 2.00 ')).toEqual({ cents: 200, exact: null });
  });

  it('keeps finer or larger amounts exactly', () => {
    expect(parseAmount('10.005')).toEqual({ cents: NaN, exact: { units: 10005n, scale: 3 } });
    expect(parseAmount('12345678901234.56')).toEqual({ cents: NaN, exact: { units: 1234567890123456n, scale: 2 } });
  });

  it('rejects what is not a non-negative decimal', () => {
    for (const bad of ['', '-5.00', '+5', '1e3', '1.2.3', 'abc', '.5', '5.', 'NaN']) expect(parseAmount(bad)).toBeNull();
  });
});

describe('integer square roots and cents', () => {
  it('isqrt is the floor of the root', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 99n, 100n, 101n, 10n ** 40n - 1n, 10n ** 40n, 10n ** 40n + 1n]) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
    for (const n of [0, 1, 15, 16, 17, 2 ** 52 - 1, 2 ** 52, Number.MAX_SAFE_INTEGER]) {
      const r = isqrtSafe(n);
      expect(BigInt(r) ** 2n <= BigInt(n) && BigInt(r + 1) ** 2n > BigInt(n)).toBe(true);
    }
  });

  it('formats cents with two decimals', () => {
    expect(formatCents(2910)).toBe('29.10');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(123456789012345678901234n)).toBe('1234567890123456789012.34');
  });
});

describe('judge', () => {
  it('matches the official example', () => {
    expect(verdict(['16.83', '59.28', '11.20'], '1601.83')).toEqual({ mean: '29.10', sd: '21.46' });
  });

  it('does not flag exactly mean + 3 sd, flags one cent above', () => {
    expect(verdict(['10.00', '20.00'], '30.00')).toBeNull();
    expect(verdict(['10.00', '20.00'], '30.01')).toEqual({ mean: '15.00', sd: '5.00' });
    // Where floating point would put the threshold at 0.8099999999999999.
    expect(verdict(['0.01', '0.41'], '0.81')).toBeNull();
    expect(verdict(['0.01', '0.41'], '0.82')).toEqual({ mean: '0.21', sd: '0.20' });
  });

  it('truncates mean and sd instead of rounding', () => {
    expect(verdict(['0.01', '0.02'], '0.04')).toEqual({ mean: '0.01', sd: '0.00' });
    expect(verdict(['1.00', '2.00', '4.00'], '6.08')).toEqual({ mean: '2.33', sd: '1.24' });
  });

  it('flags anything above the mean when sd is 0', () => {
    expect(verdict(['10.00', '10.00'], '10.00')).toBeNull();
    expect(verdict(['10.00', '10.00'], '10.01')).toEqual({ mean: '10.00', sd: '0.00' });
  });

  it('is exact beyond the safe-integer range and with more decimals', () => {
    expect(verdict(['1000000000.00', '3000000000.00'], '5000000000.00')).toBeNull();
    expect(verdict(['1000000000.00', '3000000000.00'], '5000000000.01')).toEqual({ mean: '2000000000.00', sd: '1000000000.00' });
    expect(verdict(['10.005', '20.005'], '30.005')).toBeNull();
    expect(verdict(['10.005', '20.005'], '30.0051')).toEqual({ mean: '15.00', sd: '5.00' });
    expect(verdict(['10.00', '20.00'], '30.001')).toEqual({ mean: '15.00', sd: '5.00' });
  });
});

describe('timestampKey', () => {
  it('orders like the time and rejects impossible dates', () => {
    const keys = ['2016-12-31 23:59:59', '2017-01-01 00:00:00', '2017-01-01 00:00:01', '2017-02-28 12:00:00', '2017-03-01 00:00:00'].map(timestampKey);
    for (let i = 1; i < keys.length; i++) expect(keys[i]).toBeGreaterThan(keys[i - 1]);
    expect(timestampKey('2016-02-29 00:00:00')).not.toBeNaN();
    for (const bad of ['2017-02-29 00:00:00', '1900-02-29 00:00:00', '2017-13-01 00:00:00', '2017-06-13 24:00:00', '2017-06-13 11:60:00', '2017-06-13T11:33:01', '2017-6-13 11:33:01', '']) {
      expect(timestampKey(bad)).toBeNaN();
    }
    expect(timestampKey('2000-02-29 00:00:00')).not.toBeNaN();
  });
});

describe('parseHeader', () => {
  it('reads D and T given as strings or numbers', () => {
    expect(parseHeader('{"D":"3", "T":"50"}')).toEqual({ D: 3, T: 50, problem: null, isEvent: false });
    expect(parseHeader('{"D":2,"T":10}')).toEqual({ D: 2, T: 10, problem: null, isEvent: false });
  });

  it('falls back to the defaults per bad parameter', () => {
    const h = parseHeader('{"D":"0", "T":"7"}');
    expect([h.D, h.T]).toEqual([3, 7]);
    expect(h.problem).toContain('D must be an integer >= 1');
    expect(parseHeader('{"D":"2", "T":"1"}').T).toBe(50);
    expect(parseHeader('{"D":"2.5", "T":"3"}').D).toBe(3);
    expect(parseHeader('not json').problem).toBe('header is not valid JSON');
    expect(parseHeader('{"event_type":"purchase"}')).toMatchObject({ isEvent: true, problem: 'missing header line' });
  });
});

/**
 * parseAmount and timestampKey read the usual text by hand; these compare them with the
 * regular-expression versions they replaced, on texts mutated around valid ones.
 */
describe('hand-written readers agree with regular expressions', () => {
  let state = 20170613;
  const next = (n: number): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % n;
  const mutate = (text: string, alphabet: string): string => {
    const chars = [...text];
    const edits = next(3);
    for (let e = 0; e < edits; e++) {
      const at = next(chars.length + 1);
      const c = alphabet[next(alphabet.length)];
      const op = next(3);
      if (op === 0) chars.splice(at, 0, c);
      else if (op === 1) chars.splice(at, 1);
      else chars[Math.min(at, chars.length - 1)] = c;
    }
    return chars.join('');
  };

  it('parseAmount', () => {
    const byRegex = (text: string): { cents: number; exact: { units: bigint; scale: number } | null } | null => {
      const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
      if (m === null) return null;
      const frac = (m[2] ?? '').replace(/0+$/, '');
      if (frac.length <= 2 && m[1].length <= 13) return { cents: Number(m[1]) * 100 + (frac.length === 0 ? 0 : Number(frac.padEnd(2, '0'))), exact: null };
      return { cents: NaN, exact: { units: BigInt(m[1] + frac), scale: frac.length } };
    };
    const seeds = ['16.83', '7', '0.5', '1.500', '10.005', '1234567890123.45', '12345678901234.5', '0.00', '00.10', '99.990'];
    for (let i = 0; i < 20_000; i++) {
      const text = mutate(seeds[next(seeds.length)], '0123456789.0 9-e');
      expect(parseAmount(text), JSON.stringify(text)).toEqual(byRegex(text));
    }
  });

  it('timestampKey', () => {
    const byRegex = (text: string): number => {
      const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
      if (m === null) return NaN;
      const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
      const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      const monthDays = month === 2 && leap ? 29 : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
      if (month < 1 || month > 12 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return NaN;
      return ((year * 12 + month - 1) * 31 + day - 1) * 86400 + hour * 3600 + minute * 60 + second;
    };
    const seeds = ['2017-06-13 11:33:01', '2016-02-29 23:59:59', '1900-02-28 00:00:00', '2017-12-31 12:30:45', '2000-02-29 01:02:03'];
    for (let i = 0; i < 20_000; i++) {
      const text = mutate(seeds[next(seeds.length)], '0123456789-: T/');
      expect(timestampKey(text), JSON.stringify(text)).toEqual(byRegex(text));
    }
  });
});
