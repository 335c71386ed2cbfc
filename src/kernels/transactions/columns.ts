/**
 * Hand-written writers for the columns every transaction row has (id, date, clock, amount):
 * they write bytes straight into the output buffer, with no string per row. Each is used
 * when the output column is exactly that name; any other expression goes the generic way.
 */
import type { ExprContext } from '../../expr/compile.js';
import type { TimeModel } from '../../model/time.js';
import type { ByteWriter } from '../../sinks/byte-writer.js';
import { jsonValue, type SpecialColumn } from '../../sinks/encoders.js';
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

/**
 * `transaction.date`: YYYY-MM-DD, from a table of 10 bytes per calendar day built once (a
 * dense typed array: a sparse JS array of per-day buffers turns into a slow hash table).
 * Days outside the calendar are encoded on the fly.
 */
export function dateColumn(time: TimeModel): SpecialColumn {
  const days = time.days + 1;
  const table = new Uint8Array(days * 10);
  for (let d = 0; d < days; d++) table.set(Buffer.from(time.date(d), 'latin1').subarray(0, 10), d * 10);
  const write = (w: ByteWriter, t: number) => {
    const d = Math.floor(t / 86400);
    if (!(d >= 0 && d < days)) return w.str(time.date(d));
    w.ensure(10);
    const buf = w.buf;
    const p = w.pos;
    const o = d * 10;
    for (let i = 0; i < 10; i++) buf[p + i] = table[o + i];
    w.pos = p + 10;
  };
  return {
    csvSafe: safe,
    csv: (w, c) => write(w, (c as TimedContext).t),
    jsonl(w, c) {
      w.byte(34);
      write(w, (c as TimedContext).t);
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
