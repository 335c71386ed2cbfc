/**
 * Log events: their wire shape, validation, and the reasons a line can be rejected.
 *
 * Real logs are messy, so nothing here throws on bad data except through `BadEventError`, whose
 * `kind` lets the file runner count rejected lines per reason instead of stopping.
 */
import { parseAmount, type Amount } from './decimal.js';

/** A purchase as it appears in the logs (all values are strings). */
export interface PurchaseEvent {
  event_type: 'purchase';
  timestamp: string;
  id: string;
  amount: string;
}

/** A friendship change; friendship is two-way. */
export interface FriendshipEvent {
  event_type: 'befriend' | 'unfriend';
  timestamp: string;
  id1: string;
  id2: string;
}

/** Any event the detector understands, as written in the logs. */
export type DetectEvent = PurchaseEvent | FriendshipEvent;

/** A validated event, ready for the detector. */
export type ParsedEvent =
  | {
      type: 'purchase';
      /** Order-preserving timestamp key (not epoch seconds). */
      ts: number;
      user: string;
      amount: Amount;
      /** The event's original fields, echoed in the output when flagged. */
      fields: Readonly<Record<string, unknown>>;
      /** The original line, when read from a file: the output reuses it verbatim. */
      line?: string;
    }
  | { type: 'befriend' | 'unfriend'; ts: number; user1: string; user2: string };

/** Why a line was skipped. `blank` lines are counted but never fatal, even under --strict. */
export type BadLineKind =
  | 'blank'
  | 'bad-header'
  | 'malformed-json'
  | 'unknown-event'
  | 'missing-field'
  | 'invalid-timestamp'
  | 'invalid-amount'
  | 'self-friendship'
  | 'unfriend-strangers';

/** Thrown when an event is rejected; the detector's state is left unchanged. */
export class BadEventError extends Error {
  constructor(
    readonly kind: BadLineKind,
    message: string,
  ) {
    super(message);
    this.name = 'BadEventError';
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Events arrive many per second, so the last timestamp parsed is very often the next one.
let lastTimestampText = '';
let lastTimestampKey = NaN;

/**
 * Key for a `YYYY-MM-DD HH:MM:SS` timestamp that sorts like the time itself; NaN when the text
 * is not a real calendar time. Packed by position rather than converted to epoch seconds, which
 * needs no time zone and has no trouble with years before 1970.
 */
export function timestampKey(text: string): number {
  if (text === lastTimestampText) return lastTimestampKey;
  // Hand-written (it runs for every new timestamp): the shape is checked by position, and the
  // digits are read in place, where a regular expression and its match array cost about 4x.
  if (
    text.length !== 19 ||
    text.charCodeAt(4) !== 0x2d /* - */ ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x20 /* space */ ||
    text.charCodeAt(13) !== 0x3a /* : */ ||
    text.charCodeAt(16) !== 0x3a
  ) {
    return NaN;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return NaN;
  const key = calendarKey(year, month, day, hour, minute, second);
  if (key === key) {
    lastTimestampText = text;
    lastTimestampKey = key;
  }
  return key;
}

/**
 * The key of a calendar time given by its fields (each already read as digits), or NaN when it is
 * not a real one: month lengths, leap years, hours 00-23. Shared by `timestampKey` and the byte
 * scanner (scan-bytes.ts).
 */
export function calendarKey(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (month < 1 || month > 12 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) {
    return NaN;
  }
  return ((year * 12 + month - 1) * 31 + day - 1) * 86400 + hour * 3600 + minute * 60 + second;
}

/** The decimal number written by `count` ASCII digits at `from`, or -1 if one is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** A required string field; ids written as JSON numbers are accepted as their decimal text. */
function field(obj: Record<string, unknown>, name: string): string {
  const value = obj[name];
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new BadEventError('missing-field', value === undefined ? `missing field "${name}"` : `field "${name}" is not a non-empty string`);
}

/**
 * Validates a decoded JSON value as an event. Throws BadEventError naming the first problem.
 * Friendship checks that need state (self-friendship is stateless and checked here; unfriending
 * strangers is not) happen in the detector.
 */
export function parseEvent(value: unknown, line?: string): ParsedEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadEventError('malformed-json', 'not a JSON object');
  }
  const obj = value as Record<string, unknown>;
  const type = obj.event_type;
  if (type !== 'purchase' && type !== 'befriend' && type !== 'unfriend') {
    const what = type === undefined ? 'missing "event_type"' : `unknown event_type ${JSON.stringify(type)}`;
    throw new BadEventError('unknown-event', what);
  }
  const timestamp = field(obj, 'timestamp');
  if (type === 'purchase') {
    const user = field(obj, 'id');
    const amountText = field(obj, 'amount');
    const ts = timestampKey(timestamp);
    if (ts !== ts) throw new BadEventError('invalid-timestamp', `invalid timestamp ${JSON.stringify(timestamp)}`);
    const amount = parseAmount(amountText);
    if (amount === null) throw new BadEventError('invalid-amount', `invalid amount ${JSON.stringify(amountText)}`);
    return { type, ts, user, amount, fields: obj, line };
  }
  const user1 = field(obj, 'id1');
  const user2 = field(obj, 'id2');
  const ts = timestampKey(timestamp);
  if (ts !== ts) throw new BadEventError('invalid-timestamp', `invalid timestamp ${JSON.stringify(timestamp)}`);
  if (user1 === user2) throw new BadEventError('self-friendship', `user ${JSON.stringify(user1)} cannot ${type} themselves`);
  return { type, ts, user1, user2 };
}

/** The keys `scanFlatEvent` understands; any other key sends the line to JSON.parse. */
const FLAT_KEYS = ['event_type', 'timestamp', 'id', 'amount', 'id1', 'id2'] as const;

/**
 * JSON.parse for the one shape nearly every log line has: a flat object of string values whose
 * keys are among FLAT_KEYS, each at most once, e.g.
 * `{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}`.
 * Returns what JSON.parse would (same keys, same order, same strings), or undefined for anything
 * else: escapes, control characters, numbers, nesting, other or repeated keys, whitespace other
 * than spaces and tabs. The caller then uses JSON.parse, so odd lines are decoded, validated and
 * reported exactly as before.
 *
 * Hand-written because it is the hot path: it runs once per event, and JSON.parse (a general
 * parser building a general object) was about 1.5 s of CPU for the benchmark's million lines.
 */
export function scanFlatEvent(text: string): Record<string, string> | undefined {
  const n = text.length;
  let i = skipBlanks(text, 0);
  if (text.charCodeAt(i) !== 0x7b /* { */) return undefined;
  // The values go to one slot per key; `order` records the keys in order, 3 bits each.
  const values: string[] = ['', '', '', '', '', ''];
  let order = 0;
  let seen = 0;
  i = skipBlanks(text, i + 1);
  for (;;) {
    if (text.charCodeAt(i) !== 0x22 /* " */) return undefined;
    const keyEnd = text.indexOf('"', i + 1);
    if (keyEnd < 0) return undefined;
    const key = flatKey(text, i + 1, keyEnd);
    if (key < 0 || (seen & (1 << key)) !== 0) return undefined;
    seen |= 1 << key;
    order = order * 8 + key + 1;
    i = skipBlanks(text, keyEnd + 1);
    if (text.charCodeAt(i) !== 0x3a /* : */) return undefined;
    i = skipBlanks(text, i + 1);
    if (text.charCodeAt(i) !== 0x22) return undefined;
    const valueEnd = text.indexOf('"', i + 1);
    if (valueEnd < 0) return undefined;
    for (let j = i + 1; j < valueEnd; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x5c /* backslash */ || c < 0x20) return undefined;
    }
    values[key] = text.slice(i + 1, valueEnd);
    i = skipBlanks(text, valueEnd + 1);
    const c = text.charCodeAt(i);
    if (c === 0x2c /* , */) {
      i = skipBlanks(text, i + 1);
      continue;
    }
    if (c !== 0x7d /* } */) return undefined;
    return skipBlanks(text, i + 1) === n ? flatObject(values, order) : undefined;
  }
}

/** `order` of the challenge's two layouts: event_type, timestamp, then id and amount, or id1 and id2. */
const PURCHASE_ORDER = ((1 * 8 + 2) * 8 + 3) * 8 + 4;
const FRIENDSHIP_ORDER = ((1 * 8 + 2) * 8 + 5) * 8 + 6;

/**
 * The object JSON.parse would build, keys in `order`. The two usual layouts are object literals,
 * which V8 builds with one fixed shape; adding computed keys one by one went through a slow
 * generic store and cost more than the scan itself.
 */
function flatObject(values: string[], order: number): Record<string, string> {
  if (order === PURCHASE_ORDER) return { event_type: values[0], timestamp: values[1], id: values[2], amount: values[3] };
  if (order === FRIENDSHIP_ORDER) return { event_type: values[0], timestamp: values[1], id1: values[4], id2: values[5] };
  const keys: number[] = [];
  for (; order > 0; order = Math.floor(order / 8)) keys.unshift((order % 8) - 1);
  const obj: Record<string, string> = {};
  for (const key of keys) obj[FLAT_KEYS[key]] = values[key];
  return obj;
}

function skipBlanks(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return i;
    i++;
  }
}

/** Index in FLAT_KEYS of the key text[from, to), or -1. */
function flatKey(text: string, from: number, to: number): number {
  switch (to - from) {
    case 10:
      return text.startsWith('event_type', from) ? 0 : -1;
    case 9:
      return text.startsWith('timestamp', from) ? 1 : -1;
    case 2:
      return text.startsWith('id', from) ? 2 : -1;
    case 6:
      return text.startsWith('amount', from) ? 3 : -1;
    case 3:
      if (!text.startsWith('id', from)) return -1;
      return text.charCodeAt(from + 2) === 0x31 /* 1 */ ? 4 : text.charCodeAt(from + 2) === 0x32 /* 2 */ ? 5 : -1;
    default:
      return -1;
  }
}

/** Decodes and validates one log line (already known not to be blank). */
export function parseEventLine(text: string): ParsedEvent {
  const flat = scanFlatEvent(text);
  if (flat !== undefined) return parseEvent(flat, text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadEventError('malformed-json', 'malformed JSON');
  }
  return parseEvent(value, text);
}

/**
 * The flagged-purchase output line: the event's own fields, then mean and sd. A line read from a
 * file is reused verbatim up to its closing brace; events given as objects are written in the
 * challenge's layout.
 */
export function formatFlagged(event: Extract<ParsedEvent, { type: 'purchase' }>, mean: string, sd: string): string {
  const tail = `, "mean": "${mean}", "sd": "${sd}"}`;
  const line = event.line?.trimEnd();
  if (line !== undefined && line.endsWith('}')) return line.slice(0, -1).trimEnd() + tail;
  const parts = Object.entries(event.fields).map(([key, value]) => {
    const sep = key === 'event_type' || key === 'timestamp' ? ':' : ': ';
    return JSON.stringify(key) + sep + JSON.stringify(value);
  });
  return parts.length > 0 ? `{${parts.join(', ')}${tail}` : `{${tail.slice(2)}`;
}
