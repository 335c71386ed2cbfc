/**
 * The dataset's scenario compiled again from its copy in the folder, with the manifest's
 * seed, overrides and params (as `scenario verify --regenerate` does, without running it):
 * the report takes declared quantities (an arrival rate) from the compiled processes, so
 * they are the ones the run used. Compiled at most once per report, and only when a plot
 * needs it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledScenario } from '../phases/3-plan/index.js';
import { loadScenario } from '../pipeline.js';
import { SCENARIO_COPY } from '../sinks/scenario-copy.js';
import { replaySets } from '../verify/regenerate.js';
import type { Dataset } from './dataset.js';

export type CompiledCopy = { compiled: CompiledScenario } | { problem: string };

const cache = new WeakMap<Dataset, CompiledCopy>();

/** The compiled scenario of the dataset, or why there is none (one line, for the report's notes). */
export function compiledCopy(ds: Dataset): CompiledCopy {
  const hit = cache.get(ds);
  if (hit) return hit;
  const result = compile(ds);
  cache.set(ds, result);
  return result;
}

function compile(ds: Dataset): CompiledCopy {
  const m = ds.manifest;
  const file = m.scenario.copy?.file ?? SCENARIO_COPY;
  const copy = join(ds.dir, file);
  if (!existsSync(copy)) return { problem: `the folder has no ${file}` };
  // Checked when the run wrote it: skip the schema checks (loading their validator is most of the cost).
  const loaded = loadScenario(copy, { set: replaySets(m), seed: m.seed, trusted: true, name: file });
  if (loaded.compiled) return { compiled: loaded.compiled };
  const d = loaded.diagnostics.find((x) => x.severity === 'error') ?? loaded.diagnostics[0];
  return { problem: d ? `${file} did not compile again (${d.code}: ${d.message.split('\n')[0]})` : `${file} did not compile again` };
}

/**
 * The compiled process `name` of the dataset, when it is of `kind` (`what` names the kind in
 * the problem), with the compiled scenario; or why there is none.
 */
export function compiledProcess<T>(ds: Dataset, name: string, kind: abstract new (...args: never[]) => T, what: string): { runtime: T; compiled: CompiledScenario } | { problem: string } {
  const copy = compiledCopy(ds);
  if ('problem' in copy) return copy;
  const runtime = copy.compiled.processes.find((p) => p.name === name);
  if (!(runtime instanceof kind)) return { problem: `the compiled scenario has no ${what} process ${name}` };
  return { runtime, compiled: copy.compiled };
}
