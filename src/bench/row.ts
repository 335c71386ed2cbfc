/** One line of the benchmark table: what every benchmark returns. */
export interface BenchRow {
  name: string;
  scale: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  mbPerSecond: number;
  peakRssMb: number;
  workers?: number;
  extra?: Record<string, number>;
}
