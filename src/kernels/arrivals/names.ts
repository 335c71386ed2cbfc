/**
 * The record of one event and the names expressions use to read it. One context object is
 * reused for every event (no allocation per row); names compile to reads of its fields,
 * of the actor's population columns and of the ledger arrays. The same table serves the
 * kernel's own expressions and the output columns, so both always agree.
 */
import type { ExprContext } from '../../expr/compile.js';
import { memberNames, type Population } from '../../model/population.js';
import type { TimeModel } from '../../model/time.js';
import type { MemberKey } from '../../sinks/member-columns.js';

export interface EventContext extends ExprContext {
  /** Time, in scenario units from the start of day 0; day; hour of day (integer); hour of day with fraction. */
  t: number;
  day: number;
  hour: number;
  tod: number;
  /** Mark index; actor index. */
  m: number;
  a: number;
  /** This actor's event number (1, 2, ...); index of the event in the run (0, 1, ...). */
  seq: number;
  ev: number;
  /** Index within its burst (0: the arrival) and the burst's length (1 without a burst). */
  b: number;
  bl: number;
  amount: number;
  acc: boolean;
  /**
   * Values of `let`, in order, as fields lv0, lv1, ... (see newEventContext). Fields, not an
   * array: a field that only ever holds numbers keeps them unboxed (V8 updates the number in
   * place), where an array mixing text and numbers allocates a heap number per store.
   */
  [lv: `lv${number}`]: unknown;
  /** Per choice: chosen member, its distance and its score. */
  ci: Int32Array;
  cd: Float64Array;
  cs: Float64Array;
}

export function newEventContext(lets: number, choices: number): EventContext {
  // Built by a generated literal so every field, the `let` values included, is in the object
  // from the start (one shape, fields stored inside the object).
  const lv = Array.from({ length: lets }, (_, i) => `lv${i}: 0`).join(', ');
  // eslint-disable-next-line no-new-func -- generated from the number of values only (no user text).
  const make = new Function('choices', `"use strict"; return {
    r: () => 0, t: 0, day: 0, hour: 0, tod: 0, m: 0, a: 0, seq: 0, ev: 0, b: 0, bl: 1, amount: 0, acc: true,
    ci: new Int32Array(choices).fill(-1), cd: new Float64Array(choices), cs: new Float64Array(choices)${lv ? `, ${lv}` : ''},
  };`);
  return make(choices) as EventContext;
}

/** What the names of an event refer to. */
export interface EventLayout {
  actor: Population;
  populations: Map<string, Population>;
  time: TimeModel;
  marks: string[];
  ledgerNames: string[];
  /** One array of values per ledger, indexed by actor (allocated at compile time: the count is known). */
  ledgerValues: Float64Array[];
  lets: string[];
  choices: { name: string; pop: Population }[];
}

/** How far into the event a name table reaches (names computed later are not visible). */
export interface Visible {
  lets: number;
  choices: number;
  amount: boolean;
  accepted: boolean;
}

export const ALL: Visible = { lets: Infinity, choices: Infinity, amount: true, accepted: true };

/** Names with built-in meanings; `let` and `choose` may not reuse them. */
export const RESERVED = ['t', 'day', 'hour', 'time_of_day', 'date', 'timestamp', 'mark', 'amount', 'accepted', 'price', 'distance', 'actor', 'ledger', 'event', 'count'];

/** `count.<actor>` for every population, as constants. */
export function countNames(populations: Map<string, Population>): Record<string, string> {
  const table: Record<string, string> = {};
  for (const [name, pop] of populations) table[`count.${name}`] = String(pop.count);
  return table;
}

/** Names about one actor: `actor.*`, `ledger.*`, `count.*` (for pick weights and ledgers). */
export function actorNames(layout: EventLayout, bindings: unknown[], ledgers = true): Record<string, string> {
  const table: Record<string, string> = { ...countNames(layout.populations), ...memberNames(layout.actor, 'actor.', 'c.a', bindings) };
  if (ledgers) {
    const k = bindings.length;
    bindings.push(layout.ledgerValues);
    layout.ledgerNames.forEach((n, i) => (table[`ledger.${n}`] = `B[${k}][${i}][c.a]`));
  }
  return table;
}

/** Names of an event, up to what `visible` allows. */
export function eventNames(layout: EventLayout, bindings: unknown[], visible: Visible = ALL): Record<string, string> {
  const k = bindings.length;
  bindings.push(layout.marks, layout.time);
  const table: Record<string, string> = {
    ...actorNames(layout, bindings),
    t: 'c.t',
    day: 'c.day',
    hour: 'c.hour',
    time_of_day: 'c.tod',
    date: `B[${k + 1}].date(c.day)`,
    timestamp: `B[${k + 1}].timestamp(c.t)`,
    mark: `B[${k}][c.m]`,
    'event.seq': 'c.seq',
    'event.index': 'c.ev',
    'event.burst_index': 'c.b',
    'event.burst_length': 'c.bl',
    'event.follow_up': '(c.b > 0)',
  };
  layout.lets.slice(0, visible.lets).forEach((n, i) => (table[n] = `c.lv${i}`));
  layout.choices.slice(0, visible.choices).forEach(({ name, pop }, i) => {
    Object.assign(table, memberNames(pop, `${name}.`, `c.ci[${i}]`, bindings));
    table[`${name}.distance`] = `c.cd[${i}]`;
    table[`${name}.score`] = `c.cs[${i}]`;
  });
  if (visible.amount) table.amount = 'c.amount';
  if (visible.accepted) table.accepted = 'c.acc';
  return table;
}

/**
 * Names constant per member (`actor.*` but ledgers, and the chosen members' `id` and
 * attributes), with the code of the member's index: outputs keep the encoded bytes of
 * columns that read nothing else (sinks/member-columns.ts).
 */
export function memberKeys(layout: EventLayout): Record<string, MemberKey> {
  const keys: Record<string, MemberKey> = {};
  const add = (pop: Population, prefix: string, index: string) => {
    keys[`${prefix}id`] = { index, count: pop.count };
    for (const { name } of pop.attributes) keys[`${prefix}${name}`] = { index, count: pop.count };
  };
  add(layout.actor, 'actor.', 'c.a');
  layout.choices.forEach(({ name, pop }, i) => add(pop, `${name}.`, `c.ci[${i}]`));
  return keys;
}
