/**
 * Hand-written writers for the columns every transaction row has (id, date, clock, amount):
 * they write bytes straight into the output buffer, with no string per row. Each is used
 * when the output column is exactly that name; any other expression goes the generic way.
 */
import type { ExprContext } from '../../expr/compile.js';
import type { TimeModel } from '../../model/time.js';
import type { ByteWriter } from '../../sinks/byte-writer.js';
import { csvField, jsonValue, type SpecialColumn } from '../../sinks/encoders.js';
import type { TransactionIds } from './ids.js';

/** The fields of the record context these writers read. */
export interface TimedContext extends ExprContext {
  /** Sending node number and position in its block (for the id). */
  sn: number;
  k: number;
  /** Seconds from the start of day 0. */
  t: number;
  amt: number;
}

const safe = () => true;

/** Copies a short pre-encoded value byte by byte (cheaper than TypedArray.set for ~10 bytes). */
function put(w: ByteWriter, b: Uint8Array): void {
  w.ensure(b.length);
  const buf = w.buf;
  let p = w.pos;
  for (let i = 0; i < b.length; i++) buf[p++] = b[i];
  w.pos = p;
}

/**
 * A string column from a small fixed set of values (`source.actor`, `pattern.kind`),
 * pre-encoded once; when some value would need CSV quoting the generic writer is used.
 */
export function fixedTextColumn(values: string[], index: (c: ExprContext) => number): SpecialColumn {
  const bytes = values.map((v) => Buffer.from(v));
  const quoted = values.map((v) => Buffer.from(JSON.stringify(v)));
  return {
    csvSafe: (_sep, delimiter) => values.every((v) => csvField(v, delimiter) === v),
    csv: (w, c) => put(w, bytes[index(c)]),
    jsonl: (w, c) => put(w, quoted[index(c)]),
  };
}

/**
 * A string column with values known only while running (`transaction.currency`): each
 * distinct value is encoded once and cached. A value is quoted when it holds a quote, a line
 * break or the delimiter of any output using the column (quoting is always valid CSV).
 */
export function cachedTextColumn(value: (c: ExprContext) => unknown): SpecialColumn {
  const delimiters = new Set<string>();
  const csv = new Map<unknown, Buffer>();
  const json = new Map<unknown, Buffer>();
  const encodeCsv = (v: unknown) => {
    const s = v === undefined || v === null ? '' : String(v);
    const plain = !/["\r\n]/.test(s) && ![...delimiters].some((d) => s.includes(d));
    const b = Buffer.from(plain ? s : `"${s.replace(/"/g, '""')}"`);
    if (csv.size < 4096) csv.set(v, b);
    return b;
  };
  const encodeJson = (v: unknown) => {
    const b = Buffer.from(v === undefined ? 'null' : JSON.stringify(v));
    if (json.size < 4096) json.set(v, b);
    return b;
  };
  return {
    csvSafe(_sep, delimiter) {
      delimiters.add(delimiter);
      return true;
    },
    csv(w, c) {
      const v = value(c);
      put(w, csv.get(v) ?? encodeCsv(v));
    },
    jsonl(w, c) {
      const v = value(c);
      put(w, json.get(v) ?? encodeJson(v));
    },
  };
}

/** An integer column that is empty when the value is negative (`pattern.instance`, `pattern.step`). */
export function optionalIntColumn(value: (c: ExprContext) => number): SpecialColumn {
  return {
    csvSafe: safe,
    csv(w, c) {
      const v = value(c);
      if (v >= 0) w.int(v);
    },
    jsonl(w, c) {
      const v = value(c);
      if (v >= 0) w.int(v);
      else w.str('""');
    },
  };
}

/** `transaction.id`: 16 hex digits. */
export function idColumn(ids: () => TransactionIds): SpecialColumn {
  return {
    csvSafe: safe,
    csv(w: ByteWriter, c: ExprContext) {
      const x = c as TimedContext;
      w.ensure(16);
      ids().write(w.buf, w.pos, x.sn, x.k);
      w.pos += 16;
    },
    jsonl(w: ByteWriter, c: ExprContext) {
      const x = c as TimedContext;
      w.ensure(18);
      w.buf[w.pos++] = 34;
      ids().write(w.buf, w.pos, x.sn, x.k);
      w.pos += 16;
      w.buf[w.pos++] = 34;
    },
  };
}

/** `transaction.date`: YYYY-MM-DD, pre-encoded once per day. */
export function dateColumn(time: TimeModel): SpecialColumn {
  const days: Buffer[] = [];
  const bytes = (t: number) => {
    const d = Math.floor(t / 86400);
    return (days[d] ??= Buffer.from(time.date(d)));
  };
  return {
    csvSafe: safe,
    csv: (w, c) => put(w, bytes((c as TimedContext).t)),
    jsonl(w, c) {
      w.byte(34);
      put(w, bytes((c as TimedContext).t));
      w.byte(34);
    },
  };
}

function writeClock(w: ByteWriter, t: number): void {
  let s = t - Math.floor(t / 86400) * 86400;
  const h = (s / 3600) | 0;
  s -= h * 3600;
  const m = (s / 60) | 0;
  s = (s - m * 60) | 0;
  w.ensure(8);
  const b = w.buf;
  let p = w.pos;
  b[p++] = 48 + ((h / 10) | 0);
  b[p++] = 48 + (h % 10);
  b[p++] = 58;
  b[p++] = 48 + ((m / 10) | 0);
  b[p++] = 48 + (m % 10);
  b[p++] = 58;
  b[p++] = 48 + ((s / 10) | 0);
  b[p++] = 48 + (s % 10);
  w.pos = p;
}

/** `transaction.clock`: HH:MM:SS of the day. */
export const clockColumn: SpecialColumn = {
  csvSafe: safe,
  csv: (w, c) => writeClock(w, (c as TimedContext).t),
  jsonl(w, c) {
    w.byte(34);
    writeClock(w, (c as TimedContext).t);
    w.byte(34);
  },
};

/** HH:MM:SS as a string, for expressions. */
export function clockText(t: number): string {
  const s = Math.floor(t - Math.floor(t / 86400) * 86400);
  const two = (n: number) => (n < 10 ? '0' : '') + n;
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/** `transaction.amount` with exactly `decimals` decimals (amounts are already rounded to them). */
export function amountColumn(decimals: number): SpecialColumn {
  const scale = 10 ** decimals;
  return {
    csvSafe: safe,
    csv(w, c) {
      const a = (c as TimedContext).amt;
      const units = Math.round(a * scale);
      if (!(units >= 0 && units < 2 ** 52)) return w.str(Number.isFinite(a) ? String(a) : '');
      const whole = Math.floor(units / scale);
      if (whole > 0x7fffffff) return w.str(a.toFixed(decimals));
      w.int(whole);
      if (decimals === 0) return;
      w.byte(46);
      let frac = units - whole * scale;
      w.ensure(decimals);
      for (let i = decimals - 1; i >= 0; i--) {
        w.buf[w.pos + i] = 48 + (frac % 10);
        frac = Math.floor(frac / 10);
      }
      w.pos += decimals;
    },
    jsonl: (w, c) => jsonValue(w, (c as TimedContext).amt),
  };
}
