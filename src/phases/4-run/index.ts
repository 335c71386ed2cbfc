/**
 * Phase 4, run. In: a CompiledScenario and an output folder. Out: the dataset, written
 * atomically with manifest.json last, and progress events along the way. Work is done in
 * batches of members with a yield to the event loop between them, so the UI stays live and
 * Ctrl-C is honoured within a batch.
 */
import type { Format } from '../../sinks/encoders.js';
import { openWriters, type OpenedWriters } from '../../sinks/open-writers.js';
import { writeScenarioCopy, type ScenarioCopy } from '../../sinks/scenario-copy.js';
import { ENGINE_VERSION, manifestText, type Manifest } from '../../sinks/manifest.js';
import { OutputDir } from '../../sinks/output-dir.js';
import { writeFileSync } from 'node:fs';
import type { ProgressEvent, StageInfo } from '../../ui/progress.js';
import { bindColumns, columnData, drawnFor, drawPopulation, shareColumns } from '../../model/population.js';
import type { CompiledScenario } from '../3-plan/index.js';
import { sinksOf, writeStateList, type OutputState } from './attach.js';
import { runLocal } from './local.js';
import { RowBudget } from './budget.js';
import { asRunDiagnostic } from './failures.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { WorkerPool, workersAvailable, writeResult } from './parallel.js';
import { ChunkRunner } from './chunk-runner.js';
import { chunks, shardRange, type Shard } from './split.js';
import type { WorkerInit } from './worker.js';

export interface RunOptions {
  out: string;
  force?: boolean;
  scenarioFile: string;
  scenarioSha256: string;
  /** The other files the scenario was read from (see Manifest.scenario.inputs). */
  scenarioInputs?: { file: string; sha256: string }[];
  overrides: string[];
  onEvent?: (e: ProgressEvent) => void;
  /** Checked between batches; when it returns true the run stops and discards its output. */
  shouldStop?: () => boolean;
  /** This run's part of a sharded dataset. */
  shard?: Shard;
  /** Every shard writes CSV headers (a partitioned folder read with a glob) instead of only the first. */
  shardHeaders?: boolean;
  /** Worker threads (1: run in this thread). Workers recompile the scenario from `source`. */
  workers?: number;
  source?: WorkerInit;
  /**
   * Threads started before the scenario was loaded (`startWorkers`), which have been loading
   * it meanwhile. The run uses them if it runs on threads at all, and closes them either way.
   */
  pool?: WorkerPool;
  /** The scenario as run, copied into the folder as scenario.yaml (for `scenario report` and `verify`). */
  scenarioCopy?: ScenarioCopy;
  /** The `--format` override, recorded in the manifest so `scenario verify --regenerate` repeats it. */
  format?: Format;
  /** Called with the finished (still hidden) folder and its manifest, before it is renamed into place. */
  beforeCommit?: (dir: string, manifest: Manifest) => Promise<void>;
}

export interface RunResult {
  outDir: string;
  manifest: Manifest;
  seconds: number;
  notes: string[];
  /** Invalid values written as null under `on_invalid: warn`, one warning per expression. */
  warnings: Diagnostic[];
}

export class RunInterrupted extends Error {}

/**
 * Starts the threads of a run before its scenario is loaded, so that they load it while this
 * thread does (parsing, planning and the pilot, which draws the populations): by the time the
 * run starts they are ready. Undefined when the run will not use threads anyway. Hand the
 * pool to the run (`RunOptions.pool`), which closes it; close it yourself if no run follows.
 */
export function startWorkers(workers: number, source: WorkerInit): WorkerPool | undefined {
  return workers > 1 && workersAvailable() ? new WorkerPool(workers, source) : undefined;
}

/** Below this many expected rows, starting worker threads costs more than it saves. */
const MIN_ROWS_FOR_WORKERS = 200_000;

/** Whether this run uses worker threads: asked for, available, and worth their start-up. */
function wantsWorkers(compiled: CompiledScenario, opts: RunOptions): boolean {
  if ((opts.workers ?? 1) <= 1 || !opts.source || !workersAvailable()) return false;
  const rows = compiled.plan.outputs.reduce((s, o) => s + (o.expectedRows ?? MIN_ROWS_FOR_WORKERS), 0);
  return rows >= MIN_ROWS_FOR_WORKERS;
}

/**
 * Whether an output's rows come from a process this thread runs alone, in order, even when
 * there are worker threads (they wait meanwhile, so the file thread has a core).
 */
function fromSequential(compiled: CompiledScenario, o: CompiledScenario['outputs'][number]): boolean {
  const source = o.source;
  return 'process' in source && compiled.processes.some((p) => p.name === source.process && p.iterate.sequential);
}

/** Gives the pool's threads the drawn populations, and the main thread its chunk runner. */
function sharePopulations(pool: WorkerPool, compiled: CompiledScenario): void {
  const populations = Object.fromEntries([...compiled.populations.values()].map((p) => [p.name, columnData(p)]));
  pool.share(populations, new ChunkRunner(compiled));
}

/** Expected output bytes per unit of a process, from the plan's pilot estimate. */
function bytesPerUnit(compiled: CompiledScenario, process: string): number {
  const proc = compiled.processes.find((p) => p.name === process)!;
  const bytes = compiled.plan.outputs.filter((o) => o.from === process).reduce((s, o) => s + (o.expectedBytes ?? 0), 0);
  return proc.iterate.count > 0 ? bytes / proc.iterate.count : 0;
}

export async function runCompiled(compiled: CompiledScenario, opts: RunOptions): Promise<RunResult> {
  try {
    return await runThrough(compiled, opts);
  } finally {
    // Threads started early are closed whatever happened (they would keep the process alive).
    await opts.pool?.close();
  }
}

async function runThrough(compiled: CompiledScenario, opts: RunOptions): Promise<RunResult> {
  const emit = opts.onEvent ?? (() => {});
  const t0 = performance.now();
  const dir = new OutputDir(opts.out, opts.force ?? false);
  const stages: StageInfo[] = [
    ...[...compiled.populations.values()].map((p) => ({ id: `actors/${p.name}`, label: `actors ${p.name}`, total: p.count, unit: 'actors' })),
    ...compiled.processes.map((p) => ({ id: `process/${p.name}`, label: `${p.name} (${p.kind}${p.actor ? ` over ${p.actor}` : ''})`, total: p.iterate.count, unit: p.iterate.unit })),
    { id: 'tables', label: 'tables and manifest', total: compiled.outputs.length, unit: 'files' },
  ];
  dir.open();
  emit({ type: 'plan', scenario: compiled.plan.scenario, seed: compiled.seed, outDir: dir.final, stages });
  const states: OutputState[] = [];
  let opened: OpenedWriters | undefined;
  try {
    const parallel = wantsWorkers(compiled, opts);
    opened = await openWriters(compiled.outputs, (f) => dir.file(f), compiled.outputs.map((o) => !parallel || fromSequential(compiled, o)));
    compiled.outputs.forEach((o, i) => states.push({ output: o, writer: opened!.writers[i], rows: 0, positive: 0 }));
    // Shards after the first leave out headers and fixed tables, so shards concatenate.
    const firstShard = !opts.shard || opts.shard.index === 1;
    if (firstShard || opts.shardHeaders) for (const s of states) s.output.encoder.header(s.writer);
    if (firstShard) for (const s of states) if (s.output.preamble !== undefined) s.writer.str(s.output.preamble + '\n');
    const totals = () => {
      let rows = 0;
      let bytes = 0;
      for (const s of states) (rows += s.rows), (bytes += s.writer.bytes + s.writer.pos);
      return { rows, bytes };
    };
    // limits.max_rows and max_bytes; invalid values counted from here on (not the plan's pilot).
    const budget = new RowBudget(compiled.safety, () => totals().bytes);
    compiled.safety.invalid.reset();
    // Threads started early have been loading the scenario; otherwise they start now and load
    // it while this thread takes the populations (drawn by the plan's pilot, or drawn now).
    const pool = parallel ? (opts.pool ?? new WorkerPool(opts.workers!, opts.source!)) : undefined;
    if (!parallel) await opts.pool?.close();
    const counters = new Map<string, Record<string, number>>();
    try {
      for (const pop of compiled.populations.values()) {
        const id = `actors/${pop.name}`;
        const started = performance.now();
        emit({ type: 'stage-start', id });
        // Drawn by the plan's pilot (`estimate`): the same members, not drawn twice.
        if (drawnFor(pop, compiled.seed)) {
          if (pool) shareColumns(pop);
        } else if (pool) await pool.draw(pop, compiled.seed);
        else drawPopulation(pop, compiled.seed);
        bindColumns(pop);
        emit({ type: 'stage-end', id, done: pop.count, rows: 0, bytes: 0, seconds: (performance.now() - started) / 1000 });
        await yieldNow();
      }
      if (pool) sharePopulations(pool, compiled);

      for (const proc of compiled.processes) {
        const id = `process/${proc.name}`;
        const started = performance.now();
        const before = totals();
        emit({ type: 'stage-start', id });
        const [from, to] = shardRange(proc.iterate.count, opts.shard, proc.iterate.sequential);
        const progress = (done: number) => {
          const t = totals();
          emit({ type: 'stage-progress', id, done, rows: t.rows - before.rows, bytes: t.bytes - before.bytes });
        };
        const stopError = () => (opts.shouldStop?.() ? new RunInterrupted('interrupted') : undefined);
        budget.process = proc.name;
        try {
          if (pool && !proc.iterate.sequential) {
            const perUnit = bytesPerUnit(compiled, proc.name);
            const tasks = chunks(from, to, perUnit, pool.size).map(([a, b], i) => ({ id: i, process: proc.name, from: a, to: b }));
            const sum: Record<string, number> = {};
            await pool.run(
              tasks,
              (r) => {
                writeResult(states, r);
                if (r.invalid) compiled.safety.invalid.merge(r.invalid);
                budget.add(r.outputs.reduce((n, o) => n + o.rows, 0));
                for (const [k, v] of Object.entries(r.counters)) sum[k] = (sum[k] ?? 0) + v;
                progress(tasks[r.id].to - from);
              },
              stopError,
              opened.pending,
            );
            counters.set(proc.name, sum);
          } else {
            const start = proc.counters();
            await runLocal(proc, compiled.seed, from, to, sinksOf(proc.name, states, budget), (done) => progress(done - from), stopError, opened.pending);
            const end = proc.counters();
            counters.set(proc.name, Object.fromEntries(Object.keys(end).map((k) => [k, end[k] - (start[k] ?? 0)])));
          }
        } catch (e) {
          // An error a kernel did not catch becomes a diagnostic placed at the process.
          throw asRunDiagnostic(e, proc.name, compiled.safety);
        }
        const t = totals();
        emit({ type: 'stage-end', id, done: to - from, rows: t.rows - before.rows, bytes: t.bytes - before.bytes, seconds: (performance.now() - started) / 1000 });
      }
    } finally {
      await pool?.close();
    }

    emit({ type: 'stage-start', id: 'tables' });
    const tablesStarted = performance.now();
    if (firstShard) for (const s of states) writeStateList(s);
    await opened.finish();
    const files = states.map((s) => {
      const { bytes, sha256 } = s.writer.close();
      return {
        output: s.output.name,
        file: s.output.file,
        format: s.output.format,
        rows: s.rows,
        bytes,
        sha256,
        ...(s.output.label ? { label: { column: s.output.label.column, positive: s.positive, share: s.rows ? s.positive / s.rows : 0 } } : {}),
      };
    });
    const manifest: Manifest = {
      engine: { name: 'scenario', version: ENGINE_VERSION },
      scenario: { name: compiled.plan.scenario, file: opts.scenarioFile, sha256: opts.scenarioSha256, ...(opts.scenarioCopy ? { copy: writeScenarioCopy(opts.scenarioCopy, (f) => dir.file(f)) } : {}), ...(opts.scenarioInputs?.length ? { inputs: opts.scenarioInputs } : {}) },
      seed: compiled.seed,
      overrides: opts.overrides,
      params: compiled.plan.params,
      ...(opts.shard ? { shard: opts.shardHeaders ? { ...opts.shard, headers: true } : opts.shard } : {}),
      ...(opts.format ? { format: opts.format } : {}),
      files,
    };
    if (opts.shouldStop?.()) throw new RunInterrupted('interrupted');
    writeFileSync(dir.file('manifest.json'), manifestText(manifest));
    await opts.beforeCommit?.(dir.temp, manifest);
    dir.commit();
    emit({ type: 'stage-end', id: 'tables', done: states.length, rows: 0, bytes: 0, seconds: (performance.now() - tablesStarted) / 1000 });
    const seconds = (performance.now() - t0) / 1000;
    const notes = compiled.processes.flatMap((p) => p.notes(counters.get(p.name) ?? {}));
    emit({
      type: 'summary',
      outDir: dir.final,
      seconds,
      notes,
      outputs: files.map((f) => ({ name: f.output, file: f.file, rows: f.rows, bytes: f.bytes, label: f.label })),
    });
    return { outDir: dir.final, manifest, seconds, notes, warnings: compiled.safety.invalid.warnings() };
  } catch (e) {
    for (const s of states) s.writer.abandon();
    dir.discard();
    throw e;
  }
}

export function yieldNow(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
