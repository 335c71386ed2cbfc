/**
 * Runs Markov sessions: for each member, day by day, draws the number of sessions, picks a
 * matrix per session, walks the chain from start to end and hands each session (and each
 * step) to the attached outputs. Member a on day d draws from stream (seed, process, a, d),
 * so any split of members over workers or shards yields the same records.
 */
import type { Compiled, ExprContext } from '../../expr/compile.js';
import type { CompiledDistribution } from '../../model/distribution.js';
import { memberNames, type Population } from '../../model/population.js';
import type { TimeModel } from '../../model/time.js';
import { rngFor } from '../../rng/index.js';
import type { ByteWriter } from '../../sinks/byte-writer.js';
import { csvField, type SpecialColumn } from '../../sinks/encoders.js';
import type { ProcessRuntime, RecordSink } from '../types.js';
import { DiagnosticError } from '../../diagnostics/diagnostic.js';
import { diag, type Place } from '../../diagnostics/make.js';
import { expectedPathLength, type ChainMatrix } from './chain.js';
import { numberFrom } from '../../model/checked.js';
import { show, type InvalidValues, type ValueSite } from '../../model/invalid.js';
import { describeLimit, limitReached, type Limits } from '../../model/limits.js';

export interface MarkovOptions {
  name: string;
  pop: Population;
  states: string[];
  start: number;
  end: number;
  matrices: ChainMatrix[];
  chooseMatrix: Compiled;
  perDay: CompiledDistribution;
  dwell?: CompiledDistribution;
  sessionStart?: CompiledDistribution;
  maxSteps: number;
  time: TimeModel;
  /** Where the matrix expression is written, for run-time errors. */
  matrixPlace: Place & { expr: string };
  /** Where invalid counts and times go, the run's limits, and the expressions they come from. */
  checks: { invalid: InvalidValues; limits: Limits; perDay: ValueSite; dwell?: ValueSite; sessionStart?: ValueSite };
}

/** The record context: one object reused for every session (no per-row allocation). */
interface SessionContext extends ExprContext {
  a: number;
  day: number;
  s: number;
  sd: number;
  m: number;
  path: Int32Array;
  len: number;
  t0: number;
  times: Float64Array;
  k: number;
  st: number;
}

export class MarkovRuntime implements ProcessRuntime {
  readonly kind = 'markov';
  readonly records = ['session', 'step'];
  readonly actor: string;
  readonly name: string;
  readonly iterate: { unit: string; count: number };
  private cut = 0;
  private readonly matrixIndex: Record<string, number> = Object.create(null);

  constructor(private readonly o: MarkovOptions) {
    this.name = o.name;
    this.actor = o.pop.name;
    this.iterate = { unit: o.pop.name, count: o.pop.count };
    o.matrices.forEach((m, i) => (this.matrixIndex[m.name] = i));
  }

  describe(): Record<string, unknown> {
    const { o } = this;
    return {
      actor: o.pop.name,
      states: o.states,
      start: o.states[o.start],
      end: o.states[o.end],
      perDayMean: o.perDay.mean ?? null,
      maxSteps: o.maxSteps,
      timed: o.dwell !== undefined,
      matrices: o.matrices.map((m) => ({ name: m.name, expectedPathLength: round(expectedPathLength(m.rows, o.start, o.end)) })),
    };
  }

  private badMatrix(chosen: unknown, a: number, day: number): DiagnosticError {
    const { expr, ...place } = this.o.matrixPlace;
    return new DiagnosticError([
      diag('expr-runtime', place, {
        expr,
        value: chosen instanceof Error ? `an error (${chosen.message})` : show(chosen),
        context: `member ${a}, day ${day}`,
        hint: `The matrix expression must return one of: ${this.o.matrices.map((m) => m.name).join(', ')}.`,
      }),
    ]);
  }

  /**
   * Sessions of member `a` on `day`: a draw that is not a finite number is an invalid value
   * (none under `null` or `warn`); more than limits.max_rows stops the run at once, since
   * writing them would reach the limit anyway (and a NaN or huge count would loop for ever).
   */
  private sessions(c: SessionContext, a: number, day: number): number {
    const { perDay, checks } = this.o;
    const n = numberFrom(perDay.sample, checks.perDay, checks.invalid, c, 0, () => `member ${a}, day ${day}`);
    if (n > checks.limits.maxRows) {
      const detail = `per_day gave ${show(n)} sessions for member ${a} on day ${day}, more than ${describeLimit(checks.limits, 'maxRows')} rows`;
      throw limitReached(checks.perDay.place, detail, 'maxRows');
    }
    return n > 0 ? Math.floor(n) : 0;
  }

  /** A session start or dwell time: a value that is not a finite number counts as 0. */
  private time(d: CompiledDistribution, site: ValueSite, c: SessionContext, a: number, day: number): number {
    return numberFrom(d.sample, site, this.o.checks.invalid, c, 0, () => `member ${a}, day ${day}`);
  }

  counters(): Record<string, number> {
    return { cut: this.cut };
  }

  notes(totals: Record<string, number>): string[] {
    const cut = totals.cut ?? 0;
    return cut > 0 ? [`${this.name}: ${cut} session(s) reached max_steps (${this.o.maxSteps}) and were cut`] : [];
  }

  columnNames(record: string, bindings: unknown[]) {
    const { o } = this;
    const k = bindings.length;
    bindings.push(o.states, o.matrices.map((m) => m.name), o.time);
    const table: Record<string, string> = {
      ...memberNames(o.pop, 'actor.', 'c.a', bindings),
      day: 'c.day',
      date: `B[${k + 2}].date(c.day)`,
      'session.index': 'c.s',
      'session.day_index': 'c.sd',
      'session.matrix': `B[${k + 1}][c.m]`,
      'session.length': 'c.len',
      'session.steps': '(c.len - 1)',
      'session.path': `Array.from(c.path.subarray(0, c.len), (i) => B[${k}][i])`,
      'session.truncated': `(c.path[c.len - 1] !== ${o.end})`,
      'session.time': 'c.t0',
      'session.timestamp': `B[${k + 2}].timestamp(c.t0)`,
    };
    if (record === 'step') {
      Object.assign(table, {
        'step.index': 'c.k',
        'step.state': `B[${k}][c.path[c.k]]`,
        'step.prev': `(c.k > 0 ? B[${k}][c.path[c.k - 1]] : "")`,
        'step.time': 'c.times[c.k]',
        'step.timestamp': `B[${k + 2}].timestamp(c.times[c.k])`,
      });
    }
    return { table, specials: { 'session.path': pathColumn(o.states) } };
  }

  run(seed: number, from: number, to: number, sinks: Record<string, RecordSink[]>): void {
    const { o } = this;
    const sessionSinks = sinks.session ?? [];
    const stepSinks = sinks.step ?? [];
    const timed = o.dwell !== undefined || o.sessionStart !== undefined;
    const c: SessionContext = {
      r: () => 0, a: 0, day: 0, s: 0, sd: 0, m: 0, len: 0, t0: 0, k: 0, st: 0,
      path: new Int32Array(o.maxSteps + 1),
      times: new Float64Array(o.dwell ? o.maxSteps + 1 : 0),
    };
    const { start, end, maxSteps, matrices, time } = o;
    const stream = `process/${o.name}`;
    for (let a = from; a < to; a++) {
      c.a = a;
      let s = 0;
      for (let day = 0; day < time.days; day++) {
        const r = rngFor(seed, stream, a, day);
        c.r = r;
        c.day = day;
        const n = this.sessions(c, a, day);
        for (let j = 0; j < n; j++, s++) {
          c.s = s;
          c.sd = j;
          let chosen: unknown;
          try {
            chosen = o.chooseMatrix(c);
          } catch (e) {
            throw this.badMatrix(e, a, day);
          }
          const mi = typeof chosen === 'number' ? chosen : this.matrixIndex[chosen as string];
          if (matrices[mi] === undefined) throw this.badMatrix(chosen, a, day);
          c.m = mi;
          const alias = matrices[mi].alias;
          const path = c.path;
          let st = start;
          path[0] = st;
          let len = 1;
          if (timed) c.t0 = day * time.unitsPerDay + (o.sessionStart ? this.time(o.sessionStart, o.checks.sessionStart!, c, a, day) : r() * time.unitsPerDay);
          // The chain walk: one alias-table draw per step.
          while (st !== end && len <= maxSteps) {
            const t = alias[st];
            const x = r() * t.n;
            const i = x | 0;
            st = x - i < t.prob[i] ? i : t.alias[i];
            path[len++] = st;
          }
          if (st !== end) this.cut++;
          c.len = len;
          if (o.dwell) {
            let t = c.t0;
            for (let k = 0; k < len; k++) {
              c.times[k] = t;
              c.st = path[k];
              t += this.time(o.dwell, o.checks.dwell!, c, a, day);
            }
          }
          for (let q = 0; q < sessionSinks.length; q++) sessionSinks[q](c);
          if (stepSinks.length > 0) {
            for (let k = 0; k < len; k++) {
              c.k = k;
              for (let q = 0; q < stepSinks.length; q++) stepSinks[q](c);
            }
          }
        }
      }
    }
  }
}

/** `session.path` written from pre-encoded state names: no array or string per session. */
function pathColumn(states: string[]): SpecialColumn {
  const names = states.map((s) => Buffer.from(s));
  const quoted = states.map((s) => Buffer.from(JSON.stringify(s)));
  let joinedFor: Uint8Array | undefined;
  let joined: Buffer[] = [];
  return {
    csvSafe: (separator, delimiter) => !states.some((s) => csvField(s + separator, delimiter) !== s + separator),
    csv(w: ByteWriter, c: ExprContext, sep: Uint8Array) {
      const ctx = c as SessionContext;
      if (ctx.len === 0) return;
      // The separator and the next name go out as one copy: half the calls on the longest column.
      if (sep !== joinedFor) {
        joinedFor = sep;
        joined = names.map((n) => Buffer.concat([sep, n]));
      }
      w.raw(names[ctx.path[0]]);
      for (let k = 1; k < ctx.len; k++) w.raw(joined[ctx.path[k]]);
    },
    jsonl(w: ByteWriter, c: ExprContext) {
      const ctx = c as SessionContext;
      w.byte(91);
      for (let k = 0; k < ctx.len; k++) {
        if (k > 0) w.byte(44);
        w.raw(quoted[ctx.path[k]]);
      }
      w.byte(93);
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
