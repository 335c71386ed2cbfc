/**
 * The log's usual lines read straight from the file's bytes.
 *
 * Nearly every line of a real log has one of the challenge's two layouts,
 *
 *     {"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}
 *     {"event_type":"befriend", "timestamp":"2017-06-13 11:33:01", "id1": "1", "id2": "2"}
 *
 * with decimal ids and amounts in whole cents. Decoding such a line into a string, scanning it,
 * slicing out four strings, building two objects and parsing the strings again cost about 1 us a
 * line, and with threads every thread reads the batch log and the stream before its part: that
 * was a fifth of a two-thread run. `scanEventBytes` reads those lines from the bytes into one
 * reused record, without making a string or an object. Anything else (other key orders or keys,
 * escapes, bytes outside ASCII, ids such as "007", amounts beyond whole cents, invalid values,
 * self-friendships) it declines, and the caller decodes the line and takes the string path
 * (`parseEventLine`), which reads and reports it exactly as before. Where it accepts, it gives
 * what that path gives: the tests compare the two on usual and mangled lines.
 *
 * Hand-written because it is the hot path: one call per event.
 */
import { MAX_FAST_INT_DIGITS } from './decimal.js';
import { calendarKey } from './events.js';
import { MAX_DECIMAL_DIGITS } from './ids.js';

export const SCANNED_PURCHASE = 0;
export const SCANNED_BEFRIEND = 1;
export const SCANNED_UNFRIEND = 2;

/** One scanned line, reused from line to line. */
export class ScannedEvent {
  kind = SCANNED_PURCHASE;
  /** Timestamp key, as `timestampKey` gives it. */
  ts = 0;
  /** The id (purchase) or id1, and id2: their values as decimal numbers (`decimalValue`). */
  a = 0;
  b = 0;
  /** The amount in cents (purchase). */
  cents = 0;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b;
const CLOSE = 0x7d;

const keyBytes = (key: string): Uint8Array => Uint8Array.from(key, (c) => c.charCodeAt(0));
const EVENT_TYPE = keyBytes('event_type');
const TIMESTAMP = keyBytes('timestamp');
const ID = keyBytes('id');
const AMOUNT = keyBytes('amount');
const ID1 = keyBytes('id1');
const ID2 = keyBytes('id2');
const KINDS = [keyBytes('purchase'), keyBytes('befriend'), keyBytes('unfriend')];

// The last timestamp read, since events arrive many per second (as in `timestampKey`).
const lastTimestamp = new Uint8Array(19);
let lastTimestampKey = NaN;

/**
 * Reads the line bytes[start, end) (no newline, carriage return or byte-order mark) into `out`
 * when it has one of the usual layouts and values; false otherwise (see above).
 */
export function scanEventBytes(bytes: Uint8Array, start: number, end: number, out: ScannedEvent): boolean {
  let i = blanks(bytes, start, end);
  if (i >= end || bytes[i] !== OPEN) return false;
  // "event_type": one of the three kinds.
  i = valueOf(bytes, i + 1, end, EVENT_TYPE);
  if (i < 0) return false;
  let close = closingQuote(bytes, i, end);
  if (close < 0) return false;
  const kind = kindOf(bytes, i + 1, close);
  if (kind < 0) return false;
  // "timestamp"
  i = valueOf(bytes, comma(bytes, close + 1, end), end, TIMESTAMP);
  if (i < 0) return false;
  close = closingQuote(bytes, i, end);
  if (close < 0) return false;
  const ts = timestampAt(bytes, i + 1, close);
  if (ts !== ts) return false;
  // "id" (a purchase) or "id1"
  const purchase = kind === SCANNED_PURCHASE;
  i = valueOf(bytes, comma(bytes, close + 1, end), end, purchase ? ID : ID1);
  if (i < 0) return false;
  close = closingQuote(bytes, i, end);
  if (close < 0) return false;
  const a = decimalAt(bytes, i + 1, close);
  if (a < 0) return false;
  // "amount" (a purchase) or "id2"
  i = valueOf(bytes, comma(bytes, close + 1, end), end, purchase ? AMOUNT : ID2);
  if (i < 0) return false;
  close = closingQuote(bytes, i, end);
  if (close < 0) return false;
  const b = purchase ? centsAt(bytes, i + 1, close) : decimalAt(bytes, i + 1, close);
  if (b < 0 || (!purchase && b === a)) return false; // a self-friendship is reported by the string path
  i = blanks(bytes, close + 1, end);
  if (i >= end || bytes[i] !== CLOSE || blanks(bytes, i + 1, end) !== end) return false;
  out.kind = kind;
  out.ts = ts;
  out.a = a;
  if (purchase) out.cents = b;
  else out.b = b;
  return true;
}

/** Spaces and tabs from `i`: the whitespace `scanFlatEvent` takes between tokens. */
function blanks(bytes: Uint8Array, i: number, end: number): number {
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  return i;
}

/** After a value's closing quote: blanks, a comma; the position after it, or -1. */
function comma(bytes: Uint8Array, i: number, end: number): number {
  i = blanks(bytes, i, end);
  return i < end && bytes[i] === COMMA ? i + 1 : -1;
}

/** At `i` (or -1): blanks, "key", blanks, a colon, blanks; the position of the value's opening quote, or -1. */
function valueOf(bytes: Uint8Array, i: number, end: number, key: Uint8Array): number {
  if (i < 0) return -1;
  i = blanks(bytes, i, end);
  const n = key.length;
  if (i + n + 2 > end || bytes[i] !== QUOTE || bytes[i + n + 1] !== QUOTE) return -1;
  for (let k = 0; k < n; k++) if (bytes[i + 1 + k] !== key[k]) return -1;
  i = blanks(bytes, i + n + 2, end);
  if (i >= end || bytes[i] !== COLON) return -1;
  i = blanks(bytes, i + 1, end);
  return i < end && bytes[i] === QUOTE ? i : -1;
}

/** The closing quote of the string opened at `open`, or -1 when it holds anything but printable ASCII without backslashes. */
function closingQuote(bytes: Uint8Array, open: number, end: number): number {
  for (let i = open + 1; i < end; i++) {
    const c = bytes[i];
    if (c === QUOTE) return i;
    if (c < 0x20 || c > 0x7e || c === 0x5c /* backslash */) return -1;
  }
  return -1;
}

function kindOf(bytes: Uint8Array, from: number, to: number): number {
  if (to - from !== 8) return -1;
  for (let kind = 0; kind < KINDS.length; kind++) {
    const word = KINDS[kind];
    let k = 0;
    while (k < 8 && bytes[from + k] === word[k]) k++;
    if (k === 8) return kind;
  }
  return -1;
}

/** `timestampKey` of the text bytes[from, to). */
function timestampAt(bytes: Uint8Array, from: number, to: number): number {
  if (to - from !== 19) return NaN;
  let same = true;
  for (let k = 0; k < 19 && same; k++) same = bytes[from + k] === lastTimestamp[k];
  if (same) return lastTimestampKey;
  if (bytes[from + 4] !== 0x2d || bytes[from + 7] !== 0x2d || bytes[from + 10] !== 0x20 || bytes[from + 13] !== COLON || bytes[from + 16] !== COLON) {
    return NaN;
  }
  const year = digits(bytes, from, 4);
  const month = digits(bytes, from + 5, 2);
  const day = digits(bytes, from + 8, 2);
  const hour = digits(bytes, from + 11, 2);
  const minute = digits(bytes, from + 14, 2);
  const second = digits(bytes, from + 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return NaN;
  const key = calendarKey(year, month, day, hour, minute, second);
  if (key === key) {
    lastTimestamp.set(bytes.subarray(from, to));
    lastTimestampKey = key;
  }
  return key;
}

/** The number written by `count` digits at `from`, or -1. */
function digits(bytes: Uint8Array, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** `decimalValue` (ids.ts) of the text bytes[from, to): a canonical decimal id's value, or -1. */
function decimalAt(bytes: Uint8Array, from: number, to: number): number {
  const n = to - from;
  if (n === 0 || n > MAX_DECIMAL_DIGITS || (n > 1 && bytes[from] === 0x30)) return -1;
  return digits(bytes, from, n);
}

/** `plainCents` (decimal.ts) of the text bytes[from, to): whole cents written plainly, or -1. */
function centsAt(bytes: Uint8Array, from: number, to: number): number {
  let i = from;
  let whole = 0;
  for (; i < to; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
  }
  if (i === from || i - from > MAX_FAST_INT_DIGITS) return -1;
  if (i === to) return whole * 100;
  if (bytes[i] !== 0x2e /* . */) return -1;
  const point = ++i;
  let frac = 0;
  for (; i < to; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    if (i - point < 2) frac = frac * 10 + d;
    else if (d !== 0) return -1; // a third non-zero decimal: not whole cents
  }
  if (i === point) return -1; // "5." has no decimals
  return whole * 100 + (i - point === 1 ? frac * 10 : frac);
}
