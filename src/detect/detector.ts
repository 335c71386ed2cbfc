/**
 * The streaming anomaly detector: batch events build state, stream purchases are checked against
 * the newest T purchases of the buyer's D-hop network and then remembered like any other.
 */
import { BadEventError, formatFlagged, parseEvent, type DetectEvent, type ParsedEvent } from './events.js';
import { SCANNED_BEFRIEND, SCANNED_PURCHASE, type ScannedEvent } from './scan-bytes.js';
import type { Amount } from './decimal.js';
import { BaselineFinder } from './baseline.js';
import { FriendGraph } from './graph.js';
import { PurchaseHistory } from './history.js';
import { UserNumbers } from './ids.js';
import { FriendPurchases } from './recent.js';
import { SEQ_LIMIT } from './record.js';
import { judge, type Verdict } from './stats.js';

/** Detector parameters: network depth D >= 1 and baseline size T >= 2. */
export interface DetectorOptions {
  D: number;
  T: number;
  /**
   * Sequence numbers (input order, which breaks timestamp ties) stay below this; reaching it, the
   * detector renumbers the purchases it keeps (PurchaseHistory.renumber). Default and most
   * SEQ_LIMIT (record.ts), about 2.1 billion events; tests set it low to exercise renumbering.
   */
  seqLimit?: number;
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

/** What the detector holds and how its checks went, for reports. */
export interface DetectorStats {
  users: number;
  friendships: number;
  /** Checks that fell back to the exact merge over the whole network (see baseline.ts). */
  fallbacks: number;
  /** Friends' purchase lists rebuilt after an unfriend (see recent.ts). */
  rebuilds: number;
}

/** Checks purchases against their social network's recent spending. */
export class AnomalyDetector {
  readonly D: number;
  readonly T: number;
  private readonly users = new UserNumbers();
  private readonly graph = new FriendGraph();
  private readonly history: PurchaseHistory;
  private readonly recent: FriendPurchases;
  private readonly baselines: BaselineFinder;
  /** See scannedAmount. */
  private readonly amount: Amount = { cents: 0, exact: null };
  /** Input order across batch then stream; breaks timestamp ties. */
  private seq = 0;
  private readonly seqLimit: number;

  constructor(opts: DetectorOptions) {
    if (!Number.isInteger(opts.D) || opts.D < 1) throw new RangeError(`D must be an integer >= 1, got ${opts.D}`);
    if (!Number.isInteger(opts.T) || opts.T < 2) throw new RangeError(`T must be an integer >= 2, got ${opts.T}`);
    this.D = opts.D;
    this.T = opts.T;
    this.seqLimit = Math.min(opts.seqLimit ?? SEQ_LIMIT, SEQ_LIMIT);
    this.history = new PurchaseHistory(opts.T);
    this.recent = new FriendPurchases(opts.T, this.graph, this.history);
    this.baselines = new BaselineFinder(opts.D, opts.T, this.graph, this.history, this.recent);
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
    const verdict = this.checkPurchase(this.userNumber(e.user), e.ts, e.amount);
    if (verdict === null) return null;
    const count = this.baselines.count;
    return { event: e.fields, mean: verdict.mean, sd: verdict.sd, baselineSize: count, line: formatFlagged(e, verdict.mean, verdict.sd) };
  }

  /**
   * `apply` for a line read by `scanEventBytes` (the file runner's fast path): the same work,
   * with ids given by their decimal values and the amount in cents. Throws BadEventError for an
   * unfriend of strangers, like `apply`.
   */
  applyScanned(e: ScannedEvent): void {
    if (e.kind === SCANNED_PURCHASE) this.remember(this.users.numberOfValue(e.a), e.ts, this.scannedAmount(e));
    else this.changeScannedFriendship(e);
  }

  /**
   * `check` for a line read by `scanEventBytes`. Returns the verdict of an anomalous purchase
   * (its line is then `formatFlagged` of the line's event), else null.
   */
  checkScanned(e: ScannedEvent): Verdict | null {
    if (e.kind !== SCANNED_PURCHASE) {
      this.changeScannedFriendship(e);
      return null;
    }
    return this.checkPurchase(this.users.numberOfValue(e.a), e.ts, this.scannedAmount(e));
  }

  /** A purchase by user number `user`: its verdict against its baseline, then it is remembered. */
  private checkPurchase(user: number, ts: number, amount: Amount): Verdict | null {
    if (!this.recent.built && this.baselines.usesFriendsLists) this.recent.buildAll(this.users.size);
    const baseline = this.baselines.of(user);
    const count = baseline.count;
    const verdict = count >= 2 ? judge(baseline.cents, count, amount, (i) => this.history.exactAt(baseline.seqs[i])) : null;
    this.remember(user, ts, amount);
    return verdict;
  }

  /** The amount of a scanned purchase, in an object reused from one to the next (nothing keeps it). */
  private scannedAmount(e: ScannedEvent): Amount {
    this.amount.cents = e.cents;
    return this.amount;
  }

  /**
   * The current baseline of `user`'s network as plain numbers (mean and population sd in
   * currency units; 0 when fewer than 2 purchases): what a generator needs to make an
   * anomalous amount. Does not change any state.
   */
  baseline(user: string): { count: number; mean: number; sd: number } {
    const id = this.users.find(user);
    if (id < 0) return { count: 0, mean: 0, sd: 0 };
    if (!this.recent.built && this.baselines.usesFriendsLists) this.recent.buildAll(this.users.size);
    const b = this.baselines.of(id);
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

  /** Current size of the state and the fallback counters. */
  get stats(): DetectorStats {
    return { users: this.users.size, friendships: this.graph.friendships, fallbacks: this.baselines.fallbacks, rebuilds: this.recent.rebuilds };
  }

  private remember(user: number, ts: number, amount: Amount): void {
    const seq = this.nextSeq();
    if (this.history.add(user, ts, seq, amount)) this.recent.addPurchase(user, ts, seq, amount.cents);
  }

  private changeFriendship(e: Extract<ParsedEvent, { type: 'befriend' | 'unfriend' }>): void {
    if (e.user1 === e.user2) throw new BadEventError('self-friendship', `user ${JSON.stringify(e.user1)} cannot ${e.type} themselves`);
    if (e.type === 'befriend') this.befriend(this.userNumber(e.user1), this.userNumber(e.user2));
    else this.unfriend(this.users.find(e.user1), this.users.find(e.user2), e.user1, e.user2);
  }

  /** A scanned befriend or unfriend (never of a user with themselves: the scanner leaves those to the string path). */
  private changeScannedFriendship(e: ScannedEvent): void {
    if (e.kind === SCANNED_BEFRIEND) this.befriend(this.users.numberOfValue(e.a), this.users.numberOfValue(e.b));
    else this.unfriend(this.users.findValue(e.a), this.users.findValue(e.b), String(e.a), String(e.b));
  }

  private befriend(a: number, b: number): void {
    if (this.graph.befriend(a, b)) this.recent.befriended(a, b);
    this.nextSeq();
  }

  /** Ends the friendship of user numbers a and b (-1: never seen), whose ids are id1 and id2. */
  private unfriend(a: number, b: number, id1: string, id2: string): void {
    if (a < 0 || b < 0 || !this.graph.unfriend(a, b)) {
      throw new BadEventError('unfriend-strangers', `users ${JSON.stringify(id1)} and ${JSON.stringify(id2)} are not friends`);
    }
    this.recent.unfriended(a, b);
    this.nextSeq();
  }

  /** The next sequence number, renumbering the kept purchases first when it would reach the limit. */
  private nextSeq(): number {
    if (this.seq >= this.seqLimit) {
      const old = this.history.renumber(this.users.size);
      this.recent.renumber(old, this.users.size);
      this.seq = old.length;
      if (this.seq >= this.seqLimit) throw new RangeError(`the detector keeps ${this.seq} purchases, more than its sequence numbers can order (${this.seqLimit})`);
    }
    return this.seq++;
  }

  private userNumber(id: string): number {
    return this.users.numberOf(id);
  }
}

function toParsed(event: DetectEvent | ParsedEvent): ParsedEvent {
  return 'type' in event ? event : parseEvent(event);
}
