/**
 * Text formatting shared by the ink app and the plain-lines reporter. Pure functions.
 */
import type { OutputSummary } from './progress.js';
import type { StageState } from './state.js';

/** Shown where a figure is unknown (no total, no rate yet...). */
export const UNKNOWN = '?';

const COUNT_UNITS = ['', ' k', ' M', ' G', ' T'];
const BYTE_UNITS = [' B', ' KiB', ' MiB', ' GiB', ' TiB'];

/**
 * Scales `value` by `base` until it fits the unit list. One decimal below 100 ("12.3 M"),
 * none above ("123 M"); a value that rounds up to `base` moves to the next unit.
 */
function scaled(value: number, base: number, units: string[]): string {
  if (!Number.isFinite(value)) return UNKNOWN;
  const sign = value < 0 ? '-' : '';
  let magnitude = Math.abs(value);
  let unit = 0;
  while (unit < units.length - 1 && magnitude >= base) {
    magnitude /= base;
    unit += 1;
  }
  const digits = (m: number, u: number): string =>
    u === 0 ? String(Math.round(m)) : m < 99.95 ? m.toFixed(1) : m.toFixed(0);
  let text = digits(magnitude, unit);
  if (Number(text) >= base && unit < units.length - 1) {
    magnitude /= base;
    unit += 1;
    text = digits(magnitude, unit);
  }
  return `${sign}${text}${units[unit]}`;
}

/** A count for humans: 999, 1.2 k, 12.3 M, 123 M. */
export function formatCount(n: number): string {
  return scaled(n, 1000, COUNT_UNITS);
}

/** A byte size in binary units: 512 B, 1.5 KiB, 120 MiB. */
export function formatBytes(n: number): string {
  return scaled(n, 1024, BYTE_UNITS);
}

/** An exact integer with thousands separators, independent of the machine's locale: 10,080. */
export function formatInteger(n: number): string {
  if (!Number.isFinite(n)) return UNKNOWN;
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A fraction in [0, 1] as a percentage: formatPercent(0.0084, 2) is "0.84%". */
export function formatPercent(fraction: number, decimals = 0): string {
  if (!Number.isFinite(fraction)) return UNKNOWN;
  return `${(fraction * 100).toFixed(decimals)}%`;
}

/** A duration: 0.4s, 42s, 1m 05s, 2h 03m. Unknown or negative durations print as "?". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return UNKNOWN;
  if (seconds < 9.95) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) {
    const minutes = Math.floor(whole / 60);
    return `${minutes}m ${String(whole % 60).padStart(2, '0')}s`;
  }
  // Seconds are noise at this scale; round to the minute.
  const totalMinutes = Math.round(whole / 60);
  const hours = Math.floor(totalMinutes / 60);
  return `${hours}h ${String(totalMinutes % 60).padStart(2, '0')}m`;
}

/** A rate: "1.2 k rows/s"; slow rates keep a decimal ("0.5 rows/s"). */
export function formatRate(perSecond: number, unit: string): string {
  const suffix = unit === '' ? '/s' : ` ${unit}/s`;
  if (!Number.isFinite(perSecond) || perSecond < 0) return `${UNKNOWN}${suffix}`;
  const value = perSecond < 9.95 ? perSecond.toFixed(1) : formatCount(perSecond);
  return `${value}${suffix}`;
}

/** Characters a progress bar is drawn with. */
export interface BarGlyphs {
  filled: string;
  empty: string;
}

/** Block glyphs for terminals. */
export const BLOCK_BAR: BarGlyphs = { filled: '█', empty: '░' };
/** ASCII glyphs for logs that may not be UTF-8. */
export const ASCII_BAR: BarGlyphs = { filled: '#', empty: '-' };

/**
 * A bar exactly `width` characters wide, `fraction` (clamped to [0, 1]) of it filled.
 * Rounds down so a bar is full only when the work is.
 */
export function progressBar(fraction: number, width: number, glyphs: BarGlyphs = BLOCK_BAR): string {
  const cells = Math.max(0, Math.floor(width));
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.floor(clamped * cells);
  return glyphs.filled.repeat(filled) + glyphs.empty.repeat(cells - filled);
}

/**
 * The rate to show for a stage: rows per second when it writes rows, otherwise its own
 * unit per second (a detector scoring events writes no rows but still makes progress).
 */
export function stageRate(stage: StageState): string {
  return stage.rows > 0 ? formatRate(stage.rowsRate, 'rows') : formatRate(stage.rate, stage.unit);
}

/** "4,000/10,000 actors (40%)", or "4,000 actors" when the total is unknown. */
export function stageCounts(stage: StageState): string {
  const unit = stage.unit === '' ? '' : ` ${stage.unit}`;
  if (stage.total <= 0) return `${formatInteger(stage.done)}${unit}`;
  const share = formatPercent(stage.done / stage.total);
  return `${formatInteger(stage.done)}/${formatInteger(stage.total)}${unit} (${share})`;
}

/** "ETA 1m 05s", or "ETA ?" when it cannot be estimated yet. */
export function stageEta(stage: StageState): string {
  return `ETA ${stage.etaSeconds === undefined ? UNKNOWN : formatDuration(stage.etaSeconds)}`;
}

/**
 * Pads cells into aligned columns separated by two spaces; columns listed in `rightAligned`
 * (numbers) are padded on the left. Trailing spaces are trimmed.
 */
export function alignColumns(rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** "is_fraud 0.84% (10,080 positive)", or "-" when the output has no label column. */
export function formatLabel(label: OutputSummary['label']): string {
  if (label === undefined) return '-';
  return `${label.column} ${formatPercent(label.share, 2)} (${formatInteger(label.positive)} positive)`;
}

/**
 * The summary table, one string per line, header first: output, file, rows, size, label.
 * `withFile: false` leaves out the file column where width is short (a terminal).
 */
export function outputTable(outputs: OutputSummary[], { withFile = true } = {}): string[] {
  const rows = [
    ['output', 'file', 'rows', 'size', 'label'],
    ...outputs.map((o) => [o.name, o.file, formatInteger(o.rows), formatBytes(o.bytes), formatLabel(o.label)]),
  ];
  if (withFile) return alignColumns(rows, new Set([2, 3]));
  return alignColumns(
    rows.map((row) => row.filter((_, i) => i !== 1)),
    new Set([1, 2]),
  );
}
