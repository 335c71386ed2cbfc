/**
 * Writers for the transactions' text columns (actors, pattern labels, currency): values are
 * encoded to bytes once and copied into the output buffer, with no string per row.
 */
import type { ExprContext } from '../../expr/compile.js';
import type { ByteWriter } from '../../sinks/byte-writer.js';
import { csvField, type SpecialColumn } from '../../sinks/encoders.js';

/** Copies a short pre-encoded value byte by byte (cheaper than TypedArray.set for ~10 bytes). */
export function put(w: ByteWriter, b: Uint8Array): void {
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
    csvSafe: () => true,
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

/** An integer column (node numbers, indexes): written as digits, with no typeof dispatch per value. */
export function intColumn(value: (c: ExprContext) => number): SpecialColumn {
  return {
    csvSafe: () => true,
    csv: (w, c) => w.int(value(c)),
    jsonl: (w, c) => w.int(value(c)),
  };
}

/** A boolean column (`transaction.in_pattern`): the output's true or false word, pre-encoded. */
export function booleanColumn(value: (c: ExprContext) => boolean): SpecialColumn {
  return {
    csvSafe: (_sep, delimiter, booleans) => booleans.every((b) => csvField(b, delimiter) === b),
    csv: (w, c, _sep, booleans) => put(w, booleans[value(c) ? 0 : 1]),
    jsonl: (w, c) => w.str(value(c) ? 'true' : 'false'),
  };
}
