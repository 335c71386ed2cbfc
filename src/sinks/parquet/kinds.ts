/**
 * Column types for Parquet, inferred from the values. While a run streams, each column is
 * staged in DuckDB under a broad kind (numbers as DOUBLE, lists as delimited text); each row
 * group is written with the Parquet type that every row so far calls for, and the file ends
 * with the type that every row called for (duckdb-file.ts joins row groups written under
 * narrower types, with convertExpr):
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
 *
 * (for these four: real dates and times, years 1000 to 9999, the same number of digits after
 * the point in every value, at most 15 digits in a decimal; so each typed value gives its
 * string back exactly, should a later row turn the column to text)
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
  /** Every string is an ISO timestamp / an ISO date / a time of day, as below. */
  timestamps: boolean;
  dates: boolean;
  times: boolean;
  /** Every string is a decimal number with a point (what `fixed(x, 2)` gives), as below. */
  decimals: boolean;
  /**
   * Digits after the point shared by every timestamp, time or decimal string so far; -1
   * before the first. A column whose strings differ in it is text: a typed value must give
   * its string back exactly (when a later row group turns the column to text, the row
   * groups written before are turned back, see textExpr).
   */
  digits: number;
  /** Every list item is a number. */
  numericItems: boolean;
}

/** Starts each list item in the staging table, so [] ('') and [""] (one separator) differ. */
export const ITEM_START = '\u001f';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;
/** At most 15 significant digits, no leading zeros: the double prints back as the same string. */
const DECIMAL = /^-?(?:0|[1-9]\d{0,13})\.(\d{1,14})$/;

export function newStats(): ColumnStats {
  return { kind: 'null', integers: true, timestamps: true, dates: true, times: true, decimals: true, digits: -1, numericItems: true };
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real calendar date with a year of four digits (1000 to 9999). */
function validDate(y: string, m: string, d: string): boolean {
  const year = +y;
  const month = +m;
  const day = +d;
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]) return false;
  return month !== 2 || day < 29 || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
}

function validTime(h: string, m: string, s: string): boolean {
  return +h < 24 && +m < 60 && +s < 60;
}

/** Digits after the point of a string (undefined: none), checked against the column's. */
function sameDigits(stats: ColumnStats, fraction: string | undefined): boolean {
  const n = fraction === undefined ? 0 : fraction.length;
  if (stats.digits === -1) stats.digits = n;
  return stats.digits === n;
}

/** Updates the typed-string flags of a string column with one value. */
function checkString(v: string, stats: ColumnStats): void {
  if (stats.timestamps) {
    const m = TIMESTAMP.exec(v);
    if (!m || !validDate(m[1], m[2], m[3]) || !validTime(m[4], m[5], m[6]) || !sameDigits(stats, m[7])) stats.timestamps = false;
  }
  if (stats.dates) {
    const m = DATE.exec(v);
    if (!m || !validDate(m[1], m[2], m[3])) stats.dates = false;
  }
  if (stats.times) {
    const m = TIME.exec(v);
    if (!m || !validTime(m[1], m[2], m[3]) || !sameDigits(stats, m[4])) stats.times = false;
  }
  if (stats.decimals) {
    const m = DECIMAL.exec(v);
    if (!m || v.length - (v[0] === '-' ? 2 : 1) > 15 || !sameDigits(stats, m[1])) stats.decimals = false;
  }
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
        if (stats.timestamps || stats.dates || stats.times || stats.decimals) checkString(v, stats);
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
      return numberText(col);
    case 'list':
      return `CAST(to_json(${listItems(col)}) AS VARCHAR)`;
    default:
      return `CAST(${col} AS VARCHAR)`;
  }
}

/** The Parquet (DuckDB) type of a column, from its stats: what finalExpr gives. */
export function finalType(stats: ColumnStats): string {
  switch (stats.kind) {
    case 'number':
      return stats.integers ? 'BIGINT' : 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'string':
      if (stats.timestamps) return 'TIMESTAMP';
      if (stats.dates) return 'DATE';
      if (stats.times) return 'TIME';
      if (stats.decimals) return 'DOUBLE';
      return 'VARCHAR';
    case 'list':
      return stats.numericItems ? (stats.integers ? 'BIGINT[]' : 'DOUBLE[]') : 'VARCHAR[]';
    default:
      return 'VARCHAR';
  }
}

/**
 * SQL that turns column `col` of a file written when the column's stats were `from` into its
 * type under the later stats `to` (a column only widens: see widen and the stats flags).
 */
export function convertExpr(col: string, from: ColumnStats, to: ColumnStats): string {
  const a = finalType(from);
  const b = finalType(to);
  if (a === b) return col;
  if (from.kind === 'null') return `CAST(NULL AS ${b})`;
  if (b === 'VARCHAR') return textExpr(col, from);
  if (a === 'BIGINT' && b === 'DOUBLE') return `CAST(${col} AS DOUBLE)`;
  if (a === 'BIGINT[]' && b === 'DOUBLE[]') return `CAST(${col} AS DOUBLE[])`;
  if (b === 'VARCHAR[]') return `list_transform(${col}, x -> ${numberText('x')})`;
  throw new Error(`internal error: a Parquet column cannot go from ${a} to ${b}`);
}

/** A number as JavaScript prints it: integers without ".0". */
function numberText(x: string): string {
  return `CASE WHEN ${x} = trunc(${x}) AND abs(${x}) <= 9007199254740991 THEN CAST(CAST(${x} AS BIGINT) AS VARCHAR) ELSE CAST(${x} AS VARCHAR) END`;
}

/**
 * SQL that gives a typed column back as the strings it was made from (when a later row group
 * turns the column to text). Exact for typed strings, which all share their digits after the
 * point; lists become JSON, as a list in a text column does.
 */
function textExpr(col: string, from: ColumnStats): string {
  const d = Math.max(from.digits, 0);
  switch (from.kind) {
    case 'number':
      return from.integers ? `CAST(${col} AS VARCHAR)` : numberText(col);
    case 'string':
      if (from.timestamps) return d ? `substr(strftime(${col}, '%Y-%m-%dT%H:%M:%S.%f'), 1, ${20 + d}) || 'Z'` : `strftime(${col}, '%Y-%m-%dT%H:%M:%SZ')`;
      if (from.dates) return `strftime(${col}, '%Y-%m-%d')`;
      if (from.times) return `substr(strftime(DATE '2000-01-01' + ${col}, '%H:%M:%S.%f'), 1, ${d ? 9 + d : 8})`;
      if (from.decimals) return `printf('%.${d}f', ${col})`;
      return col;
    case 'list':
      return `CAST(to_json(${col}) AS VARCHAR)`;
    default:
      return `CAST(${col} AS VARCHAR)`;
  }
}
