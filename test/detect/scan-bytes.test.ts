/**
 * The byte scanner of the file runner's fast path (`scanEventBytes`) must read exactly what the
 * string path (`parseEventLine`) reads, or decline the line; and the byte line reader must give
 * the lines `readLines` gives (chunk boundaries, carriage returns, a byte-order mark).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadEventError, parseEventLine } from '../../src/detect/events.js';
import { decimalValue } from '../../src/detect/ids.js';
import { lineText, readLineBytes } from '../../src/detect/lines.js';
import { SCANNED_BEFRIEND, SCANNED_PURCHASE, SCANNED_UNFRIEND, scanEventBytes, ScannedEvent } from '../../src/detect/scan-bytes.js';
import { rngFor } from '../../src/rng/index.js';

const KINDS = { purchase: SCANNED_PURCHASE, befriend: SCANNED_BEFRIEND, unfriend: SCANNED_UNFRIEND } as const;

/** Scans `line` placed inside a larger buffer (so offsets matter); checks it against parseEventLine when accepted. */
function scanAgrees(line: string): boolean {
  const bytes = Buffer.concat([Buffer.from('xx\n'), Buffer.from(line), Buffer.from('\nyy')]);
  const out = new ScannedEvent();
  const start = 3;
  const end = 3 + Buffer.byteLength(line);
  if (!scanEventBytes(bytes, start, end, out)) return false;
  let event;
  try {
    event = parseEventLine(line);
  } catch (err) {
    if (err instanceof BadEventError) throw new Error(`scanned a line the string path rejects (${err.kind}): ${line}`);
    throw err;
  }
  expect(out.kind, line).toBe(KINDS[event.type]);
  expect(out.ts, line).toBe(event.ts);
  if (event.type === 'purchase') {
    expect(String(out.a), line).toBe(event.user);
    expect(out.cents, line).toBe(event.amount.cents);
    expect(event.amount.exact, line).toBeNull();
  } else {
    expect([String(out.a), String(out.b)], line).toEqual([event.user1, event.user2]);
    expect(decimalValue(event.user1)).toBe(out.a);
  }
  return true;
}

const PURCHASE = '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}';
const BEFRIEND = '{"event_type":"befriend", "timestamp":"2017-06-13 11:33:01", "id1": "1", "id2": "2"}';

describe('scanEventBytes', () => {
  it('reads the usual lines, compact or spaced, as the string path does', () => {
    for (const line of [
      PURCHASE,
      BEFRIEND,
      '{"event_type":"unfriend","timestamp":"2016-02-29 23:59:59","id1":"0","id2":"999999999999999"}',
      '  {  "event_type" :  "purchase" ,\t"timestamp":"2017-06-13 11:33:01", "id": "42", "amount": "7" }  ',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "1.5"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "1.500"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "0.01"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "9999999999999.99"}',
    ]) {
      expect(scanAgrees(line), line).toBe(true);
    }
  });

  it('declines what it does not read, for the string path to read or report', () => {
    for (const line of [
      '',
      '   ',
      '{"amount": "16.83", "id": "1", "timestamp":"2017-06-13 11:33:01", "event_type":"purchase"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "ü", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "007", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1234567890123456", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "1.234"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "99999999999999"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "1e3"}',
      '{"event_type":"purchase", "timestamp":"2017-02-30 11:33:01", "id": "1", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 24:00:00", "id": "1", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83", "note": "x"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id1": "1", "id2": "2"}',
      '{"event_type":"befriend", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}',
      '{"event_type":"befriend", "timestamp":"2017-06-13 11:33:01", "id1": "1", "id2": "1"}',
      '{"event_type":"refund", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"} x',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1\\u0032", "amount": "16.83"}',
      '\uFEFF' + PURCHASE,
      PURCHASE + '\r',
    ]) {
      expect(scanAgrees(line), line).toBe(false);
    }
  });

  it('agrees with the string path on randomly varied and mangled lines', () => {
    const rng = rngFor('detect', 'scan-bytes');
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
    const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(rng() * 10))).join('');
    // Mostly valid values, so that both the accepted and the declined branches are common.
    const usual = (): boolean => rng() < 0.8;
    const canonical = (): string => String(1 + Math.floor(rng() * 9)) + digits(Math.floor(rng() * 15));
    const id = (): string => (usual() ? canonical() : pick(['0', '0' + digits(2), 'a1', '', digits(16)]));
    const amount = (): string =>
      usual() ? `${digits(1 + Math.floor(rng() * 6))}${pick(['', '.' + digits(1), '.' + digits(2), '.' + digits(2) + '0'])}` : pick([digits(14), `1.${digits(3)}`, '5.', '.5', '1,00', '-1']);
    const time = (): string =>
      usual()
        ? `20${digits(2)}-${pick(['01', '02', '06', '12'])}-${pick(['01', '15', '28'])} ${pick(['00', '11', '23'])}:${pick(['00', '30', '59'])}:${pick(['00', '07', '59'])}`
        : `20${digits(2)}-${pick(['00', '02', '13'])}-${pick(['29', '30', '31', '32'])} ${pick(['11', '24'])}:${pick(['59', '60'])}:${digits(2)}`;
    const pieces = [' ', '\t', '"', '\\', ',', ':', '{', '}', 'x', '1', '.', '\u00e9', '\u0001'];
    let scanned = 0;
    for (let n = 0; n < 6000; n++) {
      const kind = pick(['purchase', 'befriend', 'unfriend']);
      let line =
        kind === 'purchase'
          ? `{"event_type":"${kind}", "timestamp":"${time()}", "id": "${id()}", "amount": "${amount()}"}`
          : `{"event_type":"${kind}", "timestamp":"${time()}", "id1": "${id()}", "id2": "${id()}"}`;
      const edits = rng() < 0.7 ? 0 : 1 + Math.floor(rng() * 2);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rng() * (line.length + 1));
        line = rng() < 0.5 ? line.slice(0, at) + pick(pieces) + line.slice(at) : line.slice(0, at) + line.slice(at + 1);
      }
      if (scanAgrees(line)) scanned++;
    }
    // Both branches are exercised: many lines read, many declined.
    expect(scanned).toBeGreaterThan(1500);
    expect(scanned).toBeLessThan(4500);
  });
});

describe('readLineBytes', () => {
  it('gives the lines of the text: across 1 MiB chunks, without carriage returns, the byte-order mark dropped on line 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scan-bytes-'));
    try {
      const long = 'é'.repeat(1_500_000); // 3 MB of two-byte characters: spans chunks, split mid-character
      const lines = [PURCHASE, long, '', 'tail\u00e9', BEFRIEND, 'x'.repeat(2 << 20), 'last'];
      const file = join(dir, 'log.json');
      await writeFile(file, '\uFEFF' + lines.map((l, i) => (i % 2 === 0 ? l + '\r\n' : l + '\n')).join('').replace(/\n$/, ''));
      const got: [string, number][] = [];
      const last = await readLineBytes(file, (bytes, start, end, n) => got.push([lineText(bytes, start, end), n]));
      expect(got.map(([t]) => t)).toEqual(lines);
      expect(got.map(([, n]) => n)).toEqual(lines.map((_, i) => i + 1));
      expect(last).toBe(lines.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
