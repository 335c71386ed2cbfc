/**
 * Benchmark of the streaming anomaly detector on a generated batch + stream log pair.
 *
 * The log is written to a temporary directory (removed afterwards) and only the detector run is
 * timed. The mix mimics a social payment app: the batch half is mostly the friendship graph being
 * built plus purchase history, the stream half is 90% purchases with some friendship churn, for
 * an average degree near 6. Friendships are mostly local (a ring of communities) with some random
 * long links, and user activity is skewed, as in real social graphs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream, realpathSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { rngFor, type Rng } from '../rng/index.js';
import { buildAlias, drawAlias, type AliasTable } from '../rng/alias.js';
import { exponential, lognormal } from '../rng/distributions.js';
import { detectFiles, type CacheStats } from '../detect/index.js';

/** Benchmark size and rule parameters. */
export interface BenchDetectOptions {
  events?: number;
  users?: number;
  D?: number;
  T?: number;
  /** Network cache budget in member ids (0 disables); the detector's default otherwise. */
  cacheBudget?: number;
  /** Share of friendship changes among stream events (default 0.10); the rest are purchases. */
  streamChurn?: number;
}

/** The measured figures. */
export interface BenchDetectResult {
  name: string;
  scale: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  mbPerSecond: number;
  peakRssMb: number;
  /** How the network cache fared (hits, misses, invalidations, pauses). */
  cache: CacheStats;
}

const SEED = 20170613;
/** Half-width of the "community" a local friendship stays within. */
const COMMUNITY = 100;

/** Generates the logs, times the detector over them and returns the figures. */
export async function benchDetect(opts: BenchDetectOptions = {}): Promise<BenchDetectResult> {
  const events = opts.events ?? 1_000_000;
  const users = opts.users ?? 100_000;
  const D = opts.D ?? 3;
  const T = opts.T ?? 50;
  const dir = await mkdtemp(join(tmpdir(), 'scenario-bench-detect-'));
  try {
    const batch = join(dir, 'batch_log.json');
    const stream = join(dir, 'stream_log.json');
    await generateLogs({ batch, stream, events, users, D, T, streamChurn: opts.streamChurn ?? 0.1 });
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 20);
    const report = await detectFiles({ batch, stream, out: join(dir, 'flagged_purchases.json'), cacheBudget: opts.cacheBudget });
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const rows = report.batchEvents + report.streamEvents;
    return {
      name: 'detect',
      scale: `${rows.toLocaleString('en-US')} events, ${users.toLocaleString('en-US')} users, D=${D}, T=${T}, ${report.flagged} flagged`,
      rows,
      seconds: report.seconds,
      rowsPerSecond: rows / report.seconds,
      mbPerSecond: report.bytesRead / 1e6 / report.seconds,
      peakRssMb: peakRss / (1 << 20),
      cache: report.detector.cache,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Where and how much to generate. */
export interface GenerateOptions {
  batch: string;
  stream: string;
  events: number;
  users: number;
  D: number;
  T: number;
  streamChurn: number;
}

/** Writes the two logs; the first half of the events goes to the batch log. */
export async function generateLogs(g: GenerateOptions): Promise<void> {
  const rng = rngFor(SEED, 'bench-detect');
  // Skewed activity: a few users buy and befriend far more than most.
  const weights = new Float64Array(g.users);
  for (let u = 0; u < g.users; u++) weights[u] = lognormal(rng, 0, 0.8);
  const activity = buildAlias(weights);
  const edges = new EdgeSet();
  let clock = Date.UTC(2017, 5, 13, 0, 0, 0);
  const batchEvents = Math.floor(g.events / 2);
  for (const [path, count, mix] of [
    [g.batch, batchEvents, { befriend: 0.56, unfriend: 0.02 }],
    [g.stream, g.events - batchEvents, { befriend: 0.7 * g.streamChurn, unfriend: 0.3 * g.streamChurn }],
  ] as const) {
    const out = new LineSink(path);
    if (path === g.batch) out.push(`{"D":"${g.D}", "T":"${g.T}"}`);
    for (let i = 0; i < count; i++) {
      clock += Math.round(exponential(rng, 50)); // about 20 events a second: many timestamp ties
      const ts = new Date(clock).toISOString().slice(0, 19).replace('T', ' ');
      const r = rng();
      if (r < mix.unfriend && edges.size > 0) {
        const [a, b] = edges.removeRandom(rng);
        out.push(`{"event_type":"unfriend", "timestamp":"${ts}", "id1": "${a}", "id2": "${b}"}`);
      } else if (r < mix.unfriend + mix.befriend) {
        const [a, b] = friendPair(rng, activity, g.users);
        edges.add(a, b);
        out.push(`{"event_type":"befriend", "timestamp":"${ts}", "id1": "${a}", "id2": "${b}"}`);
      } else {
        out.push(`{"event_type":"purchase", "timestamp":"${ts}", "id": "${drawAlias(activity, rng)}", "amount": "${amount(rng)}"}`);
      }
      await out.maybeFlush();
    }
    await out.close();
  }
}

/** Two distinct users: usually neighbours on the community ring, sometimes anyone. */
function friendPair(rng: Rng, activity: AliasTable, users: number): [number, number] {
  const a = drawAlias(activity, rng);
  for (;;) {
    const b = rng() < 0.7 ? (a + users + Math.round((rng() * 2 - 1) * COMMUNITY)) % users : Math.floor(rng() * users);
    if (b !== a) return [a, b];
  }
}

/** Typical basket sizes, with a rare spike so some purchases get flagged. */
function amount(rng: Rng): string {
  let value = lognormal(rng, Math.log(40), 0.8);
  if (rng() < 0.002) value *= 20 + 30 * rng();
  return (Math.round(value * 100) / 100).toFixed(2);
}

/** Current friendships, with O(1) removal of a random one (for unfriend events). */
class EdgeSet {
  private readonly list: number[] = [];
  private readonly index = new Map<number, number>();

  get size(): number {
    return this.list.length;
  }

  add(a: number, b: number): void {
    const key = a < b ? a * 2 ** 26 + b : b * 2 ** 26 + a;
    if (this.index.has(key)) return;
    this.index.set(key, this.list.length);
    this.list.push(key);
  }

  removeRandom(rng: Rng): [number, number] {
    const at = Math.floor(rng() * this.list.length);
    const key = this.list[at];
    const last = this.list.pop()!;
    if (at < this.list.length) {
      this.list[at] = last;
      this.index.set(last, at);
    }
    this.index.delete(key);
    return [Math.floor(key / 2 ** 26), key % 2 ** 26];
  }
}

/** Buffers generated lines and writes them in large pieces. */
class LineSink {
  private parts: string[] = [];
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path);
  }

  push(line: string): void {
    this.parts.push(line);
  }

  async maybeFlush(): Promise<void> {
    if (this.parts.length >= 8192) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('\n') + '\n';
    this.parts = [];
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isMainModule()) {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      users: { type: 'string' },
      D: { type: 'string' },
      T: { type: 'string' },
      'cache-budget': { type: 'string' },
      'stream-churn': { type: 'string' },
    },
  });
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const result = await benchDetect({
    events: num(values.events),
    users: num(values.users),
    D: num(values.D),
    T: num(values.T),
    cacheBudget: num(values['cache-budget']),
    streamChurn: num(values['stream-churn']),
  });
  console.log(`${result.name}: ${result.scale}`);
  console.log(`  ${result.rows.toLocaleString('en-US')} events in ${result.seconds.toFixed(2)} s`);
  console.log(`  ${Math.round(result.rowsPerSecond).toLocaleString('en-US')} events/s, ${result.mbPerSecond.toFixed(1)} MB/s`);
  console.log(`  peak RSS ${result.peakRssMb.toFixed(0)} MB`);
  const { hits, misses, invalidated, evicted, pauses } = result.cache;
  console.log(`  network cache: ${hits} hits, ${misses} misses, ${invalidated} invalidated, ${evicted} evicted, ${pauses} pauses`);
}
