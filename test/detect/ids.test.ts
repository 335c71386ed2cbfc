/**
 * User numbers: decimal ids are looked up by value, everything else by string, and every distinct
 * string gets exactly one number, in order of first sight.
 */
import { describe, expect, it } from 'vitest';
import { decimalValue, UserNumbers } from '../../src/detect/ids.js';

describe('decimalValue', () => {
  it('reads canonical decimal ids and declines everything else', () => {
    expect(decimalValue('0')).toBe(0);
    expect(decimalValue('42')).toBe(42);
    expect(decimalValue('999999999999999')).toBe(999999999999999);
    for (const id of ['', '007', '00', '-1', '+1', '1.0', '1e3', ' 1', '1 ', 'abc', '12a', '1234567890123456', '٣']) {
      expect(decimalValue(id), id).toBe(-1);
    }
  });
});

describe('UserNumbers', () => {
  it('gives each distinct id one number, in order of first sight, across both lookups', () => {
    const ids = new UserNumbers();
    const order = ['7', '07', 'alice', '7', '1234567890123456', '0', '00', 'alice', '1234567890123456', '123456789012345'];
    const numbers = order.map((id) => ids.numberOf(id));
    expect(numbers).toEqual([0, 1, 2, 0, 3, 4, 5, 2, 3, 6]);
    expect(ids.size).toBe(7);
    expect(ids.find('07')).toBe(1);
    expect(ids.find('7')).toBe(0);
    expect(ids.find('8')).toBe(-1);
    expect(ids.find('bob')).toBe(-1);
  });

  it('agrees with a Map over many ids while its table grows', () => {
    const ids = new UserNumbers();
    const reference = new Map<string, number>();
    let state = 12345;
    const next = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 60_000; i++) {
      const r = next();
      // Mostly numbers (small, and large ones whose low 32 bits collide), some zero-padded or named.
      const id = r % 10 === 0 ? `0${r % 500}` : r % 10 === 1 ? `u${r % 700}` : r % 10 === 2 ? String((r % 300) * 4294967296 + 5) : String(r % 40_000);
      if (!reference.has(id)) reference.set(id, reference.size);
      expect(ids.numberOf(id)).toBe(reference.get(id));
    }
    expect(ids.size).toBe(reference.size);
    for (const [id, n] of reference) expect(ids.find(id)).toBe(n);
  });
});
