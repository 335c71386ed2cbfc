/**
 * Which arrivals processes get a declared-vs-realised intensity plot: those with an output
 * of their events that writes the event time, as `t` (or `fixed(t, n)`) or `timestamp`.
 * Read from the scenario's column expressions, so the time is known to be the event's.
 */
import type { Dataset, OutputView } from './dataset.js';

export interface IntensityPlan {
  kind: 'intensity';
  process: string;
  output: OutputView;
  column: string;
  /** `t` in scenario units, or a UTC timestamp. */
  time: 'units' | 'timestamp';
}

const UNITS = /^(t|fixed\(\s*t\s*,\s*\d+\s*\))$/;

export function intensityPlots(ds: Dataset, outputs: OutputView[]): IntensityPlan[] {
  const plots: IntensityPlan[] = [];
  for (const [process, spec] of Object.entries<any>(ds.scenario?.processes ?? {})) {
    if (!spec?.arrivals) continue;
    // The first output of the process that writes the time, preferring one without `where`
    // (then every event is a row).
    const candidates = outputs.filter((o) => o.spec?.from === process).sort((a, b) => Number(a.spec.where !== undefined) - Number(b.spec.where !== undefined));
    for (const o of candidates) {
      const time = eventTime(o);
      if (time) {
        plots.push({ kind: 'intensity', process, output: o, ...time });
        break;
      }
    }
  }
  return plots;
}

function eventTime(o: OutputView): { column: string; time: 'units' | 'timestamp' } | undefined {
  for (const [column, e] of Object.entries<unknown>(o.spec?.columns ?? {})) {
    if (typeof e !== 'string' || !o.columns.some((c) => c.name === column)) continue;
    if (UNITS.test(e.trim())) return { column, time: 'units' };
    if (e.trim() === 'timestamp') return { column, time: 'timestamp' };
  }
  return undefined;
}
