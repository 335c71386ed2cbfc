/**
 * Hostile edits of the detector's input logs, as fast-check arbitraries: random bytes
 * (flipped, inserted, deleted: invalid UTF-8, NUL, stray CR and LF), whole lines (deleted,
 * duplicated, swapped, blank, garbage, very long), and events with bad values (amounts such
 * as 1e400 or -1, impossible dates, numbers for strings, self-friendships, odd headers).
 * Like the scenario edits, each is drawn as numbers and resolved against the bytes at hand.
 */
import fc from 'fast-check';

export const LOG_OPS = ['flip-byte', 'insert-bytes', 'delete-bytes', 'truncate', 'delete-line', 'duplicate-line', 'swap-lines', 'insert-line', 'replace-header', 'edit-value'] as const;

export interface LogEdit {
  op: (typeof LOG_OPS)[number];
  /** Which file: 0 batch, 1 stream. */
  file: number;
  at: number;
  variant: number;
  bytes: number[];
}

const EVENT = (fields: string) => `{"event_type":"purchase", "timestamp":"2017-06-13 11:00:00", ${fields}}`;

/** Lines that are each wrong (or right) in one interesting way. */
const LINES = [
  '', '   ', '\t', '{}', '[]', 'null', '"text"', '42', '{', '}', '{"event_type":"purchase"}', '{"event_type":"sell", "timestamp":"2017-06-13 11:00:00"}',
  EVENT('"id": "1", "amount": "1e400"'), EVENT('"id": "1", "amount": "-1"'), EVENT('"id": "1", "amount": "NaN"'), EVENT('"id": "1", "amount": "1.005"'),
  EVENT('"id": "1", "amount": 12.5'), EVENT('"id": 7, "amount": "12.50"'), EVENT('"id": "", "amount": "1.00"'), EVENT('"id": "1", "amount": "99999999999999999999.99"'),
  EVENT('"id": "1", "amount": "12.50", "amount": "13.50"'), EVENT('"id": {"a": 1}, "amount": "1.00"'), EVENT('"id": "\u00e9\u4e2d", "amount": "1.00"'),
  '{"event_type":"purchase", "timestamp":"2017-02-30 00:00:00", "id": "1", "amount": "1.00"}',
  '{"event_type":"purchase", "timestamp":"2017-06-13T11:00:00Z", "id": "1", "amount": "1.00"}',
  '{"event_type":"befriend", "timestamp":"2017-06-13 11:00:00", "id1": "1", "id2": "1"}',
  '{"event_type":"unfriend", "timestamp":"2017-06-13 11:00:00", "id1": "900", "id2": "901"}',
  '{"event_type":"befriend", "timestamp":"2017-06-13 11:00:00", "id1": "1"}',
  '{"event_type":"befriend", "timestamp":"2017-06-13 11:00:00", "id1": "1", "id2": "2"}',
  EVENT('"id": "2", "amount": "1000000.00"'),
];

const HEADERS = ['{"D":"0", "T":"1"}', '{"D":"999999999", "T":"999999999"}', '{"D":"1e3", "T":"50"}', '{"D":2, "T":2}', '{}', '[]', 'garbage', '{"D":"-1", "T":"x"}', '{"D":"3", "T":"50", "extra": true}', ''];
const VALUES = ['"1e400"', '"-0.01"', '""', 'null', '12', '"\\u0000"', '"2017-13-40 25:61:61"', '"x".repeat', '{}', '"99999999999999999999999"'];

export function logEditsArb(): fc.Arbitrary<LogEdit[]> {
  const edit = fc.record({
    op: fc.constantFrom(...LOG_OPS),
    file: fc.integer({ min: 0, max: 1 }),
    at: fc.nat(),
    variant: fc.nat(),
    bytes: fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0a, 0x0d, 0x22, 0x7b, 0x7d, 0x00, 0xc3, 0xff)), { minLength: 1, maxLength: 8 }),
  });
  return fc.array(edit, { minLength: 1, maxLength: 4 });
}

/** Applies the edits to the two files' bytes; returns the new bytes and one line per edit. */
export function applyLogEdits(batch: Buffer, stream: Buffer, edits: LogEdit[]): { files: [Buffer, Buffer]; described: string[] } {
  const files: [Buffer, Buffer] = [batch, stream];
  const described: string[] = [];
  for (const e of edits) {
    const r = applyOne(files[e.file], e);
    files[e.file] = r.bytes;
    described.push(`${e.file === 0 ? 'batch' : 'stream'} ${e.op}: ${r.note}`);
  }
  return { files, described };
}

function applyOne(b: Buffer, e: LogEdit): { bytes: Buffer; note: string } {
  const pos = e.at % (b.length + 1);
  const lines = b.toString('latin1').split('\n');
  const i = e.at % lines.length;
  const joined = (ls: string[]) => Buffer.from(ls.join('\n'), 'latin1');
  switch (e.op) {
    case 'flip-byte': {
      if (b.length === 0) return { bytes: b, note: 'empty' };
      const out = Buffer.from(b);
      out[pos % b.length] ^= 1 << e.variant % 8;
      return { bytes: out, note: `byte ${pos % b.length}` };
    }
    case 'insert-bytes':
      return { bytes: Buffer.concat([b.subarray(0, pos), Buffer.from(e.bytes), b.subarray(pos)]), note: `${e.bytes.join(',')} at ${pos}` };
    case 'delete-bytes': {
      const n = 1 + (e.variant % 16);
      return { bytes: Buffer.concat([b.subarray(0, pos), b.subarray(pos + n)]), note: `${n} at ${pos}` };
    }
    case 'truncate':
      return { bytes: b.subarray(0, pos), note: `at ${pos}` };
    case 'delete-line':
      lines.splice(i, 1);
      return { bytes: joined(lines), note: `line ${i + 1}` };
    case 'duplicate-line':
      lines.splice(i, 0, lines[i]);
      return { bytes: joined(lines), note: `line ${i + 1}` };
    case 'swap-lines': {
      const j = e.variant % lines.length;
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return { bytes: joined(lines), note: `lines ${i + 1}, ${j + 1}` };
    }
    case 'insert-line': {
      // Some variants are a very long line (100 KB of digits or of a JSON string).
      const long = e.variant % 23 === 0 ? ['1'.repeat(100_000), EVENT(`"id": "${'x'.repeat(100_000)}", "amount": "1.00"`)][e.variant % 2] : undefined;
      const line = long ?? LINES[e.variant % LINES.length];
      lines.splice(i, 0, Buffer.from(line, 'utf8').toString('latin1'));
      return { bytes: joined(lines), note: `${JSON.stringify(line.slice(0, 80))} before line ${i + 1}` };
    }
    case 'replace-header': {
      lines[0] = HEADERS[e.variant % HEADERS.length];
      return { bytes: joined(lines), note: lines[0] };
    }
    case 'edit-value': {
      // Replace the value of one field of one line: "key": "value" -> "key": <bad>.
      const line = lines[i];
      const fields = [...line.matchAll(/"(\w+)"\s*:\s*("[^"]*"|[-\d.eE+]+)/g)];
      if (fields.length === 0) return { bytes: b, note: `line ${i + 1} has no field` };
      const f = fields[e.variant % fields.length];
      const value = VALUES[Math.floor(e.variant / fields.length) % VALUES.length];
      lines[i] = line.slice(0, f.index! + f[0].length - f[2].length) + value + line.slice(f.index! + f[0].length);
      return { bytes: joined(lines), note: `line ${i + 1} ${f[1]} = ${value}` };
    }
  }
}
