/**
 * What a compiled scenario carries for running safely: its limits, where invalid values go,
 * and a way to place run-time findings in the file (the source map is not kept past planning).
 */
import type { Place } from '../diagnostics/make.js';
import type { Path } from '../phases/1-parse/index.js';
import type { AnalysisContext } from './context.js';
import type { InvalidValues, OnInvalid } from './invalid.js';
import { placeIn, readLimits, type Limits } from './limits.js';

export interface RunSafety {
  limits: Limits;
  invalid: InvalidValues;
  /** The place of a node of the scenario (of its key, with `key`), for run-time diagnostics. */
  place(path: Path, key?: boolean): Place;
}

/** Reads `limits` and `on_invalid`; call before compiling, so consumers see the policy. */
export function makeSafety(scenario: any, ctx: AnalysisContext): RunSafety {
  // A bare YAML `null` reads as null: the same as "null".
  ctx.invalid.policy = scenario?.on_invalid === null ? 'null' : ((scenario?.on_invalid as OnInvalid | undefined) ?? 'error');
  const map = ctx.map;
  return { limits: readLimits(scenario), invalid: ctx.invalid, place: (path, key) => placeIn(map, path, key) };
}
