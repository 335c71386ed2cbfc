/**
 * The streaming anomaly detector: batch events build state, stream purchases are checked against
 * the newest T purchases of the buyer's D-hop network and then remembered like any other.
 */
import { BadEventError, formatFlagged, parseEvent, type DetectEvent, type ParsedEvent } from './events.js';
import type { Amount } from './decimal.js';
import { PurchaseHistory } from './history.js';
import { NetworkIndex, type CacheStats } from './network.js';
import { judge } from './stats.js';

/** Detector parameters: network depth D >= 1 and baseline size T >= 2. */
export interface DetectorOptions {
  D: number;
  T: number;
  /**
   * How many member ids the network cache may hold in total (4 bytes each). 0 disables caching.
   * Defaults to 4,000,000 (about 16 MB).
   */
  cacheBudget?: number;
  /**
   * Dropped cache entries over which the cache judges itself, pausing when most were never
   * reused. Defaults to 4,096; smaller values only make sense in tests.
   */
  cacheWindow?: number;
}

/** A purchase found anomalous. */
export interface FlagResult {
  /** The purchase's original fields. */
  event: Readonly<Record<string, unknown>>;
  /** Baseline mean and population sd, truncated to 2 decimals. */
  mean: string;
  sd: string;
  /** Number of purchases in the baseline (2..T). */
  baselineSize: number;
  /** The flagged_purchases.json line, without newline. */
  line: string;
}

/** What the detector holds, for reports. */
export interface DetectorStats {
  users: number;
  friendships: number;
  cache: CacheStats;
}

/** The default network cache budget, in member ids. */
export const DEFAULT_CACHE_BUDGET = 4_000_000;

/** Checks purchases against their social network's recent spending. */
export class AnomalyDetector {
  readonly D: number;
  readonly T: number;
  private readonly users = new Map<string, number>();
  private readonly network: NetworkIndex;
  private readonly history: PurchaseHistory;
  /** Input order across batch then stream; breaks timestamp ties. */
  private seq = 0;

  constructor(opts: DetectorOptions) {
    if (!Number.isInteger(opts.D) || opts.D < 1) throw new RangeError(`D must be an integer >= 1, got ${opts.D}`);
    if (!Number.isInteger(opts.T) || opts.T < 2) throw new RangeError(`T must be an integer >= 2, got ${opts.T}`);
    this.D = opts.D;
    this.T = opts.T;
    this.network = new NetworkIndex(opts.D, opts.cacheBudget ?? DEFAULT_CACHE_BUDGET, opts.cacheWindow);
    this.history = new PurchaseHistory(opts.T);
  }

  /**
   * Applies a batch event (no flagging). Throws BadEventError when the event is invalid, a
   * self-friendship, or an unfriend of two users who are not friends; state is then unchanged.
   */
  apply(event: DetectEvent | ParsedEvent): void {
    const e = toParsed(event);
    if (e.type === 'purchase') this.remember(this.userNumber(e.user), e.ts, e.amount);
    else this.changeFriendship(e);
  }

  /**
   * Processes a stream event: a purchase is checked against its baseline, then remembered whether
   * flagged or not; friendship changes are applied. Returns the verdict for anomalous purchases,
   * else null. Throws BadEventError like `apply`.
   */
  check(event: DetectEvent | ParsedEvent): FlagResult | null {
    const e = toParsed(event);
    if (e.type !== 'purchase') {
      this.changeFriendship(e);
      return null;
    }
    const user = this.userNumber(e.user);
    const baseline = this.history.newest(this.network.networkOf(user));
    const count = baseline.count;
    const verdict = count >= 2 ? judge(baseline.cents, count, e.amount, (i) => this.history.exactAt(baseline.seqs[i])) : null;
    this.remember(user, e.ts, e.amount);
    if (verdict === null) return null;
    return { event: e.fields, mean: verdict.mean, sd: verdict.sd, baselineSize: count, line: formatFlagged(e, verdict.mean, verdict.sd) };
  }

  /**
   * The current baseline of `user`'s network as plain numbers (mean and population sd in
   * currency units; 0 when fewer than 2 purchases): what a generator needs to make an
   * anomalous amount. Does not change any state.
   */
  baseline(user: string): { count: number; mean: number; sd: number } {
    const id = this.users.get(user);
    if (id === undefined) return { count: 0, mean: 0, sd: 0 };
    const b = this.history.newest(this.network.networkOf(id));
    if (b.count < 2) return { count: b.count, mean: 0, sd: 0 };
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < b.count; i++) {
      // Approximate by design (floats); amounts that are not whole cents come from the exact store.
      const exact = b.cents[i] === b.cents[i] ? null : this.history.exactAt(b.seqs[i]);
      const x = exact === null ? b.cents[i] / 100 : Number(exact.units) / 10 ** exact.scale;
      sum += x;
      sq += x * x;
    }
    const mean = sum / b.count;
    return { count: b.count, mean, sd: Math.sqrt(Math.max(0, sq / b.count - mean * mean)) };
  }

  /** Current size of the state and cache counters. */
  get stats(): DetectorStats {
    return { users: this.users.size, friendships: this.network.graph.friendships, cache: { ...this.network.stats } };
  }

  private remember(user: number, ts: number, amount: Amount): void {
    this.history.add(user, ts, this.seq++, amount);
  }

  private changeFriendship(e: Extract<ParsedEvent, { type: 'befriend' | 'unfriend' }>): void {
    if (e.user1 === e.user2) throw new BadEventError('self-friendship', `user ${JSON.stringify(e.user1)} cannot ${e.type} themselves`);
    if (e.type === 'befriend') {
      this.network.befriend(this.userNumber(e.user1), this.userNumber(e.user2));
    } else {
      const a = this.users.get(e.user1);
      const b = this.users.get(e.user2);
      if (a === undefined || b === undefined || !this.network.unfriend(a, b)) {
        throw new BadEventError('unfriend-strangers', `users ${JSON.stringify(e.user1)} and ${JSON.stringify(e.user2)} are not friends`);
      }
    }
    this.seq++;
  }

  private userNumber(id: string): number {
    let n = this.users.get(id);
    if (n === undefined) {
      n = this.users.size;
      this.users.set(id, n);
    }
    return n;
  }
}

function toParsed(event: DetectEvent | ParsedEvent): ParsedEvent {
  return 'type' in event ? event : parseEvent(event);
}
