/**
 * Synthetic batch + stream logs in the challenge's format, for benchmarks and demonstrations.
 *
 * The mix mimics a social payment app: the batch half is mostly the friendship graph being built
 * plus purchase history; the stream half is purchases with some friendship churn. Friendships are
 * mostly local (a ring of communities, which gives clustering) with some random long links, and
 * user activity is skewed, so a few users buy and befriend far more than most. About 0.2% of
 * purchases are spikes of 20-50 times a typical basket, so some get flagged.
 */
import { buildAlias, drawAlias, type AliasTable } from '../rng/alias.js';
import { exponential, lognormal } from '../rng/distributions.js';
import { rngFor, type Rng } from '../rng/index.js';
import { BufferedLineWriter } from './lines.js';

/** What to write and how much. */
export interface SyntheticLogOptions {
  batch: string;
  stream: string;
  /** Events in both logs together (header excluded); the first half goes to the batch log. */
  events: number;
  /** User ids are 0 .. users - 1 (at most 2^26). */
  users: number;
  D: number;
  T: number;
  /** Share of friendship changes among stream events, 70% befriend and 30% unfriend. Default 0.10. */
  streamChurn?: number;
  seed?: number | string;
}

/** Half-width, in user ids, of the community a local friendship stays within. */
const COMMUNITY = 100;
/** Share of befriends that stay within the community. */
const LOCAL_SHARE = 0.7;

/** Writes the two logs. Friendship events always name valid pairs, so every line is good. */
export async function writeSyntheticLogs(opts: SyntheticLogOptions): Promise<void> {
  const rng = rngFor(opts.seed ?? 20170613, 'detect-synthetic-logs');
  const weights = new Float64Array(opts.users);
  for (let u = 0; u < opts.users; u++) weights[u] = lognormal(rng, 0, 0.8);
  const activity = buildAlias(weights);
  const churn = opts.streamChurn ?? 0.1;
  const edges = new EdgeSet();
  let clock = Date.UTC(2017, 5, 13, 0, 0, 0);
  const batchEvents = Math.floor(opts.events / 2);
  const parts = [
    { path: opts.batch, count: batchEvents, befriend: 0.56, unfriend: 0.02 },
    { path: opts.stream, count: opts.events - batchEvents, befriend: 0.7 * churn, unfriend: 0.3 * churn },
  ];
  for (const part of parts) {
    const out = new BufferedLineWriter(part.path);
    if (part.path === opts.batch) out.write(`{"D":"${opts.D}", "T":"${opts.T}"}`);
    for (let i = 0; i < part.count; i++) {
      clock += Math.round(exponential(rng, 50)); // about 20 events a second: many timestamp ties
      const ts = new Date(clock).toISOString().slice(0, 19).replace('T', ' ');
      const r = rng();
      if (r < part.unfriend && edges.size > 0) {
        const [a, b] = edges.removeRandom(rng);
        out.write(`{"event_type":"unfriend", "timestamp":"${ts}", "id1": "${a}", "id2": "${b}"}`);
      } else if (r < part.unfriend + part.befriend) {
        const [a, b] = friendPair(rng, activity, opts.users);
        edges.add(a, b);
        out.write(`{"event_type":"befriend", "timestamp":"${ts}", "id1": "${a}", "id2": "${b}"}`);
      } else {
        out.write(`{"event_type":"purchase", "timestamp":"${ts}", "id": "${drawAlias(activity, rng)}", "amount": "${amount(rng)}"}`);
      }
      await out.flush();
    }
    await out.close();
  }
}

/** Two distinct users: usually neighbours on the community ring, sometimes anyone. */
function friendPair(rng: Rng, activity: AliasTable, users: number): [number, number] {
  const a = drawAlias(activity, rng);
  for (;;) {
    const local = rng() < LOCAL_SHARE;
    const b = local ? (a + users + Math.round((rng() * 2 - 1) * COMMUNITY)) % users : Math.floor(rng() * users);
    if (b !== a) return [a, b];
  }
}

/** Typical basket sizes, with a rare spike. */
function amount(rng: Rng): string {
  let value = lognormal(rng, Math.log(40), 0.8);
  if (rng() < 0.002) value *= 20 + 30 * rng();
  return (Math.round(value * 100) / 100).toFixed(2);
}

/** Current friendships, with O(1) removal of a random one (for unfriend events). */
class EdgeSet {
  private readonly keys: number[] = [];
  private readonly index = new Map<number, number>();

  get size(): number {
    return this.keys.length;
  }

  add(a: number, b: number): void {
    const key = a < b ? a * 2 ** 26 + b : b * 2 ** 26 + a;
    if (this.index.has(key)) return;
    this.index.set(key, this.keys.length);
    this.keys.push(key);
  }

  removeRandom(rng: Rng): [number, number] {
    const at = Math.floor(rng() * this.keys.length);
    const key = this.keys[at];
    const last = this.keys.pop()!;
    if (at < this.keys.length) {
      this.keys[at] = last;
      this.index.set(last, at);
    }
    this.index.delete(key);
    return [Math.floor(key / 2 ** 26), key % 2 ** 26];
  }
}
