/**
 * A day's event counts of the social kernel: the Poisson means (the compiled rates for the
 * day) and the counts drawn from them. Shared by the run and by `SocialRuntime.declared()`,
 * so the report reads the very means the run drew from, random rates included: the draws
 * of a day come from the day's own stream, before any event touches the network, so they
 * can be replayed without the network.
 */
import type { Compiled, ExprContext } from '../../expr/compile.js';
import { poisson } from '../../rng/distributions.js';

export const BEFRIEND = 0;
export const UNFRIEND = 1;
export const PURCHASE = 2;
export const TYPES = ['befriend', 'unfriend', 'purchase'] as const;
export type SocialEventType = (typeof TYPES)[number];

export interface SocialRates {
  initial?: Compiled;
  befriendRate?: Compiled;
  unfriendRate?: Compiled;
  purchaseRate: Compiled;
}

/** The means a day's counts were drawn from, by event type (befriend includes the initial ones on day 0). */
export interface DayMeans {
  /** floor(initial_friendships): befriend events at the start of day 0 (0 on other days). */
  initial: number;
  /** Poisson mean per type, in TYPES order. */
  rates: [number, number, number];
}

/** Hands `count` events of a kind to the day; `at` is a fixed second of the day (else drawn uniformly). */
export type Push = (kind: number, count: number, key: string, at?: number) => void;

/**
 * Draws the day's counts in the run's order (initial friendships on day 0, then befriend,
 * unfriend, purchase) and pushes them. `number` evaluates an expression as the run does
 * (invalid values reported, fallback 0); negative rates count as 0.
 */
export function drawDay(
  rates: SocialRates,
  day: number,
  c: ExprContext,
  r: () => number,
  number: (f: Compiled, key: string, c: ExprContext, fallback: number) => number,
  push: Push,
): DayMeans {
  const rate = (f: Compiled | undefined, key: string) => (f ? Math.max(0, number(f, key, c, 0)) : 0);
  const means: DayMeans = { initial: 0, rates: [0, 0, 0] };
  if (day === 0) {
    means.initial = Math.floor(rate(rates.initial, 'initial_friendships'));
    push(BEFRIEND, means.initial, 'initial_friendships', 0);
  }
  means.rates[BEFRIEND] = rate(rates.befriendRate, 'befriend_rate');
  push(BEFRIEND, poisson(r, means.rates[BEFRIEND]), 'befriend_rate');
  means.rates[UNFRIEND] = rate(rates.unfriendRate, 'unfriend_rate');
  push(UNFRIEND, poisson(r, means.rates[UNFRIEND]), 'unfriend_rate');
  means.rates[PURCHASE] = rate(rates.purchaseRate, 'purchase_rate');
  push(PURCHASE, poisson(r, means.rates[PURCHASE]), 'purchase_rate');
  return means;
}
