import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/sinks/byte-writer.js';
import { csvEncoder, csvField, type ColumnSpec, type CsvOptions } from '../../src/sinks/encoders.js';
import { rngFor } from '../../src/rng/index.js';

function bytes(w: ByteWriter): string {
  return Buffer.concat(w.take()).toString();
}

/** What a row should be: each value formatted the plain way (the encoder copies kept bytes). */
function expected(values: unknown[], o: CsvOptions): string {
  return values.map((v) => (typeof v === 'boolean' ? (v ? o.booleans[0] : o.booleans[1]) : typeof v === 'string' ? csvField(v, o.delimiter) : String(v))).join(o.delimiter) + '\n';
}

describe('CSV values', () => {
  // 60,000 rows: over 1 MiB, so some fields are written across a buffer flush.
  it('writes booleans, and strings seen again (more of them than it keeps), as the plain formatting does', () => {
    const o: CsvOptions = { delimiter: ',', header: false, booleans: ['Já', 'Não'], listSeparator: '|' };
    const words = ['essential', 'nonessential', 'a,b', 'say "hi"', 'line\nbreak', 'é', '', 'x'.repeat(80), ...Array.from({ length: 12 }, (_, i) => `w${i}`)];
    const r = rngFor(1, 'test/csv-values');
    const rows = Array.from({ length: 60000 }, () => [words[Math.floor(r() * words.length)], r() < 0.5, Math.floor(r() * 1000)]);
    const columns: ColumnSpec[] = [0, 1, 2].map((k) => ({ name: `c${k}`, value: (c: any) => c.row[k] }));
    const enc = csvEncoder(columns, o);
    const w = new ByteWriter(undefined, true);
    for (const row of rows) enc.row(w, { r: () => 0, row } as any);
    expect(bytes(w)).toBe(rows.map((row) => expected(row, o)).join(''));
  });

  // The writer takes the usual values (small integers, booleans, strings) on a short path and
  // hands everything else to a general one; one column mixing every kind must come out as the
  // plain formatting has it, whichever path a value takes and in any order.
  it('writes every other kind of value, mixed in one column, as the plain formatting does', () => {
    const o: CsvOptions = { delimiter: ';', header: false, booleans: ['yes', 'no'], listSeparator: '|' };
    const values: unknown[] = [
      0, -0, 7, 2147483647, 2147483648, -1, -2147483648, 1e21, 2 ** 53, 0.5, -3.25, 1 / 3, NaN, Infinity, -Infinity,
      true, false, 'plain', 'a;b', undefined, null, [1, 'x', true, false], ['a;b'], { k: 1 }, { s: 'a;b' },
    ];
    const plain = (v: unknown): string => {
      if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
      if (typeof v === 'boolean') return v ? 'yes' : 'no';
      if (typeof v === 'string') return csvField(v, ';');
      if (v === undefined || v === null) return '';
      if (Array.isArray(v)) return csvField(v.map((x) => (typeof x === 'boolean' ? (x ? 'yes' : 'no') : String(x))).join('|'), ';');
      return csvField(JSON.stringify(v), ';');
    };
    const r = rngFor(2, 'test/csv-values');
    const rows = Array.from({ length: 5000 }, () => values[Math.floor(r() * values.length)]);
    const enc = csvEncoder([{ name: 'v', value: (c: any) => c.v }], o);
    const w = new ByteWriter(undefined, true);
    for (const v of rows) enc.row(w, { r: () => 0, v } as any);
    expect(bytes(w)).toBe(rows.map((v) => plain(v) + '\n').join(''));
  });
});
