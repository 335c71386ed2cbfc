/**
 * The contract between the engine and a process kernel. A kernel owns its schema fragment,
 * its checks and compile step, and the runtime that generates records.
 */
import type { ExprContext } from '../expr/compile.js';
import type { AnalysisContext } from '../model/context.js';
import type { Population } from '../model/population.js';
import type { TimeModel } from '../model/time.js';
import type { JsonSchema } from '../schema/parts.js';
import type { SpecialColumn } from '../sinks/encoders.js';
import type { MemberKey } from '../sinks/member-columns.js';

/** What a kernel sees while compiling. */
export interface KernelEnv {
  ctx: AnalysisContext;
  /** The validated scenario object. */
  scenario: any;
  populations: Map<string, Population>;
  time: TimeModel;
  /** Process name. */
  name: string;
  /** Path of the kernel's body in the file, e.g. ["processes", "sessions", "markov"]. */
  path: (string | number)[];
  /** The run's seed, for kernels whose unit count depends on random draws (pattern instances). */
  seed: number;
  /** Processes compiled so far (declared above this one), for kernels that build on another. */
  processes: ProcessRuntime[];
}

/** Receives each record of one kind as the kernel produces it. */
export type RecordSink = (c: ExprContext) => void;

export interface ProcessRuntime {
  name: string;
  kind: string;
  /** The population the records are about (for `scenario plan`), if any. */
  actor?: string;
  /**
   * What `run` iterates over: members of a population, days, ... Work is split into ranges
   * of these units (batches, workers, shards), so a unit's records may depend only on the
   * seed and the unit index, never on the units before it in the same run. A process whose
   * units depend on each other (a ledger carried across days) sets `sequential: true`, and
   * runs as a whole in the first shard (see docs/scaling.md).
   */
  iterate: { unit: string; count: number; sequential?: boolean };
  /** Record kinds outputs can take rows from; the first is the default. */
  records: string[];
  /**
   * Names usable in output columns for a record kind (including `actor.*` where it applies),
   * columns with their own writer, and optionally the names constant per member of a
   * population (`keys`: outputs keep the encoded bytes of such columns per member).
   */
  columnNames(record: string, bindings: unknown[]): { table: Record<string, string>; specials: Record<string, SpecialColumn>; keys?: Record<string, MemberKey> };
  /** Figures for `scenario plan`. */
  describe(): Record<string, unknown>;
  /** Generates the records of units [from, to), in unit order. */
  run(seed: number, from: number, to: number, sinks: Record<string, RecordSink[]>): void;
  /**
   * Counters the run summary reports (e.g. sessions cut at max_steps). Kept as numbers so
   * counts from worker threads can be added up; `notes` turns the totals into text.
   */
  counters(): Record<string, number>;
  notes(totals: Record<string, number>): string[];
}

export interface Kernel {
  name: string;
  /** One line for `scenario plan` and the docs. */
  summary: string;
  /** Docs page, relative to docs/. */
  docs: string;
  schema: JsonSchema;
  compile(spec: any, env: KernelEnv): ProcessRuntime | undefined;
}
