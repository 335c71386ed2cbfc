/**
 * Each user's D-hop network, with a cache that knows when to stand aside.
 */
import { FriendGraph } from './graph.js';

/** Counters that show how well the network cache works on a given log. */
export interface CacheStats {
  hits: number;
  misses: number;
  /** Cached networks dropped because a friendship change could have altered them. */
  invalidated: number;
  /** Cached networks dropped to stay within the memory budget. */
  evicted: number;
  /** Times the cache switched itself off for a while because it was not paying for itself. */
  pauses: number;
}

/** Default number of dropped entries over which the cache judges whether it pays. */
export const DEFAULT_CACHE_WINDOW = 4_096;
/**
 * When more than this share of the cached networks dropped in a window had never been used, the
 * cache is costing more than it saves: every miss copies the network, every friendship change
 * walks D - 1 hops around its ends, and cached arrays crowd the CPU caches the walks rely on.
 */
const MAX_WASTED_SHARE = 0.8;
/** Network lookups, per window size, to run uncached before trying again (the log may change). */
const PAUSE_PER_WINDOW = 32;

interface CacheEntry {
  members: Int32Array;
  /** Served at least once since it was computed. */
  used: boolean;
}

/**
 * D-hop networks with a bounded, self-tuning cache. A friendship change between a and b can only
 * alter the network of a user within D - 1 hops of a or b (a new or lost path of at most D hops
 * must reach the edge within D - 1), so exactly those users' entries are dropped. The cache
 * holds at most `budget` member ids in total, evicting the least recently used networks first.
 * It watches what it drops: when most entries are invalidated or evicted before anyone reused
 * them (heavy friendship churn, or more distinct buyers than the budget holds), it clears
 * itself and stands aside for a while.
 */
export class NetworkIndex {
  readonly graph = new FriendGraph();
  readonly stats: CacheStats = { hits: 0, misses: 0, invalidated: 0, evicted: 0, pauses: 0 };
  private readonly cache = new Map<number, CacheEntry>();
  private cachedMembers = 0;
  private caching: boolean;
  private windowDrops = 0;
  private windowWasted = 0;
  private pausedFor = 0;

  constructor(
    readonly depth: number,
    readonly budget: number,
    readonly window = DEFAULT_CACHE_WINDOW,
  ) {
    // One hop is just the friend list: nothing to save.
    this.caching = budget > 0 && depth > 1;
  }

  /**
   * The user's network: everyone within `depth` hops, excluding the user. Valid until the next
   * call or friendship change; do not modify it.
   */
  networkOf(user: number): Int32Array {
    if (this.caching) {
      const cached = this.cache.get(user);
      if (cached !== undefined) {
        this.stats.hits++;
        cached.used = true;
        this.cache.delete(user); // re-insert: Map order is the recency order
        this.cache.set(user, cached);
        return cached.members;
      }
    }
    this.stats.misses++;
    const members = this.graph.within([user], this.depth, false);
    if (this.caching) {
      if (members.length <= this.budget) this.remember(user, members.slice());
    } else if (this.pausedFor > 0 && --this.pausedFor === 0) {
      this.caching = true;
    }
    return members;
  }

  /** Applies a befriend; false when already friends. */
  befriend(a: number, b: number): boolean {
    if (!this.graph.befriend(a, b)) return false;
    this.invalidateAround(a, b);
    return true;
  }

  /** Applies an unfriend; false when the two were not friends. */
  unfriend(a: number, b: number): boolean {
    if (!this.graph.areFriends(a, b)) return false;
    this.invalidateAround(a, b);
    this.graph.unfriend(a, b);
    return true;
  }

  /**
   * Drops the cached networks of everyone within D - 1 hops of a or b. One walk from both ends
   * finds them, and it does not matter whether the edge a-b is in place: a shortest path to the
   * nearer end never crosses that edge.
   */
  private invalidateAround(a: number, b: number): void {
    if (this.cache.size === 0) return;
    for (const u of this.graph.within([a, b], this.depth - 1, true)) {
      const entry = this.cache.get(u);
      if (entry === undefined) continue;
      this.cache.delete(u);
      this.stats.invalidated++;
      this.dropped(entry);
    }
  }

  private remember(user: number, members: Int32Array): void {
    this.cache.set(user, { members, used: false });
    this.cachedMembers += members.length;
    while (this.cachedMembers > this.budget) {
      const [oldest, entry] = this.cache.entries().next().value as [number, CacheEntry];
      this.cache.delete(oldest);
      this.stats.evicted++;
      this.dropped(entry);
    }
  }

  /** Accounts for an entry leaving the cache, and pauses caching after a wasteful window. */
  private dropped(entry: CacheEntry): void {
    this.cachedMembers -= entry.members.length;
    this.windowDrops++;
    if (!entry.used) this.windowWasted++;
    if (this.windowDrops < this.window) return;
    const wasteful = this.windowWasted > MAX_WASTED_SHARE * this.windowDrops;
    this.windowDrops = 0;
    this.windowWasted = 0;
    if (!wasteful) return;
    this.caching = false;
    this.pausedFor = PAUSE_PER_WINDOW * this.window;
    this.stats.pauses++;
    this.cache.clear();
    this.cachedMembers = 0;
  }
}
