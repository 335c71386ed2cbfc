/**
 * Phase 3, plan. In: a validated scenario. Out: a CompiledScenario: populations with their
 * samplers, process runtimes from the kernels, outputs with their encoders, and a plain
 * serialisable Plan (`scenario plan --json`). Every expression is compiled here, once.
 */
import { kernelByName } from '../../kernels/index.js';
import type { ProcessRuntime } from '../../kernels/types.js';
import type { AnalysisContext } from '../../model/context.js';
import { compilePopulation, resolveCounts, type Population } from '../../model/population.js';
import { makeTime, type TimeModel } from '../../model/time.js';
import type { Format } from '../../sinks/encoders.js';
import { compileOutputs, type OutputRuntime } from './outputs.js';
import { makeSafety, type RunSafety } from '../../model/safety.js';
import { checkPopulationSizes } from './size-check.js';
import { DiagnosticError } from '../../diagnostics/diagnostic.js';
import { asRunDiagnostic } from '../4-run/failures.js';

export interface Plan {
  scenario: string;
  description?: string;
  seed: number;
  /** Resolved params (defaults with `--params` and `--set params.*` applied). */
  params: Record<string, number | string | boolean>;
  time: { start: string; days: number; unit: string };
  populations: { name: string; count: number; attributes: { name: string; kind: string; mean?: number }[] }[];
  processes: { name: string; kind: string; actor?: string; iterate: { unit: string; count: number }; details: Record<string, unknown> }[];
  outputs: { name: string; file: string; format: Format; from: string; rows?: string; columns: string[]; label?: string; expectedRows?: number; expectedBytes?: number; expectedPositive?: number; expectedPositiveShare?: number; expectedIsLowerBound?: boolean }[];
  /** Stage ids in run order. */
  stages: string[];
  /** The file each named piece comes from, e.g. "matrices.role_0" -> "lib/matrices.yaml" (filled by loadScenario). */
  sources?: Record<string, string>;
}

export interface CompiledScenario {
  plan: Plan;
  seed: number;
  time: TimeModel;
  populations: Map<string, Population>;
  processes: ProcessRuntime[];
  outputs: OutputRuntime[];
  /** Limits, where invalid values go, and places for run-time findings. */
  safety: RunSafety;
}

export interface PlanOptions {
  seed?: number;
  format?: Format;
}

/** Compiles; returns undefined when diagnostics were reported to `ctx`. */
export function planScenario(scenario: any, ctx: AnalysisContext, opts: PlanOptions = {}): CompiledScenario | undefined {
  const seed = opts.seed ?? scenario.seed ?? 1;
  const time = makeTime(scenario.time);
  const safety = makeSafety(scenario, ctx);
  const counts = resolveCounts(scenario.actors, ctx);
  checkPopulationSizes(counts, safety, ctx);
  const populations = new Map<string, Population>();
  for (const [name, spec] of Object.entries<any>(scenario.actors)) populations.set(name, compilePopulation(name, spec, counts, ctx));
  const processes: ProcessRuntime[] = [];
  for (const [name, spec] of Object.entries<any>(scenario.processes)) {
    const [kind, body] = Object.entries<any>(spec)[0];
    const kernel = kernelByName(kind)!;
    let runtime: ProcessRuntime | undefined;
    try {
      runtime = kernel.compile(body, { ctx, scenario, populations, time, name, path: ['processes', name, kind], seed, processes });
    } catch (e) {
      // A kernel that evaluates an expression while compiling (a constant rate) may meet a
      // value that has no text or an error: report it at the process instead of throwing.
      const d = asRunDiagnostic(e, name, safety);
      if (!(d instanceof DiagnosticError)) throw e;
      ctx.diagnostics.push(...d.diagnostics);
    }
    if (runtime) processes.push(runtime);
  }
  const outputs = compileOutputs(scenario, processes, populations, opts.format, ctx);
  if (ctx.failed) return undefined;
  const plan: Plan = {
    scenario: scenario.scenario,
    description: scenario.description,
    seed,
    params: { ...ctx.params },
    time: { start: scenario.time?.start ?? '2026-01-01', days: time.days, unit: time.unit },
    populations: [...populations.values()].map((p) => ({
      name: p.name,
      count: p.count,
      attributes: p.attributes.map((a) => ({ name: a.name, kind: a.dist.kind, ...(a.dist.mean !== undefined ? { mean: a.dist.mean } : {}) })),
    })),
    processes: processes.map((p) => ({ name: p.name, kind: p.kind, actor: p.actor, iterate: p.iterate, details: p.describe() })),
    outputs: outputs.map((o) => ({
      name: o.name,
      file: o.file,
      format: o.format,
      from: 'process' in o.source ? o.source.process : scenario.outputs[o.name].from,
      ...('record' in o.source ? { rows: o.source.record } : {}),
      columns: o.columns,
      ...(o.label ? { label: o.label.column } : {}),
    })),
    stages: [...[...populations.keys()].map((n) => `actors/${n}`), ...processes.map((p) => `process/${p.name}`), 'tables'],
  };
  return { plan, seed, time, populations, processes, outputs, safety };
}
