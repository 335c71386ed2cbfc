/**
 * The calendar must exist: `time.start` matches YYYY-MM-DD in the schema, but 2026-02-30 or
 * 2026-13-01 are not dates (the first would silently become March 2, the second would fail
 * at the first timestamp written), and the last day must not pass 9999-12-31, beyond which
 * dates no longer have four-digit years.
 */
import type { AnalysisContext } from '../../model/context.js';

const LAST_DAY_MS = Date.parse('9999-12-31T00:00:00Z');

export function checkCalendar(scenario: any, ctx: AnalysisContext): void {
  const start = scenario.time?.start;
  if (typeof start !== 'string') return;
  const ms = Date.parse(`${start}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== start) {
    ctx.report('schema-value', ['time', 'start'], { where: 'time.start', detail: `"${start}" is not a calendar date`, hint: 'Write a real date as YYYY-MM-DD, e.g. 2026-01-05.' });
    return;
  }
  const days = scenario.time?.days ?? 1;
  if (typeof days === 'number' && ms + (days - 1) * 86_400_000 > LAST_DAY_MS) {
    ctx.report('schema-value', ['time', 'days'], { where: 'time.days', detail: `runs past 9999-12-31 from ${start}`, hint: 'Use fewer days or an earlier start.' });
  }
}
