/**
 * Row encoders for CSV (RFC 4180) and JSON Lines. A row is a list of column writers; each
 * writer encodes one value of the current record straight into the ByteWriter.
 */
import type { ExprContext } from '../expr/compile.js';
import type { ByteWriter } from './byte-writer.js';
import { writeFixed } from './fixed-decimal.js';
import { MemberBytes, memberRuns, type MemberKey } from './member-columns.js';
import { copyBytes, copyRuns, type SharePlan } from './shared-columns.js';

export type Format = 'csv' | 'jsonl' | 'parquet' | 'csv.gz' | 'jsonl.gz';

/** Every output format, for the schema and `--format` (docs/formats.md). */
export const FORMATS: readonly Format[] = ['csv', 'jsonl', 'parquet', 'csv.gz', 'jsonl.gz'];

/** True for the formats written through gzip. */
export function isGzip(format: Format): boolean {
  return format.endsWith('.gz');
}

/** A column whose value is written by a kernel-specific writer (e.g. a session path). */
export interface SpecialColumn {
  /** False when this writer cannot produce a valid unquoted CSV field with these settings. */
  csvSafe(listSeparator: string, delimiter: string, booleans: [string, string]): boolean;
  /** `booleans`: the output's true and false words, encoded. */
  csv(w: ByteWriter, c: ExprContext, listSeparator: Uint8Array, booleans: [Uint8Array, Uint8Array]): void;
  jsonl(w: ByteWriter, c: ExprContext): void;
}

export interface ColumnSpec {
  name: string;
  value?: (c: ExprContext) => unknown;
  special?: SpecialColumn;
  /**
   * A `fixed(x, digits)` column: x alone. When x is a finite number the writer formats it
   * itself (the same bytes as `value`, without the string); otherwise `value` is written.
   */
  fixed?: { value: (c: ExprContext) => unknown; digits: number };
  /** Set when the value depends on one member of a population only (member-columns.ts). */
  member?: MemberKey;
}

/** x of a fixed column, or undefined when it must go through `value` (not a finite number, or it threw). */
function fixedNumber(f: NonNullable<ColumnSpec['fixed']>, c: ExprContext): number | undefined {
  let v: unknown;
  try {
    v = f.value(c);
  } catch {
    return undefined;
  }
  return typeof v === 'number' && v - v === 0 ? v : undefined;
}

/** Characters of a fixed number: a delimiter among them would need quoting. */
const NUMBER_CHARS = '-.0123456789';

export interface CsvOptions {
  delimiter: string;
  header: boolean;
  booleans: [string, string];
  listSeparator: string;
}

export interface RowEncoder {
  header(w: ByteWriter): void;
  row(w: ByteWriter, c: ExprContext): void;
}

/** RFC 4180: quote a field when it holds the delimiter, a quote or a line break. */
export function csvField(s: string, delimiter: string): string {
  if (s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r')) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

type CsvValue = (w: ByteWriter, v: unknown, o: CsvOptions) => void;

/** Strings whose encoded field a column's writer keeps (see CSV_VALUE_SOURCE). */
const STRING_MEMO = 8;

/**
 * Writes one value as a CSV field. Its source is compiled afresh for each column (see
 * csvValueWriter), so each copy's type feedback is that column's alone: a number column's
 * copy is optimised for numbers, a text column's for text. One function shared by every
 * column saw every type and was optimised for none (and was too big to inline anywhere).
 *
 * Hand-written for the hot path: booleans are copied from their words encoded once (BOOLS),
 * and each copy keeps the encoded bytes of the first STRING_MEMO strings it writes, copied
 * when the same string comes again (a category such as a product type is a handful of
 * values): reading a string a character at a time cost several times the copy. The bytes
 * kept are the ones csvField wrote, so the output is the same.
 */
const CSV_VALUE_SOURCE = `"use strict";
const memoText = [], memoBytes = [];
function text(w, v, o) {
  const n = memoText.length;
  for (let k = 0; k < n; k++) {
    if (memoText[k] === v) {
      w.raw(memoBytes[k]);
      return;
    }
  }
  const start = w.pos, flushes = w.flushes;
  w.csvField(v, o.delimiter.charCodeAt(0));
  // Kept only when the field is whole in this buffer (no flush while writing it).
  if (n < MEMO && w.flushes === flushes) {
    memoText.push(v);
    memoBytes.push(new Uint8Array(w.buf.subarray(start, w.pos)));
  }
}
function other(w, v, o) {
  if (v === undefined || v === null) return;
  if (typeof v === 'number') {
    if (Number.isInteger(v)) w.int(v);
    else w.str(Number.isFinite(v) ? String(v) : '');
  } else if (Array.isArray(v)) w.str(csvField(v.map((x) => (typeof x === 'boolean' ? (x ? o.booleans[0] : o.booleans[1]) : String(x))).join(o.listSeparator), o.delimiter));
  else w.str(csvField(JSON.stringify(v), o.delimiter));
}
// Small enough for V8 to inline into the row writer: the usual values (counts and ids,
// booleans, category strings) take one test each; the rest goes to the functions above.
return function csvValue(w, v, o) {
  if (typeof v === 'number' && v >= 0 && v <= 2147483647 && Math.floor(v) === v) w.uint(v);
  else if (typeof v === 'boolean') w.raw(v ? BOOLS[0] : BOOLS[1]);
  else if (typeof v === 'string') text(w, v, o);
  else other(w, v, o);
};`;

/** A fresh copy of the CSV value writer (one per column); `bools`: the output's true and false words, encoded. */
function csvValueWriter(bools: [Uint8Array, Uint8Array]): CsvValue {
  // eslint-disable-next-line no-new-func -- fixed source, no user text.
  return new Function('csvField', 'BOOLS', 'MEMO', CSV_VALUE_SOURCE)(csvField, bools, STRING_MEMO) as CsvValue;
}

export function jsonValue(w: ByteWriter, v: unknown): void {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) w.int(v);
    else w.str(Number.isFinite(v) ? String(v) : 'null');
  } else if (v === undefined) w.str('null');
  else w.str(JSON.stringify(v));
}

/** The columns whose kernel writer a CSV output will use (with these settings), or undefined. */
export function csvSpecials(columns: ColumnSpec[], o: CsvOptions): (SpecialColumn | undefined)[] {
  // A special writer is used only when its output needs no quoting; otherwise the generic path.
  return columns.map((c) => (c.special?.csvSafe(o.listSeparator, o.delimiter, o.booleans) ? c.special : undefined));
}

/** `share`: columns this output records for others, or copies from another (shared-columns.ts). */
export function csvEncoder(columns: ColumnSpec[], o: CsvOptions, share?: SharePlan): RowEncoder {
  const specials = csvSpecials(columns, o);
  const fixed = columns.map((c) => (NUMBER_CHARS.includes(o.delimiter) ? undefined : c.fixed));
  const row = csvRowWriter(columns, specials, fixed, o, share);
  return {
    header(w) {
      if (o.header) w.str(columns.map((c) => csvField(c.name, o.delimiter)).join(o.delimiter) + '\n');
    },
    row,
  };
}

/**
 * The row writer of one CSV output, generated: each column gets a call site of its own,
 * which V8 sees calling one function only and inlines. A loop over the columns made one
 * call site for all of them, which V8 gives up on (megamorphic): a full call per value.
 */
function csvRowWriter(columns: ColumnSpec[], specials: (SpecialColumn | undefined)[], fixed: ColumnSpec['fixed'][], o: CsvOptions, share?: SharePlan): RowEncoder['row'] {
  const code: string[] = [];
  const donate = share?.donate;
  const copy = share?.copy;
  if (donate) code.push('const f0 = w.flushes;');
  // A run of copied columns whose donor columns are adjacent is one copy, delimiters and all.
  const runs = copyRuns(share, columns.length);
  const runOf = new Map(runs.filter((r) => r.copied).map((r) => [r.first, r]));
  // Runs of columns constant per member (member-columns.ts), among columns not shared. A run
  // of one column that is not fixed(...) (an id, a flag, a word) is left out: encoding that one
  // value costs less than looking its bytes up in a table indexed by member, which takes
  // random reads (card-fraud-city's clientID and store columns: 4% of its run).
  const members = memberRuns(columns.map((col, i) => (!specials[i] && !(copy && copy[i] >= 0) && !(donate && donate[i] >= 0) ? col.member : undefined))).filter(
    (r) => r.last > r.first || fixed[r.first] !== undefined,
  );
  const memberRunOf = new Map(members.map((r, t) => [r.first, { ...r, t }]));
  // A boolean's word as stores of its bytes, written out: ByteWriter.raw's copy loop cost about
  // twice as much for a word of a few bytes (a long word is still copied by raw).
  const word = (text: string, k: number) => {
    const b = Buffer.from(text);
    if (b.length > 16) return `w.raw(BOOLS[${k}]);`;
    const stores = Array.from(b, (x, j) => `b[p + ${j}] = ${x};`).join(' ');
    return `{ if (w.pos + ${b.length} > w.buf.length) w.flush(); const b = w.buf, p = w.pos; ${stores} w.pos = p + ${b.length}; }`;
  };
  // ByteWriter.byte written out: the row function is too big for V8 to inline every call in
  // it, and a delimiter written through a call cost more than the call's work (9 per row).
  const byte = (b: string) => `if (w.pos >= w.buf.length) w.flush(); w.buf[w.pos++] = ${b};`;
  const inMemberRun = new Set(members.flatMap((r) => Array.from({ length: r.last - r.first }, (_, k) => r.first + 1 + k)));
  const tables = members.map((r) => new MemberBytes(r.key.count));
  // One column's value, the usual way; with `track`, ok becomes false on a value not valid.
  const value = (i: number, track: boolean) => {
    if (fixed[i]) {
      // x alone when it is a finite number (see ColumnSpec.fixed); the checked value otherwise.
      code.push(`{ let x; try { x = X${i}(c); } catch { x = undefined; }`);
      code.push(`if (typeof x === 'number' && x - x === 0) writeFixed(w, x, ${fixed[i]!.digits}); else { ${track ? 'ok = false; ' : ''}CV${i}(w, V${i}(c), o); } }`);
    } else if (track) {
      // The checked value is null in place of an invalid one (reported on every row).
      code.push(`{ const v = V${i}(c); const t = typeof v; if (t !== 'number' && t !== 'string' && t !== 'boolean') ok = false; CV${i}(w, v, o); }`);
    } else {
      // The usual values written here, in the row itself: a call to the column's value writer
      // per value cost more than its work once the row had used up V8's inlining budget.
      code.push(`{ const v = V${i}(c); if (v === true) ${word(o.booleans[0], 0)} else if (v === false) ${word(o.booleans[1], 1)}`);
      code.push(`else if (typeof v === 'number' && v >= 0 && v <= 2147483647 && Math.floor(v) === v) w.uint(v); else CV${i}(w, v, o); }`);
    }
  };
  columns.forEach((_, i) => {
    const run = runOf.get(i);
    // A column inside a run (after its first) is written by the run's copy.
    if ((copy && copy[i] >= 0 && !run) || inMemberRun.has(i)) return;
    if (i > 0) code.push(byte('D'));
    if (donate && donate[i] >= 0) code.push(`M.start[${donate[i]}] = w.pos;`);
    const member = memberRunOf.get(i);
    if (run) {
      code.push(`if (M.valid) copyBytes(w, M.buf, M.start[${copy![run.first]}], M.end[${copy![run.last]}]); else {`);
      for (let k = run.first; k <= run.last; k++) code.push(`${k > run.first ? byte('D') + ' ' : ''}S${k}.csv(w, c, SEP, BOOLS);`);
      code.push('}');
    } else if (member) {
      // The member's bytes when recorded; else the columns the usual way, recorded if valid.
      code.push(`{ const m = ${member.key.index}; if (!T${member.t}.write(w, m)) { const s = w.pos, f = w.flushes; let ok = true;`);
      for (let k = member.first; k <= member.last; k++) {
        if (k > member.first) code.push(byte('D'));
        value(k, true);
      }
      code.push(`if (ok && w.flushes === f) T${member.t}.record(m, w.buf, s, w.pos); } }`);
    } else if (specials[i]) code.push(`S${i}.csv(w, c, SEP, BOOLS);`);
    else value(i, false);
    if (donate && donate[i] >= 0) code.push(`M.end[${donate[i]}] = w.pos;`);
  });
  code.push(byte('10'));
  // The marks are good only if the whole row is still in this buffer.
  if (donate) code.push('M.buf = w.buf; M.valid = w.flushes === f0;');
  const locals = columns.map((_, i) => `const V${i} = cols[${i}].value, S${i} = specials[${i}], X${i} = fixed[${i}] && fixed[${i}].value, CV${i} = csvValueWriter(BOOLS);`);
  locals.push(...tables.map((_, t) => `const T${t} = tables[${t}];`));
  const source = `"use strict";\n${locals.join('\n')}\nreturn function row(w, c) {\n${code.join('\n')}\n};`;
  // eslint-disable-next-line no-new-func -- generated from the column list only (no user text).
  const make = new Function('cols', 'specials', 'fixed', 'o', 'D', 'SEP', 'BOOLS', 'M', 'tables', 'csvValueWriter', 'writeFixed', 'copyBytes', source);
  const bools = [Buffer.from(o.booleans[0]), Buffer.from(o.booleans[1])];
  return make(columns, specials, fixed, o, o.delimiter.charCodeAt(0), Buffer.from(o.listSeparator), bools, share?.marks, tables, csvValueWriter, writeFixed, copyBytes);
}

/** JSON Lines; a column whose value is undefined is left out of that row's object. */
export function jsonlEncoder(columns: ColumnSpec[]): RowEncoder {
  const keys = columns.map((c) => Buffer.from(`${JSON.stringify(c.name)}:`));
  const n = columns.length;
  const values = columns.map((c) => c.value);
  const specials = columns.map((c) => c.special);
  const fixed = columns.map((c) => c.fixed);
  return {
    header() {},
    row(w, c) {
      w.byte(123);
      let first = true;
      for (let i = 0; i < n; i++) {
        const s = specials[i];
        const f = fixed[i];
        const x = f && !s ? fixedNumber(f, c) : undefined;
        if (s) {
          if (!first) w.byte(44);
          w.raw(keys[i]);
          s.jsonl(w, c);
        } else if (x !== undefined) {
          if (!first) w.byte(44);
          w.raw(keys[i]);
          w.byte(34);
          writeFixed(w, x, f!.digits);
          w.byte(34);
        } else {
          const v = values[i]!(c);
          if (v === undefined) continue;
          if (!first) w.byte(44);
          w.raw(keys[i]);
          jsonValue(w, v);
        }
        first = false;
      }
      w.str('}\n');
    },
  };
}
