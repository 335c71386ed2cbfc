/**
 * What a process's failure becomes. Kernels check the values they consume, but a kernel may
 * evaluate an expression whose failure it does not catch, or hit a time outside the calendar:
 * such an error escapes `run` and becomes a diagnostic placed at the process, so the user
 * sees a place and a message, never a stack trace. Diagnostics pass through unchanged.
 */
import { DiagnosticError } from '../../diagnostics/diagnostic.js';
import { diag } from '../../diagnostics/make.js';
import { InvalidValueSignal } from '../../expr/invalid-signal.js';
import { show } from '../../model/invalid.js';
import type { RunSafety } from '../../model/safety.js';

/** `e`, thrown while process `name` ran units from `unit`, as a located diagnostic. */
export function asRunDiagnostic(e: unknown, name: string, safety: RunSafety, unit?: number): unknown {
  if (e instanceof DiagnosticError) return e;
  const place = safety.place(['processes', name]);
  const at = unit === undefined ? '' : `unit ${unit}`;
  if (e instanceof InvalidValueSignal) {
    return new DiagnosticError([
      diag('expr-runtime', place, { expr: `an expression of process ${name}`, value: show(e.value), context: at, hint: 'Check the expressions of this process for a division by zero, an overflow or a missing value.' }),
    ]);
  }
  if (e instanceof Error && (e instanceof TypeError || e instanceof RangeError)) {
    return new DiagnosticError([diag('run-failed', place, { process: name, unit: at, detail: e.message })]);
  }
  return e;
}
