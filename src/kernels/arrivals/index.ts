/**
 * The `arrivals` kernel: compiles a process spec (rate, marks, pick weight, ledgers, and
 * the per-event stages with their per-mark replacements), checking names and references,
 * into an ArrivalsRuntime. Docs: docs/kernels/arrivals.md.
 */
import { tableScope, type Compiled } from '../../expr/compile.js';
import type { AnalysisContext } from '../../model/context.js';
import { readLimits } from '../../model/limits.js';
import type { Path } from '../../phases/1-parse/index.js';
import type { Kernel } from '../types.js';
import { ActorPicker } from './actor-pick.js';
import { EventCompiler, type EventPlan } from './compile-event.js';
import { siteAt } from './errors.js';
import { compileIntensity } from './intensity-compile.js';
import { LedgerUpdates, Ledgers, type LedgerDef } from './ledger.js';
import { actorNames, countNames, eventNames, RESERVED, type EventLayout } from './names.js';
import { ArrivalsRuntime } from './runtime.js';
import { arrivalsSchema } from './schema.js';

/** The mark of every arrival when `marks` is left out. */
const DEFAULT_MARK = 'arrival';

export const arrivalsKernel: Kernel = {
  name: 'arrivals',
  summary: 'events in continuous time (non-homogeneous Poisson), marked, with weighted actor picks, ledgers, choices and bursts',
  docs: 'kernels/arrivals.md',
  schema: arrivalsSchema,
  compile(spec, env) {
    const { ctx, path, populations, time } = env;
    const pop = populations.get(spec.actor);
    if (!pop) ctx.report('ref-unknown', [...path, 'actor'], { what: 'actor', name: spec.actor, known: [...populations.keys()].join(', ') });
    const markSpecs: Record<string, any> = spec.marks ?? { [DEFAULT_MARK]: 1 };
    checkNames(spec, markSpecs, env.populations, ctx, path);
    const intensity = compileIntensity(spec.rate, spec.max_rate, { ctx, time, path, limits: readLimits(env.scenario), counts: countNames(populations) });
    const marks = Object.keys(markSpecs);
    const markWeights = marks.map((m) => (typeof markSpecs[m] === 'number' ? markSpecs[m] : markSpecs[m].weight));
    const totalWeight = markWeights.reduce((a, b) => a + b, 0);
    if (!(totalWeight > 0 && Number.isFinite(totalWeight))) {
      ctx.report('weights-invalid', [...path, 'marks'], { where: [...path, 'marks'].join('.'), detail: totalWeight > 0 ? 'mark weights must be finite' : 'mark weights are all 0' });
    }
    if (ctx.failed || !pop || !intensity) return undefined;

    const ledgerNames = Object.keys(spec.ledger ?? {});
    const layout: EventLayout = {
      actor: pop,
      populations,
      time,
      marks,
      ledgerNames,
      ledgerValues: ledgerNames.map(() => new Float64Array(pop.count)),
      lets: Object.keys(spec.let ?? {}),
      choices: Object.entries<any>(spec.choose ?? {}).map(([name, ch]) => ({ name, pop: populations.get(ch.from)! })),
    };
    const bindings: unknown[] = [];
    const fixed = (v: unknown, at: Path, table: Record<string, string>): Compiled | undefined => {
      if (typeof v === 'number') return () => v;
      const r = ctx.expr(String(v), at, tableScope(table, bindings));
      if (r.random) ctx.report('expr-unsupported', at, { detail: 'random draws are not allowed here (put them in an actor attribute)', expr: String(v) });
      return r.fn;
    };
    const defs: LedgerDef[] = ledgerNames.map((name) => {
      const l = spec.ledger[name];
      const at = [...path, 'ledger', name];
      const initial = fixed(l.initial, [...at, 'initial'], actorNames(layout, bindings, false))!;
      const to = l.reset ? fixed(l.reset.to, [...at, 'reset', 'to'], actorNames(layout, bindings)) : undefined;
      const initialSite = siteAt(ctx, [...at, 'initial'], l.initial);
      return { name, initial, initialSite, ...(l.reset ? { reset: { every: l.reset.every, to: to!, site: siteAt(ctx, [...at, 'reset', 'to'], l.reset.to) } } : {}) };
    });
    const ledgers = new Ledgers(defs, layout.ledgerValues);
    const weight = spec.pick !== undefined ? fixed(spec.pick, [...path, 'pick'], actorNames(layout, bindings)) : undefined;
    const picker = new ActorPicker(pop.count, weight, spec.pick !== undefined ? siteAt(ctx, [...path, 'pick'], spec.pick) : undefined);

    const compiler = new EventCompiler(ctx, layout, bindings);
    const base = compiler.plan(DEFAULT_MARK, spec, path);
    const plans: EventPlan[] = marks.map((m) =>
      typeof markSpecs[m] === 'object' ? compiler.plan(m, markSpecs[m], [...path, 'marks', m], base) : { ...base, mark: m },
    );
    const updateScope = tableScope(eventNames(layout, bindings), bindings);
    const updates = new LedgerUpdates(
      ledgers,
      Object.entries<string>(spec.update ?? {}).map(([name, text]) => ({
        ledger: ledgerNames.indexOf(name),
        value: ctx.expr(text, [...path, 'update', name], updateScope).fn!,
        site: siteAt(ctx, [...path, 'update', name], text),
      })),
    );
    if (ctx.failed) return undefined;
    return new ArrivalsRuntime({ name: env.name, layout, intensity, markWeights, plans, ledgers, updates, picker, time });
  },
};

/**
 * Reference and naming checks: chosen populations exist, `let` and `choose` names are
 * neither built in nor shared, marks replace only names declared at process level, and
 * updates name ledgers.
 */
function checkNames(spec: any, markSpecs: Record<string, any>, populations: Map<string, unknown>, ctx: AnalysisContext, path: Path): void {
  const lets = Object.keys(spec.let ?? {});
  const choices = Object.keys(spec.choose ?? {});
  for (const [kind, names] of [['let', lets], ['choose', choices]] as const) {
    for (const n of names) {
      if (RESERVED.includes(n) || (kind === 'choose' && lets.includes(n))) {
        ctx.report('ref-mismatch', [...path, kind, n], { detail: `"${n}" is ${RESERVED.includes(n) ? 'a built-in name' : 'already a let value'}`, hint: `Rename it; built-in names: ${RESERVED.join(', ')}.` }, true);
      }
    }
  }
  const checkChoice = (ch: any, at: Path) => {
    if (!populations.has(ch.from)) ctx.report('ref-unknown', [...at, 'from'], { what: 'actor', name: ch.from, known: [...populations.keys()].join(', ') });
  };
  for (const n of choices) checkChoice(spec.choose[n], [...path, 'choose', n]);
  for (const [m, ms] of Object.entries<any>(markSpecs)) {
    if (typeof ms !== 'object') continue;
    for (const [kind, declared] of [['let', lets], ['choose', choices]] as const) {
      for (const n of Object.keys(ms[kind] ?? {})) {
        const at = [...path, 'marks', m, kind, n];
        if (!declared.includes(n)) ctx.report('ref-unknown', at, { what: `process-level ${kind} value`, name: n, known: declared.join(', ') }, true);
        else if (kind === 'choose' && ms.choose[n].from !== spec.choose[n].from) {
          // `<name>.*` reads one population's columns, whatever the mark.
          ctx.report('ref-mismatch', [...at, 'from'], { detail: `marks.${m}.choose.${n} chooses from "${ms.choose[n].from}", the process-level choice from "${spec.choose[n].from}"`, hint: 'A mark may change how a member is chosen, not from which population.' });
        }
      }
    }
  }
  const ledgers = Object.keys(spec.ledger ?? {});
  for (const n of Object.keys(spec.update ?? {})) {
    if (!ledgers.includes(n)) ctx.report('ref-unknown', [...path, 'update', n], { what: 'ledger', name: n, known: ledgers.join(', ') }, true);
  }
}
