/**
 * The simulated calendar: day starts in the scenario's time unit, and fast UTC timestamp
 * formatting (Date.prototype.toISOString costs about 380 ns a call; the date part is cached
 * per day and the clock part written by hand).
 */
import { InvalidValueSignal } from '../expr/invalid-signal.js';

export const UNIT_SECONDS = { second: 1, minute: 60, hour: 3600, day: 86400 } as const;
export type TimeUnit = keyof typeof UNIT_SECONDS;

export interface TimeModel {
  startMs: number;
  days: number;
  unit: TimeUnit;
  /** Length of one day in the scenario unit. */
  unitsPerDay: number;
  /** `YYYY-MM-DD` of day d. */
  date(d: number): string;
  /** `YYYY-MM-DDTHH:MM:SSZ` of time t (scenario units from the start of day 0). */
  timestamp(t: number): string;
}

export function makeTime(spec: { start?: string; days?: number; unit?: TimeUnit } | undefined): TimeModel {
  const start = spec?.start ?? '2026-01-01';
  const unit = spec?.unit ?? 'second';
  const startMs = Date.parse(`${start}T00:00:00Z`);
  const unitSec = UNIT_SECONDS[unit];
  const dates: string[] = [];
  const dayText = (d: number, value: number) => {
    const when = new Date(startMs + d * 86400000);
    // NaN, or a time beyond the JS calendar (about 270,000 years away), has no date: the
    // consumer reports the value that produced it (see model/invalid.ts).
    if (Number.isNaN(when.getTime())) throw new InvalidValueSignal(value);
    return (dates[d] = when.toISOString().slice(0, 10));
  };
  const date = (d: number) => dates[d] ?? dayText(d, d);
  const two = (n: number) => (n < 10 ? '0' + n : String(n));
  return {
    startMs,
    days: spec?.days ?? 1,
    unit,
    unitsPerDay: 86400 / unitSec,
    date,
    timestamp(t) {
      const sec = Math.floor(t * unitSec);
      const d = Math.floor(sec / 86400);
      let s = sec - d * 86400;
      const h = (s / 3600) | 0;
      s -= h * 3600;
      const m = (s / 60) | 0;
      s -= m * 60;
      return `${dates[d] ?? dayText(d, t)}T${two(h)}:${two(m)}:${two(s)}Z`;
    },
  };
}
