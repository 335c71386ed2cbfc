/** One line of the benchmark table: what every benchmark returns. */
export interface BenchRow {
  name: string;
  scale: string;
  rows: number;
  seconds: number;
  /** From the start of the measuring process: loading and planning included (child.js). */
  processSeconds?: number;
  rowsPerSecond: number;
  mbPerSecond: number;
  peakRssMb: number;
  workers?: number;
  extra?: Record<string, number>;
}
