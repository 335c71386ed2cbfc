/**
 * Column types for Parquet, inferred from the values. While a run streams, each column is
 * staged in DuckDB under a broad kind (numbers as DOUBLE, lists as delimited text); the
 * final Parquet type is chosen when the file is written, from what every row held:
 *
 * | values                                  | Parquet type        |
 * | --------------------------------------- | ------------------- |
 * | numbers, all integers                   | INT64               |
 * | numbers, some not integers              | DOUBLE              |
 * | booleans                                | BOOLEAN             |
 * | strings, all `YYYY-MM-DDTHH:MM:SS[.f]Z` | TIMESTAMP (UTC)     |
 * | strings, all `YYYY-MM-DD`               | DATE                |
 * | strings, all `HH:MM:SS[.f]`             | TIME                |
 * | strings, all decimals like `-12.50`     | DOUBLE              |
 * | other strings                           | VARCHAR (UTF8)      |
 * | lists (numbers: BIGINT or DOUBLE items) | LIST<VARCHAR>, ...  |
 * | a mix of the above, or objects          | VARCHAR (as in CSV) |
 *
 * null, undefined and non-finite numbers are NULL. A column with no values is VARCHAR.
 * The result depends only on the values in row order, so it is the same for any number of
 * workers.
 */

export type Kind = 'null' | 'number' | 'boolean' | 'string' | 'list' | 'text';

/** What the values of one column have been so far. */
export interface ColumnStats {
  kind: Kind;
  /** Every number (or list item) is an integer within 2^53. */
  integers: boolean;
  /** Every string is an ISO timestamp / an ISO date. */
  timestamps: boolean;
  dates: boolean;
  times: boolean;
  /** Every string is a decimal number with a point (what `fixed(x, 2)` gives). */
  decimals: boolean;
  /** Every list item is a number. */
  numericItems: boolean;
}

/** Starts each list item in the staging table, so [] ('') and [""] (one separator) differ. */
export const ITEM_START = '\u001f';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;
const DECIMAL = /^-?\d{1,15}\.\d+$/;

export function newStats(): ColumnStats {
  return { kind: 'null', integers: true, timestamps: true, dates: true, times: true, decimals: true, numericItems: true };
}

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? 'number' : 'null';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'undefined':
      return 'null';
    default:
      if (v === null) return 'null';
      return Array.isArray(v) ? 'list' : 'text';
  }
}

/** The kind a column must have to hold both what it held and a value of kind `k`. */
export function widen(current: Kind, k: Kind): Kind {
  if (k === 'null' || k === current || current === 'text') return current;
  return current === 'null' ? k : 'text';
}

/** DuckDB type of a kind in the staging table. */
export function stagingType(kind: Kind): 'DOUBLE' | 'BOOLEAN' | 'VARCHAR' {
  return kind === 'number' ? 'DOUBLE' : kind === 'boolean' ? 'BOOLEAN' : 'VARCHAR';
}

/** A value as CSV would show it: the text form of a mixed column. */
export function textOf(v: unknown): string | null {
  switch (kindOf(v)) {
    case 'null':
      return null;
    case 'string':
      return v as string;
    case 'number':
    case 'boolean':
      return String(v);
    default:
      return JSON.stringify(v);
  }
}

/**
 * Converts one column of a batch to its staging values (for a column of kind `stats.kind`,
 * which every value fits) and updates the stats.
 */
export function stage(values: unknown[], stats: ColumnStats): unknown[] {
  const out = new Array<unknown>(values.length);
  switch (stats.kind) {
    case 'number':
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (typeof v === 'number' && Number.isFinite(v)) {
          out[i] = v;
          if (stats.integers && !isSafeInteger(v)) stats.integers = false;
        } else out[i] = null;
      }
      return out;
    case 'boolean':
      for (let i = 0; i < values.length; i++) out[i] = typeof values[i] === 'boolean' ? values[i] : null;
      return out;
    case 'string':
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (typeof v !== 'string') {
          out[i] = null;
          continue;
        }
        out[i] = v;
        if (stats.timestamps && !TIMESTAMP.test(v)) stats.timestamps = false;
        if (stats.dates && !DATE.test(v)) stats.dates = false;
        if (stats.times && !TIME.test(v)) stats.times = false;
        if (stats.decimals && !DECIMAL.test(v)) stats.decimals = false;
      }
      return out;
    case 'list':
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        out[i] = Array.isArray(v) ? joinItems(v, stats) : null;
      }
      return out;
    case 'text':
      for (let i = 0; i < values.length; i++) out[i] = textOf(values[i]);
      return out;
    default:
      return out.fill(null);
  }
}

function isSafeInteger(v: number): boolean {
  return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER;
}

function joinItems(items: unknown[], stats: ColumnStats): string {
  let s = '';
  for (const item of items) {
    if (typeof item === 'number') {
      if (stats.integers && !isSafeInteger(item)) stats.integers = false;
    } else stats.numericItems = false;
    const text = typeof item === 'string' ? item : (textOf(item) ?? '');
    if (text.includes(ITEM_START)) throw new Error('a list item holds the control character U+001F, which Parquet outputs reserve');
    s += ITEM_START + text;
  }
  return s;
}

/** SQL that turns staged column `col` (already quoted) into its final type. */
export function finalExpr(col: string, stats: ColumnStats): string {
  switch (stats.kind) {
    case 'number':
      return stats.integers ? `CAST(${col} AS BIGINT)` : col;
    case 'string':
      if (stats.timestamps) return `CAST(${col} AS TIMESTAMP)`;
      if (stats.dates) return `CAST(${col} AS DATE)`;
      if (stats.times) return `CAST(${col} AS TIME)`;
      if (stats.decimals) return `CAST(${col} AS DOUBLE)`;
      return col;
    case 'list':
      return listItems(col, stats.numericItems ? (stats.integers ? 'BIGINT' : 'DOUBLE') : 'VARCHAR');
    default:
      return col;
  }
}

/** The staged text back as a list; the cast sits in the branch, so '' never meets it. */
function listItems(col: string, item: 'VARCHAR' | 'BIGINT' | 'DOUBLE' = 'VARCHAR'): string {
  const items = `string_split(substr(${col}, 2), chr(31))`;
  return `CASE WHEN ${col} = '' THEN CAST([] AS ${item}[]) ELSE ${item === 'VARCHAR' ? items : `CAST(${items} AS ${item}[])`} END`;
}

/** SQL that rewrites a staged column of kind `from` as text (when a column turns out mixed). */
export function asTextExpr(col: string, from: Kind): string {
  switch (from) {
    case 'number':
      // Integers as JavaScript prints them ("3", not DuckDB's "3.0").
      return `CASE WHEN ${col} = trunc(${col}) AND abs(${col}) <= 9007199254740991 THEN CAST(CAST(${col} AS BIGINT) AS VARCHAR) ELSE CAST(${col} AS VARCHAR) END`;
    case 'list':
      return `CAST(to_json(${listItems(col)}) AS VARCHAR)`;
    default:
      return `CAST(${col} AS VARCHAR)`;
  }
}
