/**
 * The names a `transactions` process offers output columns, and the hand-written writers
 * of the columns every transaction row has.
 */
import type { SpecialColumn } from '../../sinks/encoders.js';
import { amountColumn, clockColumn, clockText, dateColumn, idColumn } from './columns.js';
import type { TransactionIds } from './ids.js';
import type { TransactionContext, TransactionsOptions } from './runtime.js';
import { booleanColumn, cachedTextColumn, fixedTextColumn, intColumn, optionalIntColumn } from './text-columns.js';

export function transactionNames(o: TransactionsOptions, bindings: unknown[], ids: () => TransactionIds) {
  const k = bindings.length;
  const rules = o.patterns?.o.rules ?? [];
  const kinds = ['', ...rules.map((r) => r.kind)];
  const ruleNames = ['', ...rules.map((r) => r.name)];
  bindings.push(o.nodes.names, o.links.map((l) => l.name), kinds, ruleNames, o.calendar, (c: TransactionContext) => ids().text(c.sn, c.k), clockText);
  const table: Record<string, string> = {
    'source.actor': `B[${k}][c.sp]`,
    'source.id': 'c.si',
    'source.node': 'c.sn',
    'target.actor': `B[${k}][c.tp]`,
    'target.id': 'c.ti',
    'target.node': 'c.tn',
    'link.type': `(c.lk >= 0 ? B[${k + 1}][c.lk] : "")`,
    'transaction.id': `B[${k + 5}](c)`,
    'transaction.index': 'c.k',
    'transaction.time': `(c.t / ${o.unitSec})`,
    'transaction.timestamp': `B[${k + 4}].timestamp(c.t / ${o.unitSec})`,
    'transaction.date': `B[${k + 4}].date(Math.floor(c.t / 86400))`,
    'transaction.clock': `B[${k + 6}](c.t)`,
    'transaction.amount': 'c.amt',
    'transaction.currency': 'c.cur',
    'transaction.in_pattern': '(c.inst >= 0)',
    'pattern.kind': `B[${k + 2}][c.rule + 1]`,
    'pattern.rule': `B[${k + 3}][c.rule + 1]`,
    'pattern.instance': '(c.inst >= 0 ? c.inst : "")',
    'pattern.step': '(c.inst >= 0 ? c.step : "")',
  };
  const ctx = (c: unknown) => c as TransactionContext;
  const specials: Record<string, SpecialColumn> = {
    'source.actor': fixedTextColumn(o.nodes.names, (c) => ctx(c).sp),
    'target.actor': fixedTextColumn(o.nodes.names, (c) => ctx(c).tp),
    'pattern.kind': fixedTextColumn(kinds, (c) => ctx(c).rule + 1),
    'pattern.rule': fixedTextColumn(ruleNames, (c) => ctx(c).rule + 1),
    'source.id': intColumn((c) => ctx(c).si),
    'source.node': intColumn((c) => ctx(c).sn),
    'target.id': intColumn((c) => ctx(c).ti),
    'target.node': intColumn((c) => ctx(c).tn),
    'transaction.index': intColumn((c) => ctx(c).k),
    'transaction.in_pattern': booleanColumn((c) => ctx(c).inst >= 0),
    'pattern.instance': optionalIntColumn((c) => ctx(c).inst),
    'transaction.currency': cachedTextColumn((c) => ctx(c).cur),
    'transaction.id': idColumn(ids),
    'transaction.date': dateColumn(o.calendar),
    'transaction.clock': clockColumn,
    'transaction.amount': amountColumn(o.decimals),
  };
  return { table, specials };
}
