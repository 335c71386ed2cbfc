import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/sinks/byte-writer.js';
import { csvEncoder, type ColumnSpec, type CsvOptions, type SpecialColumn } from '../../src/sinks/encoders.js';
import { copyRuns, planSharing, type ShareCandidate } from '../../src/sinks/shared-columns.js';

const CSV: CsvOptions = { delimiter: '|', header: false, booleans: ['true', 'false'], listSeparator: ';' };

/** A kernel-like column writing field `key` of the record; `flushEvery` flushes mid-row now and then. */
function special(key: string, flush: { every: number; n: number }): SpecialColumn {
  return {
    csvSafe: () => true,
    csv(w, c) {
      if (++flush.n % flush.every === 0) w.flush(); // a buffer filling up in the middle of a row
      w.str(String((c as any)[key]));
    },
    jsonl: (w, c) => w.str(JSON.stringify((c as any)[key])),
  };
}

function column(name: string, key: string, flush: { every: number; n: number }): ColumnSpec {
  return { name, value: (c) => (c as any)[key], special: special(key, flush) };
}

function candidate(exprs: (string | undefined)[], hasWhere = false, settings = 'same'): ShareCandidate {
  return { records: 'p/r', settings, hasWhere, shareable: exprs };
}

function bytes(w: ByteWriter): string {
  return Buffer.concat(w.take()).toString();
}

describe('shared columns', () => {
  it('pairs an output with the first earlier one that takes every record with the same settings', () => {
    const plans = planSharing([
      candidate(['a', 'b', 'c'], true), // has a where: cannot donate
      candidate(['a', 'b', 'c']),
      candidate(['x', 'b', 'a']),
      candidate(['b', 'c'], false, 'other'), // other settings: nothing to share
      candidate(['a', undefined, 'z']), // one column in common: not worth it
    ]);
    expect(plans[0]).toBeUndefined();
    // Output 2 copies its b from output 1's b and its a from output 1's a; c is not recorded.
    const donate = plans[1]!.donate!;
    const copy = plans[2]!.copy!;
    expect(donate[2]).toBe(-1);
    expect(copy[0]).toBe(-1);
    expect(copy[1]).toBe(donate[1]);
    expect(copy[2]).toBe(donate[0]);
    expect(new Set([donate[0], donate[1]])).toEqual(new Set([0, 1]));
    expect(plans[2]?.marks).toBe(plans[1]?.marks);
    expect(plans[3]).toBeUndefined();
    expect(plans[4]).toBeUndefined();
  });

  it('a copier writes exactly the bytes it would write alone, also when the donor row crossed a flush', () => {
    for (const every of [2, 3, 7, 1_000_000]) {
      const flush = { every, n: 0 };
      const donorCols = [column('id', 'id', flush), column('amount', 'amount', flush), column('kind', 'kind', flush)];
      const copierCols = [{ name: 'first', value: (c: any) => c.first } as ColumnSpec, column('kind', 'kind', flush), column('id', 'id', flush)];
      const [donorPlan, copierPlan] = planSharing([candidate(['id', 'amount', 'kind']), candidate([undefined, 'kind', 'id'])]);
      expect(copierPlan!.copy![1]).toBe(donorPlan!.donate![2]);
      expect(copierPlan!.copy![2]).toBe(donorPlan!.donate![0]);
      const donor = csvEncoder(donorCols, CSV, donorPlan);
      const copier = csvEncoder(copierCols, CSV, copierPlan);
      const alone = csvEncoder(copierCols, CSV);
      const [wd, wc, wa] = [new ByteWriter(undefined, true), new ByteWriter(undefined, true), new ByteWriter(undefined, true)];
      for (let i = 0; i < 500; i++) {
        const record = { r: () => 0, id: `id${i * 7919}`, amount: i / 4, kind: i % 3 === 0 ? 'flow' : '', first: i };
        donor.row(wd, record);
        copier.row(wc, record);
      }
      // The copier's own writers never flush here; the reference is written without sharing.
      flush.every = 1_000_000;
      for (let i = 0; i < 500; i++) alone.row(wa, { r: () => 0, id: `id${i * 7919}`, amount: i / 4, kind: i % 3 === 0 ? 'flow' : '', first: i } as any);
      expect(bytes(wc)).toBe(bytes(wa));
      expect(bytes(wd).split('\n')).toHaveLength(501);
    }
  });
});

describe('runs of shared columns', () => {
  it('adjacent columns in both outputs are copied as one run, and the bytes stay those written alone', () => {
    for (const every of [2, 5, 1_000_000]) {
      const flush = { every, n: 0 };
      const donorCols = [column('id', 'id', flush), column('amount', 'amount', flush), column('kind', 'kind', flush)];
      const copierCols = [{ name: 'first', value: (c: any) => c.first } as ColumnSpec, column('id', 'id', flush), column('amount', 'amount', flush), column('kind', 'kind', flush)];
      const [donorPlan, copierPlan] = planSharing([candidate(['id', 'amount', 'kind']), candidate([undefined, 'id', 'amount', 'kind'])]);
      expect(copyRuns(copierPlan, 4)).toEqual([
        { first: 0, last: 0, copied: false },
        { first: 1, last: 3, copied: true },
      ]);
      const donor = csvEncoder(donorCols, CSV, donorPlan);
      const copier = csvEncoder(copierCols, CSV, copierPlan);
      const [wd, wc] = [new ByteWriter(undefined, true), new ByteWriter(undefined, true)];
      const records = Array.from({ length: 300 }, (_, i) => ({ r: () => 0, id: `id${i * 31}`, amount: i / 8, kind: i % 4 === 0 ? 'circular' : '', first: i }));
      for (const record of records) {
        donor.row(wd, record);
        copier.row(wc, record);
      }
      const expected = records.map((r) => `${r.first}|${r.id}|${r.amount}|${r.kind}\n`).join('');
      expect(bytes(wc)).toBe(expected);
    }
  });
});
