/**
 * The pipeline in one place: parse -> validate -> plan -> run. Each phase hands plain data
 * to the next; commands call these functions and only decide how to print.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { DiagnosticError, hasErrors } from './diagnostics/diagnostic.js';
import { diag } from './diagnostics/make.js';
import { AnalysisContext } from './model/context.js';
import { composeScenario, overrideValue, pieceSources, type Composed } from './phases/1-parse/compose.js';
import { validateScenario } from './phases/2-validate/index.js';
import { paramSets, readParamsFile, resolveParams, type ParamOverride } from './phases/2-validate/params.js';
import { estimateOutputs } from './phases/3-plan/estimate.js';
import { sizeWarnings } from './phases/3-plan/size-check.js';
import { planScenario, type CompiledScenario } from './phases/3-plan/index.js';
import { runCompiled, type RunOptions, type RunResult } from './phases/4-run/index.js';
import type { WorkerPool } from './phases/4-run/parallel.js';
import { sha256 } from './sinks/manifest.js';
import { scenarioCopyOf } from './sinks/scenario-copy.js';
import type { Format } from './sinks/encoders.js';

export interface LoadOptions {
  /**
   * Skip the schema and semantic checks: for worker threads recompiling a scenario the main
   * thread has just validated (loading the schema validator is most of their start-up).
   */
  trusted?: boolean;
  /** `path=value` overrides applied to the document before validation. */
  set?: string[];
  /** `--params` files (YAML maps of param name: value), applied in order before `--set params.*`. */
  params?: string[];
  /** The scenario's text when it does not come from `file` (stdin); `file` then only anchors relative paths. */
  text?: string;
  /** Name printed in diagnostics instead of `file`. */
  name?: string;
  seed?: number;
  format?: Format;
  /** Fill expected rows and bytes in the plan (runs a small pilot). */
  estimate?: boolean;
  /**
   * With `estimate`: report the pilot's invalid values under `on_invalid: warn` (true by
   * default, for `validate` and `plan`). `run` turns it off: the run reports them itself,
   * counted over every row, and the pilot's partial count printed first only confused.
   */
  pilotWarnings?: boolean;
}

export interface Loaded {
  /** The file as given on the command line, for messages. */
  file: string;
  source: string;
  sha256: string;
  diagnostics: Diagnostic[];
  compiled?: CompiledScenario;
  /** Text of every file read (the scenario, what it extends or includes, params files), by printed name: for code frames. */
  sources: Record<string, string>;
  /** The composed scenario after overrides, as validated (for `scenario diff`). */
  value?: unknown;
}

/** Reads, parses, validates and plans a scenario. Never throws for bad input: see diagnostics. */
export function loadScenario(file: string, opts: LoadOptions = {}): Loaded {
  const shown = opts.name ?? (relative(process.cwd(), file) || file);
  let source: string;
  try {
    source = opts.text ?? readFileSync(file, 'utf8');
  } catch (e) {
    const detail = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    return { file: shown, source: '', sha256: '', sources: {}, diagnostics: [diag('file-unreadable', { file: shown, line: 0, column: 0, path: [] }, { file: shown, detail })] };
  }
  const loaded: Loaded = { file: shown, source, sha256: sha256(source), diagnostics: [], sources: { [shown]: source } };
  const composed = composeScenario(file, shown, source);
  Object.assign(loaded.sources, composed.sources);
  loaded.diagnostics.push(...composed.diagnostics);
  if (hasErrors(loaded.diagnostics)) return loaded;
  const { overrides, rest } = paramSets(opts.set ?? [], parseYaml);
  const value = applySets(composed, rest, loaded.diagnostics);
  const paramOverrides: ParamOverride[] = [];
  for (const f of opts.params ?? []) {
    const read = readParamsFile(f);
    loaded.sources[read.shown] = read.source;
    loaded.diagnostics.push(...read.diagnostics);
    paramOverrides.push(...read.overrides);
  }
  if (hasErrors(loaded.diagnostics)) return loaded;
  if (!opts.trusted) loaded.diagnostics.push(...validateScenario(value, composed.map));
  if (hasErrors(loaded.diagnostics)) return loaded;
  loaded.value = value;
  const ctx = new AnalysisContext(composed.map);
  ctx.params = resolveParams(value, [...paramOverrides, ...overrides], ctx);
  const compiled = ctx.failed ? undefined : planScenario(value, ctx, { seed: opts.seed, format: opts.format });
  loaded.diagnostics.push(...ctx.diagnostics);
  if (!compiled || hasErrors(loaded.diagnostics)) return loaded;
  compiled.plan.sources = pieceSources(value, composed.origin);
  loaded.compiled = compiled;
  return opts.estimate ? estimateLoaded(loaded, opts) : loaded;
}

/**
 * Fills the expected rows and bytes of a loaded scenario's plan by the pilot (what `estimate`
 * does), for one loaded without it: `run` first draws the populations with its threads, and
 * the pilot uses populations already drawn. Findings go to the diagnostics, as in loadScenario.
 */
export function estimateLoaded(loaded: Loaded, opts: Pick<LoadOptions, 'pilotWarnings'> = {}): Loaded {
  const compiled = loaded.compiled;
  if (!compiled) return loaded;
  // The pilot runs the real kernels, so run-time findings (a matrix expression returning
  // a name that is not a matrix) surface here first, as diagnostics.
  try {
    estimateOutputs(compiled);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    loaded.diagnostics.push(...e.diagnostics);
    loaded.compiled = undefined;
    return loaded;
  }
  // The expected size against the limits, and the pilot's invalid values under `on_invalid: warn`.
  loaded.diagnostics.push(...sizeWarnings(compiled), ...(opts.pilotWarnings === false ? [] : compiled.safety.invalid.warnings()));
  compiled.safety.invalid.reset();
  return loaded;
}

/**
 * Loads and plans a scenario for a run (`estimate` included). With `pool`, the populations
 * are drawn by its threads and this one together before the plan's pilot, which would draw
 * them alone, and the run then uses them as they are.
 */
export async function loadPlanned(file: string, opts: LoadOptions, pool: WorkerPool | undefined): Promise<Loaded> {
  if (!pool) return loadScenario(file, { ...opts, estimate: true });
  const loaded = loadScenario(file, { ...opts, estimate: false });
  const compiled = loaded.compiled;
  if (!compiled) return loaded;
  try {
    for (const pop of compiled.populations.values()) await pool.draw(pop, compiled.seed);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    loaded.diagnostics.push(...e.diagnostics);
    loaded.compiled = undefined;
    return loaded;
  }
  return estimateLoaded(loaded, opts);
}

/** Applies `--set a.b.c=value` (value read as YAML) to the composed scenario; returns it. */
function applySets(composed: Composed, sets: string[], out: Diagnostic[]): unknown {
  for (const arg of sets) {
    const eq = arg.indexOf('=');
    const place = { file: '--set', line: 0, column: 0, path: [] };
    if (eq <= 0) {
      out.push(diag('set-invalid', place, { arg, detail: 'expected path=value' }));
      continue;
    }
    const path = arg.slice(0, eq).split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    let value: unknown;
    try {
      value = parseYaml(arg.slice(eq + 1));
    } catch (e) {
      out.push(diag('set-invalid', place, { arg, detail: (e as Error).message.split('\n')[0] }));
      continue;
    }
    try {
      overrideValue(composed, path, value);
    } catch (e) {
      out.push(diag('set-invalid', place, { arg, detail: `cannot set ${path.join('.')}: ${(e as Error).message}` }));
    }
  }
  return composed.value;
}

export type { RunOptions, RunResult };

/** Runs a loaded scenario. */
export function runScenario(loaded: Loaded & { compiled: CompiledScenario }, opts: Omit<RunOptions, 'scenarioFile' | 'scenarioSha256'>): Promise<RunResult> {
  const copy = scenarioCopyOf(loaded.source, loaded.value, Object.values(loaded.compiled.plan.sources ?? {}));
  return runCompiled(loaded.compiled, { scenarioCopy: copy, scenarioInputs: inputsOf(loaded), ...opts, scenarioFile: loaded.file, scenarioSha256: loaded.sha256 });
}

/** The files read besides the scenario itself, named relative to it (no machine paths), with their sha256. */
function inputsOf(loaded: Loaded): { file: string; sha256: string }[] {
  const base = dirname(resolve(loaded.file));
  return Object.entries(loaded.sources)
    .filter(([shown]) => shown !== loaded.file)
    .map(([shown, text]) => ({ file: relative(base, resolve(shown)).split(sep).join('/'), sha256: sha256(text) }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
