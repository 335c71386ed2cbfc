/**
 * Time bins of the report's charts over time: the first width giving at most MAX_BINS bins
 * over the span wins, so every chart of a dataset bins alike.
 */
export const BIN_WIDTHS: [name: string, seconds: number][] = [
  ['1 minute', 60],
  ['5 minutes', 300],
  ['15 minutes', 900],
  ['1 hour', 3600],
  ['6 hours', 21600],
  ['1 day', 86400],
  ['7 days', 604800],
  ['30 days', 2592000],
];

export const MAX_BINS = 200;

/** The bin width for a span of `seconds`, and its name. */
export function widthFor(seconds: number): [name: string, seconds: number] {
  return BIN_WIDTHS.find(([, s]) => seconds / s <= MAX_BINS) ?? BIN_WIDTHS[BIN_WIDTHS.length - 1];
}
