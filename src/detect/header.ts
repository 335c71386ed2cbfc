/**
 * The batch log's first line, `{"D":"3", "T":"50"}`.
 *
 * A bad or missing header must not stop the run, so each bad parameter falls back to the
 * challenge's sample values and the problem is reported instead.
 */

/** Parameters used when the header is missing or unreadable (the challenge's sample values). */
export const DEFAULT_PARAMS: Readonly<{ D: number; T: number }> = { D: 3, T: 50 };

/** The parameters read from a header line, and what was wrong with it. */
export interface HeaderResult {
  D: number;
  T: number;
  /** Why defaults were used, or null when the header was fine. */
  problem: string | null;
  /** The line is an event, not a header: the header is missing and the line must still be processed. */
  isEvent: boolean;
}

/** Reads D (integer >= 1) and T (integer >= 2) from the header line; values may be strings or numbers. */
export function parseHeader(text: string): HeaderResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ...DEFAULT_PARAMS, problem: 'header is not valid JSON', isEvent: false };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ...DEFAULT_PARAMS, problem: 'header is not a JSON object', isEvent: false };
  }
  const obj = value as Record<string, unknown>;
  if ('event_type' in obj) return { ...DEFAULT_PARAMS, problem: 'missing header line', isEvent: true };
  const problems: string[] = [];
  const D = integerParam(obj, 'D', 1, problems);
  const T = integerParam(obj, 'T', 2, problems);
  return { D: D ?? DEFAULT_PARAMS.D, T: T ?? DEFAULT_PARAMS.T, problem: problems.length > 0 ? problems.join('; ') : null, isEvent: false };
}

function integerParam(obj: Record<string, unknown>, name: string, min: number, problems: string[]): number | null {
  const raw = obj[name];
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : null;
  const value = text !== null && /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (value >= min) return value;
  const shown = raw === undefined ? 'missing' : JSON.stringify(raw);
  problems.push(`${name} must be an integer >= ${min} (got ${shown}); using ${DEFAULT_PARAMS[name as 'D' | 'T']}`);
  return null;
}
