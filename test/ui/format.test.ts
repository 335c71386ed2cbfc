import { describe, expect, it } from 'vitest';
import {
  alignColumns,
  ASCII_BAR,
  formatBytes,
  formatCount,
  formatDuration,
  formatInteger,
  formatLabel,
  formatPercent,
  formatRate,
  outputTable,
  progressBar,
  stageCounts,
  stageEta,
  stageRate,
} from '../../src/ui/format.js';
import type { StageState } from '../../src/ui/state.js';

function stageWith(fields: Partial<StageState>): StageState {
  return {
    id: 's',
    label: 's',
    total: 0,
    unit: 'events',
    status: 'running',
    done: 0,
    rows: 0,
    bytes: 0,
    startedAtMs: 0,
    seconds: undefined,
    rate: 0,
    rowsRate: 0,
    etaSeconds: undefined,
    sample: undefined,
    ...fields,
  };
}

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1.0 k'],
    [1234, '1.2 k'],
    [12_345, '12.3 k'],
    [123_456, '123 k'],
    [1_200_000, '1.2 M'],
    [3_400_000_000, '3.4 G'],
    [-1500, '-1.5 k'],
  ])('%d -> %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
  });

  it('moves to the next unit when rounding reaches it', () => {
    expect(formatCount(999.7)).toBe('1.0 k');
    expect(formatCount(999_960)).toBe('1.0 M');
  });

  it('prints unknown for non-finite numbers', () => {
    expect(formatCount(Number.NaN)).toBe('?');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
    [120.4 * 1024 * 1024, '120 MiB'],
    [2 * 1024 ** 3, '2.0 GiB'],
  ])('%d -> %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it('uses binary units, not decimal ones', () => {
    expect(formatBytes(1000)).toBe('1000 B');
    expect(formatBytes(1048575)).toBe('1.0 MiB');
  });
});

describe('formatInteger', () => {
  it('groups thousands with commas whatever the locale', () => {
    expect(formatInteger(0)).toBe('0');
    expect(formatInteger(999)).toBe('999');
    expect(formatInteger(10_080)).toBe('10,080');
    expect(formatInteger(1_234_567)).toBe('1,234,567');
    expect(formatInteger(-1_234_567)).toBe('-1,234,567');
  });
});

describe('formatPercent', () => {
  it('scales a fraction and keeps the requested decimals', () => {
    expect(formatPercent(0.4)).toBe('40%');
    expect(formatPercent(0.0084, 2)).toBe('0.84%');
    expect(formatPercent(1)).toBe('100%');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0.0s'],
    [0.42, '0.4s'],
    [9.94, '9.9s'],
    [9.96, '10s'],
    [42.4, '42s'],
    [59.6, '1m 00s'],
    [65, '1m 05s'],
    [3599, '59m 59s'],
    [3600, '1h 00m'],
    [7385, '2h 03m'],
  ])('%d s -> %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });

  it('prints unknown for negative or infinite durations', () => {
    expect(formatDuration(-1)).toBe('?');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
  });
});

describe('formatRate', () => {
  it('scales fast rates and keeps a decimal on slow ones', () => {
    expect(formatRate(12_345, 'rows')).toBe('12.3 k rows/s');
    expect(formatRate(0.5, 'rows')).toBe('0.5 rows/s');
    expect(formatRate(42, 'events')).toBe('42 events/s');
    expect(formatRate(3, '')).toBe('3.0/s');
  });
});

describe('progressBar', () => {
  it('is exactly as wide as asked', () => {
    for (const f of [0, 0.33, 0.5, 1]) expect([...progressBar(f, 20)]).toHaveLength(20);
  });

  it('fills the given fraction, rounding down', () => {
    expect(progressBar(0.5, 10)).toBe('█████░░░░░');
    expect(progressBar(0.999, 10)).toBe('█████████░');
    expect(progressBar(1, 4)).toBe('████');
    expect(progressBar(0.25, 8, ASCII_BAR)).toBe('##------');
  });

  it('clamps fractions outside [0, 1] and treats NaN as empty', () => {
    expect(progressBar(1.7, 4)).toBe('████');
    expect(progressBar(-0.2, 4)).toBe('░░░░');
    expect(progressBar(Number.NaN, 4)).toBe('░░░░');
    expect(progressBar(0.5, 0)).toBe('');
  });
});

describe('stage text', () => {
  it('shows rows per second when the stage writes rows, its unit otherwise', () => {
    expect(stageRate(stageWith({ rows: 10, rowsRate: 2500, rate: 7 }))).toBe('2.5 k rows/s');
    expect(stageRate(stageWith({ rows: 0, rate: 7, unit: 'events' }))).toBe('7.0 events/s');
  });

  it('shows done/total with a percentage, or only done when the total is unknown', () => {
    expect(stageCounts(stageWith({ done: 4000, total: 10_000, unit: 'actors' }))).toBe('4,000/10,000 actors (40%)');
    expect(stageCounts(stageWith({ done: 4000, total: 0, unit: 'actors' }))).toBe('4,000 actors');
  });

  it('shows an unknown ETA as a question mark', () => {
    expect(stageEta(stageWith({ etaSeconds: 65 }))).toBe('ETA 1m 05s');
    expect(stageEta(stageWith({ etaSeconds: undefined }))).toBe('ETA ?');
  });
});

describe('tables', () => {
  it('aligns columns, numbers to the right, without trailing spaces', () => {
    expect(
      alignColumns(
        [
          ['name', 'rows'],
          ['users', '9'],
          ['tx', '1,000'],
        ],
        new Set([1]),
      ),
    ).toEqual(['name    rows', 'users      9', 'tx     1,000']);
  });

  it('describes a label by column, prevalence and positive count', () => {
    expect(formatLabel({ column: 'is_fraud', positive: 10_080, share: 0.0084 })).toBe(
      'is_fraud 0.84% (10,080 positive)',
    );
    expect(formatLabel(undefined)).toBe('-');
  });

  it('lays out the output table with a header row', () => {
    expect(
      outputTable([
        { name: 'users', file: 'users.csv', rows: 10_000, bytes: 1536 },
        {
          name: 'transactions',
          file: 'tx.parquet',
          rows: 1_200_000,
          bytes: 120.4 * 1024 * 1024,
          label: { column: 'is_fraud', positive: 10_080, share: 0.0084 },
        },
      ]),
    ).toEqual([
      'output        file             rows     size  label',
      'users         users.csv      10,000  1.5 KiB  -',
      'transactions  tx.parquet  1,200,000  120 MiB  is_fraud 0.84% (10,080 positive)',
    ]);
  });

  it('leaves out the file column on request', () => {
    expect(
      outputTable([{ name: 'users', file: 'users.csv', rows: 10_000, bytes: 1536 }], { withFile: false }),
    ).toEqual(['output    rows     size  label', 'users   10,000  1.5 KiB  -']);
  });
});
