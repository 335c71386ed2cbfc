/**
 * The `markov` kernel: compiles a process spec (checking states, matrices and expressions)
 * into a MarkovRuntime. Docs: docs/kernels/markov.md.
 */
import { tableScope } from '../../expr/compile.js';
import { compileDistribution } from '../../model/distribution.js';
import { memberNames } from '../../model/population.js';
import type { Kernel } from '../types.js';
import { buildChainMatrix, trapStates, type ChainMatrix } from './chain.js';
import { MarkovRuntime } from './runtime.js';
import { describeSpec } from '../../model/checked.js';
import { readLimits } from '../../model/limits.js';
import { markovSchema } from './schema.js';

export const markovKernel: Kernel = {
  name: 'markov',
  summary: 'sessions per actor per day as Markov chains from a start state to an end state',
  docs: 'kernels/markov.md',
  schema: markovSchema,
  compile(spec, env) {
    const { ctx, scenario, path } = env;
    const pop = env.populations.get(spec.actor);
    const stateLists: Record<string, string[]> = scenario.states ?? {};
    if (!pop) {
      ctx.report('ref-unknown', [...path, 'actor'], { what: 'actor', name: spec.actor, known: [...env.populations.keys()].join(', ') });
    }
    const states = stateLists[spec.states];
    if (!states) {
      ctx.report('ref-unknown', [...path, 'states'], { what: 'state list', name: spec.states, known: Object.keys(stateLists).join(', ') });
      return undefined;
    }
    for (const key of ['start', 'end'] as const) {
      if (!states.includes(spec[key])) {
        ctx.report('ref-unknown', [...path, key], { what: `state of "${spec.states}"`, name: spec[key], known: states.join(', ') });
      }
    }
    // The structural checks below need both states; their absence is reported above.
    if (!states.includes(spec.start) || !states.includes(spec.end)) return undefined;
    if (spec.start === spec.end) {
      ctx.report('ref-mismatch', [...path, 'end'], { detail: 'start and end are the same state', hint: 'A session needs at least one step: use different states.' });
    }
    // The matrices a session of this process may use: every matrix over the same state list.
    const matrices: ChainMatrix[] = [];
    for (const [name, m] of Object.entries<any>(scenario.matrices ?? {})) {
      if (m.states !== spec.states) continue;
      const chain = buildChainMatrix(name, states, m.rows);
      if (chain.rows.some((r) => r === undefined)) continue; // reported by the matrix checks
      const { traps, endReachable } = trapStates(chain.rows, states.indexOf(spec.start), states.indexOf(spec.end));
      // When the end cannot be reached at all, every reachable state is a trap: say the simpler thing.
      if (!endReachable) {
        ctx.report('markov-end-unreachable', ['matrices', name], { matrix: name, start: spec.start, end: spec.end }, true);
      } else if (traps.length > 0) {
        ctx.report('markov-trap', ['matrices', name, 'rows', states[traps[0]]], {
          matrix: name, states: traps.map((t) => `"${states[t]}"`).join(', '), start: spec.start, end: spec.end,
        });
      }
      matrices.push(chain);
    }
    if (ctx.failed || !pop) return undefined;

    const bindings: unknown[] = [];
    const table: Record<string, string> = { ...memberNames(pop, 'actor.', 'c.a', bindings), day: 'c.day', 'session.index': 'c.s' };
    for (const m of matrices) table[m.name] = JSON.stringify(m.name);
    const scope = tableScope(table, bindings);
    const matrixExpr = ctx.expr(spec.matrix, [...path, 'matrix'], scope);
    for (const lit of resultNames(matrixExpr.ast)) {
      if (!matrices.some((m) => m.name === lit)) {
        const args = { what: `matrix over "${spec.states}"`, name: String(lit), known: matrices.map((m) => m.name).join(', ') };
        // The parsed expression keeps no positions: point at the quoted literal in the text.
        const at = quotedAt(spec.matrix, String(lit));
        if (at >= 0) ctx.reportInString('ref-unknown', [...path, 'matrix'], at, args);
        else ctx.report('ref-unknown', [...path, 'matrix'], args);
      }
    }
    const perDay = compileDistribution(spec.per_day, [...path, 'per_day'], scope, ctx);
    const stateScope = tableScope({ ...table, state: 'B[' + bindings.length + '][c.st]' }, bindings);
    bindings.push(states);
    const dwell = spec.dwell === undefined ? undefined : compileDistribution(spec.dwell, [...path, 'dwell'], stateScope, ctx);
    const sessionStart = spec.session_start === undefined ? undefined : compileDistribution(spec.session_start, [...path, 'session_start'], scope, ctx);
    if (ctx.failed || !matrixExpr.fn) return undefined;
    return new MarkovRuntime({
      name: env.name,
      pop,
      states,
      start: states.indexOf(spec.start),
      end: states.indexOf(spec.end),
      matrices,
      chooseMatrix: matrixExpr.fn,
      perDay,
      dwell,
      sessionStart,
      maxSteps: spec.max_steps ?? 10000,
      matrixPlace: { file: ctx.file, path: [...path, 'matrix'], ...ctx.map.at([...path, 'matrix']), expr: spec.matrix },
      time: env.time,
      // Counts and times are checked where the chain consumes them (see model/invalid.ts).
      checks: {
        invalid: ctx.invalid,
        limits: readLimits(scenario),
        perDay: ctx.invalid.site(describeSpec(spec.per_day), [...path, 'per_day'], perDay.names, scope),
        dwell: dwell && ctx.invalid.site(describeSpec(spec.dwell), [...path, 'dwell'], dwell.names, stateScope),
        sessionStart: sessionStart && ctx.invalid.site(describeSpec(spec.session_start), [...path, 'session_start'], sessionStart.names, scope),
      },
    });
  },
};

/** Names a matrix expression can return: string literals and bare matrix words at ?: leaves. */
function resultNames(ast: any): string[] {
  if (!ast) return [];
  if (ast.type === 'Literal') return typeof ast.value === 'string' ? [ast.value] : [];
  if (ast.type === 'ConditionalExpression') return [...resultNames(ast.consequent ?? ast.test), ...resultNames(ast.alternate)];
  return [];
}

/** Offset of `name` written as a quoted string literal ('name' or "name") in `text`, or -1. */
function quotedAt(text: string, name: string): number {
  const single = text.indexOf(`'${name}'`);
  const double = text.indexOf(`"${name}"`);
  return single < 0 ? double : double < 0 ? single : Math.min(single, double);
}
