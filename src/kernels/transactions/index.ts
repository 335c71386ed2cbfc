/**
 * The `transactions` kernel: transactions over the links of `links` processes, with the
 * transactions of a `patterns` process mixed in, one block per sender.
 * Docs: docs/kernels/transactions.md.
 */
import { tableScope } from '../../expr/compile.js';
import { describeSpec } from '../../model/checked.js';
import { compileDistribution, valueSampler } from '../../model/distribution.js';
import { placeIn, readLimits } from '../../model/limits.js';
import { UNIT_SECONDS } from '../../model/time.js';
import { counts } from '../links/index.js';
import { failedSince, NodeIndex } from '../links/nodes.js';
import { LinksRuntime } from '../links/runtime.js';
import { PatternsRuntime } from '../patterns/runtime.js';
import type { Kernel } from '../types.js';
import { TransactionsRuntime } from './runtime.js';
import { transactionsSchema } from './schema.js';

export const transactionsKernel: Kernel = {
  name: 'transactions',
  summary: 'transactions over links with pattern transactions mixed in, one time-ordered block per sender',
  docs: 'kernels/transactions.md',
  schema: transactionsSchema,
  compile(spec, env) {
    const { ctx, path } = env;
    const mark = ctx.diagnostics.length;
    // A named process that is declared above but failed to compile was reported already.
    const failedAbove = (name: string) => {
      const names = Object.keys(env.scenario.processes ?? {});
      return names.includes(name) && names.indexOf(name) < names.indexOf(env.name) && !env.processes.some((x) => x.name === name);
    };
    let missing = false;
    const links: LinksRuntime[] = [];
    ((spec.links ?? []) as string[]).forEach((name, i) => {
      const p = env.processes.find((x) => x.name === name);
      if (p instanceof LinksRuntime) links.push(p);
      else reportProcess(name, 'links', [...path, 'links', i]);
    });
    let patterns: PatternsRuntime | undefined;
    if (spec.patterns !== undefined) {
      const p = env.processes.find((x) => x.name === spec.patterns);
      if (p instanceof PatternsRuntime) patterns = p;
      else reportProcess(spec.patterns, 'patterns', [...path, 'patterns']);
    }
    function reportProcess(name: string, kind: string, at: (string | number)[]) {
      missing = true;
      if (failedAbove(name)) return;
      const known = env.processes.filter((x) => x.kind === kind).map((x) => x.name);
      ctx.report('ref-unknown', at, { what: `${kind} process declared above "${env.name}"`, name, known: known.join(', ') });
    }
    if (links.length === 0 && !patterns && !missing) {
      ctx.report('ref-mismatch', path, { detail: 'a transactions process needs `links`, `patterns` or both', hint: 'Name the links processes whose links carry transactions, and/or a patterns process.' }, true);
    }
    if (missing || failedSince(ctx.diagnostics, mark)) return undefined;
    const nodes = new NodeIndex(env.populations);
    const sending = new Set<string>([...links.map((l) => l.o.from.name), ...(patterns?.o.rules.flatMap((r) => r.members) ?? [])]);
    const senders = nodes.names.map((_, i) => i).filter((i) => sending.has(nodes.names[i]));
    const bindings: unknown[] = [nodes.names, links.map((l) => l.name)];
    const scope = tableScope(
      {
        ...counts(env.populations),
        'source.actor': 'B[0][c.sp]',
        'source.id': 'c.si',
        'source.node': 'c.sn',
        'target.actor': 'B[0][c.tp]',
        'target.id': 'c.ti',
        'target.node': 'c.tn',
        'link.type': 'B[1][c.lk]',
      },
      bindings,
    );
    const compiled = (key: string) => (spec[key] === undefined ? undefined : compileDistribution(spec[key], [...path, key], scope, ctx));
    const q = (key: string) => {
      const d = compiled(key);
      return d && valueSampler(d);
    };
    // Numbers the kernel consumes are checked where it consumes them (see model/invalid.ts).
    const checkedNumber = (key: string) => {
      const d = compiled(key);
      return d && { sample: valueSampler(d), site: ctx.invalid.site(describeSpec(spec[key]), [...path, key], d.names, scope) };
    };
    const perLink = checkedNumber('per_link');
    const time = checkedNumber('time');
    const amount = checkedNumber('amount');
    const currency = q('currency');
    if (failedSince(ctx.diagnostics, mark) || !amount) return undefined;
    return new TransactionsRuntime({
      name: env.name,
      links,
      patterns,
      nodes,
      senders,
      perLink,
      time,
      amount,
      currency,
      invalid: ctx.invalid,
      decimals: spec.decimals ?? 2,
      order: spec.order ?? 'time',
      limits: readLimits(env.scenario),
      perLinkPlace: placeIn(ctx.map, [...path, 'per_link']),
      calendar: env.time,
      unitSec: UNIT_SECONDS[env.time.unit],
    });
  },
};
