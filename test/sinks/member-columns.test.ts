import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/sinks/byte-writer.js';
import { csvEncoder, type ColumnSpec, type CsvOptions } from '../../src/sinks/encoders.js';
import { MemberBytes, memberKeyOf, memberRuns, type MemberKey } from '../../src/sinks/member-columns.js';
import { rngFor } from '../../src/rng/index.js';

const CSV: CsvOptions = { delimiter: ',', header: false, booleans: ['True', 'False'], listSeparator: '|' };

function bytes(w: ByteWriter): string {
  return Buffer.concat(w.take()).toString();
}

describe('member columns', () => {
  const store: MemberKey = { index: 'c.s', count: 50 };
  const actor: MemberKey = { index: 'c.a', count: 10 };

  it('keys a column only when every name it reads is constant per the same member, and it draws nothing', () => {
    const keys = { 'store.x': store, 'store.id': store, 'actor.id': actor };
    expect(memberKeyOf(['store.x', 'store.id'], false, keys)).toBe(store);
    expect(memberKeyOf(['store.x', 'actor.id'], false, keys)).toBeUndefined();
    expect(memberKeyOf(['store.x', 'kind'], false, keys)).toBeUndefined();
    expect(memberKeyOf(['store.x'], true, keys)).toBeUndefined();
    expect(memberKeyOf([], false, keys)).toBeUndefined();
    expect(memberKeyOf(['toString'], false, keys)).toBeUndefined();
  });

  it('groups adjacent columns of the same key into runs', () => {
    expect(memberRuns([actor, undefined, store, store, undefined, store, actor])).toEqual([
      { first: 0, last: 0, key: actor },
      { first: 2, last: 3, key: store },
      { first: 5, last: 5, key: store },
      { first: 6, last: 6, key: actor },
    ]);
  });

  it('writes back the bytes recorded for a member, and nothing for one not recorded or out of range', () => {
    const t = new MemberBytes(3);
    const w = new ByteWriter(undefined, true);
    expect(t.write(w, 1)).toBe(false);
    t.record(1, Buffer.from('xx12.50,7yy'), 2, 9);
    t.record(1, Buffer.from('other'), 0, 5); // recorded once: later records are ignored
    expect(t.write(w, 1)).toBe(true);
    expect(t.write(w, 0)).toBe(false);
    expect(t.write(w, -1)).toBe(false);
    expect(t.write(w, 3)).toBe(false);
    expect(bytes(w)).toBe('12.50,7');
  });

  it('an encoder with member columns writes the same bytes as without, invalid values included', () => {
    const r = rngFor(1, 'test/member-columns');
    const x = Array.from({ length: 50 }, (_, i) => (i === 7 ? NaN : (r() - 0.5) * 80000));
    const price = Array.from({ length: 50 }, () => r());
    const invalid: number[] = [];
    // A checked value: an invalid one is reported (here: counted) and null is written.
    const checkedX = (c: any) => {
      const v = x[c.s];
      if (v - v !== 0) {
        invalid.push(c.s);
        return null;
      }
      return v;
    };
    const cols = (member: boolean): ColumnSpec[] => [
      { name: 'seq', value: (c: any) => c.seq },
      { name: 'store', value: (c: any) => c.s, member: member ? store : undefined },
      { name: 'x', value: (c: any) => (checkedX(c) === null ? null : x[c.s].toFixed(2)), fixed: { value: (c: any) => x[c.s], digits: 2 }, member: member ? store : undefined },
      { name: 'cheap', value: (c: any) => price[c.s] < 0.5, member: member ? store : undefined },
      { name: 'kind', value: (c: any) => (c.seq % 2 ? 'a' : 'b') },
    ];
    const run = (member: boolean) => {
      invalid.length = 0;
      const enc = csvEncoder(cols(member), CSV);
      const w = new ByteWriter(undefined, true);
      const c = { r: () => 0, seq: 0, s: 0 };
      const pick = rngFor(2, 'test/member-columns/rows'); // the same rows in both runs
      for (let k = 0; k < 2000; k++) {
        c.seq = k;
        c.s = Math.floor(pick() * 50);
        enc.row(w, c);
        if (k % 97 === 0) w.flush(); // rows now and then start right after a flush
      }
      return { text: bytes(w), invalid: invalid.length };
    };
    const plain = run(false);
    const cached = run(true);
    expect(cached.text).toBe(plain.text);
    expect(plain.invalid).toBeGreaterThan(0);
    // The member with an invalid value is never recorded: it is reported on every row, as before.
    expect(cached.invalid).toBe(plain.invalid);
  });
});
