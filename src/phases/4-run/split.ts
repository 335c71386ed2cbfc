/**
 * How work is divided. A process's units (members, days, source nodes) are split into
 * contiguous ranges: shard I of N takes the I-th range, and within a run, batches and worker
 * chunks are sub-ranges taken in order. Units draw from streams keyed by their index, so
 * any split writes the same bytes, and shards concatenated in order equal the whole run.
 */
export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** The units of a process this shard runs. Sequential processes run whole in shard 1. */
export function shardRange(units: number, shard: Shard | undefined, sequential = false): [number, number] {
  if (!shard || shard.count === 1) return [0, units];
  if (sequential) return shard.index === 1 ? [0, units] : [0, 0];
  const from = Math.floor((units * (shard.index - 1)) / shard.count);
  const to = Math.floor((units * shard.index) / shard.count);
  return [from, to];
}

/** Parses `I/N` (1 <= I <= N). */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index >= 1 && index <= count ? { index, count } : undefined;
}

/** Units per chunk when the output size per unit is unknown. */
const UNKNOWN_SIZE_UNITS = 256;

/**
 * Chunks of [from, to) for worker threads: about `targetBytes` of output each (from the
 * plan's estimate of bytes per unit), and at least 16 per worker. A short process (the link
 * and pattern processes before the transactions) is thus cut fine: a thread meeting its code
 * cold takes its first chunks slowly, and with 4 chunks per worker the main thread, done
 * with its own, waited for those; with 16 the slow ones are small (aml-graph at 30,000
 * clients: 0.67 - 0.72 s for the processes before the transactions against 0.82 - 0.96 s).
 */
export function chunks(from: number, to: number, bytesPerUnit: number, workers: number, targetBytes = 8 << 20): [number, number][] {
  const units = to - from;
  if (units <= 0) return [];
  // Without an estimate (a library caller that skipped the pilot), keep chunks small: a
  // chunk is held in memory whole, and the main thread runs chunks too, checking for
  // Ctrl-C only between them.
  const byBytes = bytesPerUnit > 0 ? Math.floor(targetBytes / bytesPerUnit) : UNKNOWN_SIZE_UNITS;
  const byBalance = Math.ceil(units / (workers * 16));
  const size = Math.max(1, Math.min(byBytes, byBalance));
  const out: [number, number][] = [];
  for (let a = from; a < to; a += size) out.push([a, Math.min(to, a + size)]);
  return out;
}
