/**
 * The bulk bookkeeping reads of the per-user list stores (`heads`, `spans`), which compute ring
 * positions without branches: they must agree with the per-user `count` and `offset` whatever
 * the rings have been through (wrapping heads, dropped and truncated records, users never seen).
 */
import { describe, expect, it } from 'vitest';
import { NewestFirstMerge } from '../../src/detect/merge.js';
import { FixedRings } from '../../src/detect/rings.js';
import { UserSlots } from '../../src/detect/slots.js';
import { rngFor } from '../../src/rng/index.js';

const WIDTH = 4;
const LIMIT = 5;
const USERS = 12;

type Store = FixedRings | UserSlots<Float64Array>;

/** Random appends (dropping the oldest when full), drops and truncations; returns the store. */
function churn(store: Store, seed: string, steps: number, check: (step: number) => void): void {
  const r = rngFor(7, seed);
  let key = 0;
  for (let step = 0; step < steps; step++) {
    const user = Math.floor(r() * USERS);
    store.reserve(user);
    const op = r();
    const n = store.count(user);
    if (op < 0.7) {
      if (n === LIMIT) store.dropFirst(user);
      store.insertAt(user, store.count(user));
      const at = store.offset(user, store.count(user) - 1);
      store.data[at] = ++key;
      store.data[at + WIDTH - 1] = user;
    } else if (op < 0.85 && n > 0) store.dropFirst(user);
    else if (n > 0) store.truncate(user, Math.floor(r() * n));
    check(step);
  }
}

describe('bulk bookkeeping of the list stores', () => {
  for (const [name, make] of [
    ['fixed rings', () => new FixedRings(WIDTH, LIMIT)],
    ['growing slots', () => new UserSlots((n) => new Float64Array(n), WIDTH, LIMIT)],
  ] as const) {
    it(`${name}: heads opens a cursor for each list with records, agreeing with count and offset`, () => {
      const store: Store = make();
      // Users 0..USERS-1 and two never seen (past the table: no list).
      const users = Int32Array.from({ length: USERS + 2 }, (_, i) => (i < USERS ? i : 5000 + i));
      const n = users.length;
      const cursors = { owner: new Int32Array(n), left: new Int32Array(n), position: new Int32Array(n), blockStart: new Int32Array(n), capacity: new Int32Array(n) };
      let wrapped = 0;
      churn(store, name, 3000, () => {
        const opened = store.heads(users, users.length, cursors);
        const listed = Array.from(users).filter((u) => u < USERS && store.count(u) > 0);
        expect(opened).toBe(listed.length);
        listed.forEach((u, c) => {
          const size = store.count(u);
          expect(cursors.owner[c], `cursor ${c}`).toBe(u);
          expect(cursors.left[c], `size of ${u}`).toBe(size);
          expect(cursors.position[c], `newest of ${u}`).toBe(store.offset(u, size - 1));
          // The block holds the whole ring: the newest entry lies inside it.
          expect(cursors.position[c]).toBeGreaterThanOrEqual(cursors.blockStart[c]);
          expect(cursors.position[c]).toBeLessThan(cursors.blockStart[c] + cursors.capacity[c] * WIDTH);
          if (store.offset(u, 0) > cursors.position[c]) wrapped++;
        });
      });
      // The rings did wrap, so the branch-free wrap arithmetic was exercised.
      expect(wrapped).toBeGreaterThan(100);
    });

    it(`${name}: a merge over every list yields all entries, newest first`, () => {
      const store: Store = make();
      churn(store, `${name}/merge`, 400, () => undefined);
      const users = Int32Array.from({ length: USERS }, (_, i) => i);
      const want: number[] = [];
      for (const u of users) for (let i = 0; i < store.count(u); i++) want.push(store.data[store.offset(u, i)]);
      want.sort((a, b) => b - a);
      // Keys ascend with insertion, so key order is list order; the merge keys on (TS, SEQ) = fields 0, 1.
      for (const u of users) for (let i = 0; i < store.count(u); i++) store.data[store.offset(u, i) + 1] = 0;
      const merge = new NewestFirstMerge();
      merge.start(store, users);
      const got: number[] = [];
      for (let at = merge.peek(); at >= 0; at = merge.peek()) {
        got.push(store.data[at]);
        merge.advance();
      }
      expect(want.length).toBeGreaterThan(20);
      expect(got).toEqual(want);
    });
  }

  it('spans gives each friend list start and length, and (0, 0) for users without one', () => {
    const slots = new UserSlots((n) => new Int32Array(n), 1, 0x7fffffff);
    for (let u = 0; u < 6; u++) {
      slots.reserve(u);
      for (let k = 0; k < u; k++) {
        slots.insertAt(u, slots.count(u));
        slots.data[slots.offset(u, slots.count(u) - 1)] = 100 * u + k;
      }
    }
    const users = [5, 0, 3, 9999];
    const out = new Int32Array(2 * users.length);
    slots.spans(users, 0, users.length, out);
    for (let i = 0; i < 3; i++) {
      const u = users[i];
      expect(out[2 * i + 1]).toBe(u);
      const list = Array.from(slots.data.subarray(out[2 * i], out[2 * i] + out[2 * i + 1]));
      expect(list).toEqual(Array.from({ length: u }, (_, k) => 100 * u + k));
    }
    expect(out[7]).toBe(0);
  });
});
