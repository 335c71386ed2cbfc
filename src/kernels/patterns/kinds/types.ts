/**
 * What a pattern kind module provides: its own schema properties (the kernel adds the
 * common ones: count, members, currency, spread), and a compile step returning the
 * generator of one instance. Adding a kind: one module in this folder, one line in
 * kinds/index.ts, a docs page docs/patterns/<kind>.md and a structural test.
 */
import { quantity, type JsonSchema } from '../../../schema/parts.js';
import type { InstanceBuilder, Quantity } from '../builder.js';

export interface KindEnv {
  /** The compiled quantity at `key` of the rule, or undefined when the rule leaves it out. */
  quantity(key: string): Quantity | undefined;
  /** A number written in the rule (e.g. `max_fee`), or the fallback. */
  number(key: string, fallback: number): number;
}

/** Generates one instance through the builder. */
export type Generate = (b: InstanceBuilder) => void;

export interface PatternKind {
  name: string;
  /** One line for the docs and `scenario plan`. */
  summary: string;
  /** Docs page, relative to docs/. */
  docs: string;
  properties: Record<string, JsonSchema>;
  required: string[];
  compile(env: KindEnv): Generate;
}

/** Schema pieces several kinds share. */
export const common = {
  amount: (what: string): JsonSchema => quantity(`${what} Drawn per instance unless said otherwise.`),
  fee: quantity(
    'Share of the money the intermediaries keep as fees, drawn per instance and clamped to [0, max_fee] (e.g. `0.1 * random()`). Default 0.',
  ),
  maxFee: { type: 'number', minimum: 0, maximum: 1, default: 0.1, description: 'Cap on `fee`: the network never keeps more than this share.' },
  delay: quantity(
    'Time between one step of the money and the next (after the previous step\'s spread), in the scenario time unit, drawn per step. Default one day.',
  ),
  size: (what: string): JsonSchema => quantity(`${what} Drawn per instance, rounded down, at least 1.`),
};

/**
 * The fee rule of every kind whose intermediaries keep a share: `fee` drawn per instance
 * and clamped to [0, max_fee] (default 0, cap 0.1), so fees are never negative.
 */
export function feeShare(env: KindEnv): (b: InstanceBuilder) => number {
  const fee = env.quantity('fee');
  const maxFee = env.number('max_fee', 0.1);
  return (b) => Math.min(maxFee, Math.max(0, fee ? b.q(fee) : 0));
}

/** Clamps a drawn count to an integer >= min. */
export function atLeast(min: number, x: number): number {
  const n = Math.floor(x);
  // Capped so a size of 1e308 does not fail allocating a list: any size past the population
  // ends in InstanceTooLarge when members are drawn.
  return Number.isFinite(n) && n > min ? Math.min(n, 2 ** 31 - 1) : min;
}
