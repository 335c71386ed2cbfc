/**
 * The caps a run works under (`limits:` in a scenario) and the `run-limit` diagnostics that
 * report reaching one. Checked where sizes are known: population counts while planning, a
 * single count drawn by a kernel (sessions of a member on a day), and rows and bytes as rows
 * are written (see phases/4-run/budget.ts).
 */
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { diag, type Place } from '../diagnostics/make.js';
import type { SourceMap } from '../phases/1-parse/index.js';

export interface Limits {
  maxRows: number;
  maxBytes: number;
  maxMembers: number;
}

/** Generous: far above any dataset a single machine writes in a day, low enough to stop a runaway. */
export const DEFAULT_LIMITS: Limits = { maxRows: 10_000_000_000, maxBytes: 10 * 2 ** 40, maxMembers: 100_000_000 };

const KEYS: Record<keyof Limits, string> = { maxRows: 'max_rows', maxBytes: 'max_bytes', maxMembers: 'max_members' };

/** The scenario's limits, defaults filled in. */
export function readLimits(scenario: any): Limits {
  const spec = scenario?.limits ?? {};
  return {
    maxRows: spec.max_rows ?? DEFAULT_LIMITS.maxRows,
    maxBytes: spec.max_bytes ?? DEFAULT_LIMITS.maxBytes,
    maxMembers: spec.max_members ?? DEFAULT_LIMITS.maxMembers,
  };
}

/** `limits.max_rows (200,000)`, and whether the scenario sets it. */
export function describeLimit(limits: Limits, key: keyof Limits): string {
  return `limits.${KEYS[key]} (${limits[key].toLocaleString('en-US')})`;
}

/** A finding at `path` (its key, with `key`), or at its nearest ancestor in the file. */
export function placeIn(map: SourceMap, path: (string | number)[], key = false): Place {
  const pos = key ? map.keyAt(path) : map.at(path);
  return { file: pos.file ?? map.file, line: pos.line, column: pos.column, path };
}

/** Stops the run: `detail` says what reached which limit. */
export function limitReached(place: Place, detail: string, key: keyof Limits): DiagnosticError {
  const hint =
    key === 'maxMembers'
      ? `Lower the count, or raise limits.${KEYS[key]} if the machine has the memory (about 8 bytes per member and numeric attribute).`
      : `Check the counts and rates that drive this process (\`scenario plan\` shows the expected size), or raise limits.${KEYS[key]}.`;
  return new DiagnosticError([diag('run-limit', place, { detail, hint })]);
}
