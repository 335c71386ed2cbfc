/** The one place that builds diagnostics from the catalogue. */
import { CATALOGUE, type DiagnosticCode } from './catalogue.js';
import type { Diagnostic } from './diagnostic.js';

export interface Place {
  file: string;
  line: number;
  column: number;
  path: (string | number)[];
}

/** Longest argument a message quotes (lists of known names fit); a 100,000-character expression is cut. */
const MAX_ARG = 2000;

export function diag(code: DiagnosticCode, place: Place, args: Record<string, string | number> = {}): Diagnostic {
  args = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'string' && v.length > MAX_ARG ? `${v.slice(0, MAX_ARG)}... (${v.length} characters)` : v]));
  const entry = CATALOGUE[code] as { message: (a: typeof args) => string; hint: (a: typeof args) => string; severity?: 'error' | 'warning' };
  return {
    code,
    severity: entry.severity ?? 'error',
    message: entry.message(args),
    hint: entry.hint(args) || undefined,
    file: place.file,
    line: place.line,
    column: place.column,
    path: place.path,
  };
}
