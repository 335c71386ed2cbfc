/**
 * The hand-written fast path for log lines (`scanFlatEvent`) must agree with JSON.parse: it either
 * returns exactly what JSON.parse does (same keys, order and strings) or declines, and
 * `parseEventLine` then gives the same event or the same rejection either way.
 */
import { describe, expect, it } from 'vitest';
import { BadEventError, parseEvent, parseEventLine, scanFlatEvent } from '../../src/detect/events.js';
import { rngFor } from '../../src/rng/index.js';

/** parseEventLine's result, or the kind and message of its rejection. */
function outcome(parse: () => unknown): unknown {
  try {
    return parse();
  } catch (err) {
    if (err instanceof BadEventError) return { kind: err.kind, message: err.message };
    throw err;
  }
}

/** What the line gives through JSON.parse alone (the behaviour before the fast path). */
function slowOutcome(line: string): unknown {
  return outcome(() => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new BadEventError('malformed-json', 'malformed JSON');
    }
    return parseEvent(value, line);
  });
}

function expectAgreement(line: string): void {
  const fast = scanFlatEvent(line);
  if (fast !== undefined) {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(fast).toEqual(parsed);
    expect(Object.keys(fast)).toEqual(Object.keys(parsed));
  }
  expect(outcome(() => parseEventLine(line))).toEqual(slowOutcome(line));
}

const PURCHASE = '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}';
const BEFRIEND = '{"event_type":"befriend", "timestamp":"2017-06-13 11:33:01", "id1": "1", "id2": "2"}';

describe('scanFlatEvent', () => {
  it('takes the challenge layout and compact or spaced variants', () => {
    for (const line of [
      PURCHASE,
      BEFRIEND,
      '{"event_type":"unfriend","timestamp":"2017-06-13 11:33:01","id1":"1","id2":"2"}',
      '  {  "event_type" :  "purchase" ,\t"timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83" }  ',
      '{"amount": "16.83", "id": "1", "timestamp":"2017-06-13 11:33:01", "event_type":"purchase"}',
      '{"id": "ü", "event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "amount": "16.83"}',
      '{"id": "用户\u{1F600}", "event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "amount": "1"}',
    ]) {
      expect(scanFlatEvent(line)).toBeDefined();
      expectAgreement(line);
    }
    expect(scanFlatEvent(PURCHASE)).toEqual({ event_type: 'purchase', timestamp: '2017-06-13 11:33:01', id: '1', amount: '16.83' });
  });

  it('declines anything unusual, which JSON.parse then handles as before', () => {
    for (const line of [
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": 16.83}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": 1, "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1\\u0032", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "a\\"b", "amount": "16.83"}',
      '{"event\\u005ftype":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83", "note": "x"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "id": "2", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83", "extra": {"a": [1]}}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": null, "amount": "16.83"}',
      '{"event_type":"purchase",\r"timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13\t11:33:01", "id": "1", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83",}',
      '{"event_type":"purchase" "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}',
      '{}',
      '{ }',
      '[1, 2, 3]',
      'hello',
      '"purchase"',
      '\uFEFF' + PURCHASE,
    ]) {
      expectAgreement(line);
    }
    expect(scanFlatEvent('{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": 1, "amount": "16.83"}')).toBeUndefined();
    expect(scanFlatEvent('{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "a\\"b", "amount": "16.83"}')).toBeUndefined();
  });

  it('gives the same rejections as JSON.parse for bad events it reads', () => {
    for (const line of [
      '{"event_type":"refund", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}',
      '{"timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-02-30 11:33:01", "id": "1", "amount": "16.83"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "-5.00"}',
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:01", "id": "1", "amount": "1e3"}',
      '{"event_type":"befriend", "timestamp":"2017-06-13 11:33:01", "id1": "1", "id2": "1"}',
      '{"event_type":"unfriend", "timestamp":"2017-06-13 11:33:01", "id1": "1"}',
    ]) {
      expect(scanFlatEvent(line)).toBeDefined();
      expectAgreement(line);
      expect(outcome(() => parseEventLine(line))).toHaveProperty('kind');
    }
  });

  it('agrees with JSON.parse on randomly mangled lines', () => {
    const rng = rngFor('detect', 'scan');
    const pieces = [' ', '\t', '"', '\\', ',', ':', '{', '}', '\\u0041', '\\"', 'x', '1', '\u00e9', '\u0001', 'null', '[', ']'];
    let fastHits = 0;
    for (let n = 0; n < 3000; n++) {
      let line = rng() < 0.5 ? PURCHASE : BEFRIEND;
      const edits = 1 + Math.floor(rng() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rng() * (line.length + 1));
        const r = rng();
        if (r < 0.45) line = line.slice(0, at) + pieces[Math.floor(rng() * pieces.length)] + line.slice(at);
        else if (r < 0.9) line = line.slice(0, at) + line.slice(at + 1);
        else line = line.slice(0, at);
      }
      if (scanFlatEvent(line) !== undefined) fastHits++;
      expectAgreement(line);
    }
    expect(fastHits).toBeGreaterThan(100);
  });
});
