/**
 * The typed API: events as objects, flag results, rejected events, parameters and stats.
 */
import { describe, expect, it } from 'vitest';
import { AnomalyDetector, BadEventError, parseAmount, type DetectEvent } from '../../src/detect/index.js';

const ts = (s: number): string => `2017-06-13 11:00:${String(s).padStart(2, '0')}`;
const purchase = (s: number, id: string, amount: string): DetectEvent => ({ event_type: 'purchase', timestamp: ts(s), id, amount });
const befriend = (s: number, id1: string, id2: string): DetectEvent => ({ event_type: 'befriend', timestamp: ts(s), id1, id2 });
const unfriend = (s: number, id1: string, id2: string): DetectEvent => ({ event_type: 'unfriend', timestamp: ts(s), id1, id2 });

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof BadEventError) return err.kind;
    throw err;
  }
  return 'accepted';
}

describe('AnomalyDetector', () => {
  it('checks event objects and returns the flag with its output line', () => {
    const d = new AnomalyDetector({ D: 3, T: 50 });
    d.apply(purchase(1, '1', '16.83'));
    d.apply(purchase(1, '1', '59.28'));
    d.apply(befriend(1, '1', '2'));
    d.apply(befriend(1, '3', '1'));
    d.apply(purchase(1, '1', '11.20'));
    d.apply(unfriend(1, '1', '3'));
    const flag = d.check({ event_type: 'purchase', timestamp: '2017-06-13 11:33:02', id: '2', amount: '1601.83' });
    expect(flag).toEqual({
      event: { event_type: 'purchase', timestamp: '2017-06-13 11:33:02', id: '2', amount: '1601.83' },
      mean: '29.10',
      sd: '21.46',
      baselineSize: 3,
      line: '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:02", "id": "2", "amount": "1601.83", "mean": "29.10", "sd": "21.46"}',
    });
    // Flagged purchases join the history like any other.
    expect(d.check(purchase(3, '1', '20.00'))).toBeNull();
    expect(d.check(purchase(4, '3', '1.00'))).toBeNull(); // no longer a friend of anyone
  });

  it('applies friendship events passed to check, and never flags them', () => {
    const d = new AnomalyDetector({ D: 1, T: 2 });
    d.apply(purchase(1, '2', '10.00'));
    d.apply(purchase(2, '2', '20.00'));
    expect(d.check(purchase(3, '1', '99.00'))).toBeNull();
    expect(d.check(befriend(4, '1', '2'))).toBeNull();
    expect(d.check(purchase(5, '1', '99.00'))?.mean).toBe('15.00');
    expect(d.stats).toMatchObject({ users: 2, friendships: 1 });
  });

  it('rejects bad events by kind and leaves the state alone', () => {
    const d = new AnomalyDetector({ D: 1, T: 50 });
    d.apply(befriend(0, 'a', 'b'));
    const bad: [unknown, string][] = [
      [{ event_type: 'purchase', timestamp: ts(1), amount: '1.00' }, 'missing-field'],
      [{ event_type: 'purchase', timestamp: ts(1), id: '', amount: '1.00' }, 'missing-field'],
      [{ event_type: 'purchase', timestamp: '2017-02-29 10:00:00', id: 'a', amount: '1.00' }, 'invalid-timestamp'],
      [{ event_type: 'purchase', timestamp: ts(1), id: 'a', amount: '1,00' }, 'invalid-amount'],
      [{ event_type: 'refund', timestamp: ts(1), id: 'a', amount: '1.00' }, 'unknown-event'],
      [{ timestamp: ts(1), id: 'a' }, 'unknown-event'],
      [befriend(1, 'a', 'a'), 'self-friendship'],
      [unfriend(1, 'a', 'c'), 'unfriend-strangers'],
      [unfriend(1, 'x', 'y'), 'unfriend-strangers'],
    ];
    for (const [event, kind] of bad) {
      expect(rejection(() => d.apply(event as DetectEvent))).toBe(kind);
      expect(rejection(() => d.check(event as DetectEvent))).toBe(kind);
    }
    expect(d.stats).toMatchObject({ users: 2, friendships: 1 });
    expect(rejection(() => d.apply(befriend(2, 'a', 'b')))).toBe('accepted'); // already friends: a no-op
    expect(d.stats.friendships).toBe(1);
  });

  it('accepts ids and amounts written as JSON numbers', () => {
    const d = new AnomalyDetector({ D: 1, T: 50 });
    d.apply({ event_type: 'befriend', timestamp: ts(0), id1: 1, id2: 2 } as unknown as DetectEvent);
    d.apply({ event_type: 'purchase', timestamp: ts(1), id: 2, amount: 10 } as unknown as DetectEvent);
    d.apply(purchase(2, '2', '20.00'));
    expect(d.check(purchase(3, '1', '30.01'))?.mean).toBe('15.00');
  });

  it('validates D and T', () => {
    expect(() => new AnomalyDetector({ D: 0, T: 50 })).toThrow(RangeError);
    expect(() => new AnomalyDetector({ D: 1, T: 1 })).toThrow(RangeError);
    expect(() => new AnomalyDetector({ D: 1.5, T: 5 })).toThrow(RangeError);
  });

  it('refills a full friends list when an unfriend empties part of it', () => {
    // T = 2, D = 2 (D = 1 keeps no lists): user 1's list holds the newest two purchases of
    // their friends, both by 2.
    const d = new AnomalyDetector({ D: 2, T: 2 });
    d.apply(befriend(0, '1', '2'));
    d.apply(befriend(0, '1', '3'));
    d.apply(purchase(1, '3', '10.00'));
    d.apply(purchase(2, '3', '20.00'));
    d.apply(purchase(3, '2', '100.00'));
    d.apply(purchase(4, '2', '200.00'));
    expect(d.check(purchase(5, '1', '1.00'))).toBeNull(); // builds the lists: baseline 100, 200
    d.check(unfriend(6, '1', '2'));
    expect(d.stats.rebuilds).toBe(1);
    // The list is now 3's purchases, dropped from it earlier: mean 15, sd 5.
    expect(d.check(purchase(7, '1', '99.00'))).toMatchObject({ mean: '15.00', sd: '5.00' });
  });

  it("falls back to the whole network when the buyer's own purchases fill a list", () => {
    // D = 2: 1 - 2 - 3. User 2's list (T = 2) holds only 1's two newest purchases, which 1's own
    // check must skip; 3's older purchases were dropped from that list but belong in the baseline.
    const d = new AnomalyDetector({ D: 2, T: 2 });
    d.apply(befriend(0, '1', '2'));
    d.apply(befriend(0, '2', '3'));
    d.apply(purchase(1, '3', '10.00'));
    d.apply(purchase(2, '3', '20.00'));
    d.apply(purchase(3, '1', '500.00'));
    d.apply(purchase(4, '1', '600.00'));
    expect(d.check(purchase(5, '1', '99.00'))).toMatchObject({ mean: '15.00', sd: '5.00', baselineSize: 2 });
    expect(d.stats.fallbacks).toBe(1);
  });

  it('takes pre-parsed events, as a generator feeds them, and reports the current baseline', () => {
    const d = new AnomalyDetector({ D: 1, T: 50 });
    d.apply({ type: 'befriend', ts: 1, user1: '1', user2: '2' });
    d.apply({ type: 'purchase', ts: 2, user: '2', amount: parseAmount('10.00')!, fields: {} });
    d.apply({ type: 'purchase', ts: 3, user: '2', amount: parseAmount('20.005')!, fields: {} });
    const b = d.baseline('1');
    expect(b.count).toBe(2);
    expect(b.mean).toBeCloseTo(15.0025, 10);
    expect(b.sd).toBeCloseTo(5.0025, 10);
    expect(d.baseline('2')).toEqual({ count: 0, mean: 0, sd: 0 });
    expect(d.baseline('nobody')).toEqual({ count: 0, mean: 0, sd: 0 });
    const flag = d.check({ type: 'purchase', ts: 4, user: '1', amount: parseAmount('99')!, fields: {} });
    expect(flag).toMatchObject({ mean: '15.00', sd: '5.00', line: '{"mean": "15.00", "sd": "5.00"}' });
  });
});
