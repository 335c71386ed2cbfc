/**
 * Benchmark of the streaming anomaly detector on a generated batch + stream log pair.
 *
 * The logs (see detect/synthetic.ts: half batch, half stream, 90% of the stream purchases, an
 * average degree near 6) are written to a temporary directory that is removed afterwards, and
 * only the detector run is timed. Peak RSS is sampled during that run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { detectFiles, writeSyntheticLogs, type DetectorStats } from '../detect/index.js';
import type { BenchRow } from './row.js';

/** Benchmark size and rule parameters. */
export interface BenchDetectOptions {
  events?: number;
  users?: number;
  D?: number;
  T?: number;
  /** Share of friendship changes among stream events (default 0.10); the rest are purchases. */
  streamChurn?: number;
  /** Threads to share the stream log between (default 1). */
  workers?: number;
}


/** The measured figures. */
export interface BenchDetectResult extends BenchRow {
  /** CPU time of the timed run; on a shared machine it shows what the wall time would be alone. */
  cpuSeconds: number;
  /** Wall time of the batch log alone (building state, no checks). */
  batchSeconds: number;
  /** State size, checks that needed the exact fallback, lists rebuilt after unfriends. */
  detector: DetectorStats;
}

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
    await writeSyntheticLogs({ batch, stream, events, users, D, T, streamChurn: opts.streamChurn });
    let peakRss = process.memoryUsage.rss();
    const cpuBefore = process.cpuUsage();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 20);
    const report = await detectFiles({ batch, stream, out: join(dir, 'flagged_purchases.json'), workers: opts.workers }).finally(() =>
      clearInterval(sampler),
    );
    const cpu = process.cpuUsage(cpuBefore);
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
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      batchSeconds: report.batchSeconds,
      workers: report.parts,
      detector: report.detector,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
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
      'stream-churn': { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const result = await benchDetect({
    events: num(values.events),
    users: num(values.users),
    D: num(values.D),
    T: num(values.T),
    streamChurn: num(values['stream-churn']),
    workers: num(values.workers),
  });
  console.log(`${result.name}: ${result.scale}, ${result.workers} thread(s)`);
  console.log(`  ${result.rows.toLocaleString('en-US')} events in ${result.seconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(2)} s; batch log ${result.batchSeconds.toFixed(2)} s)`);
  console.log(`  ${Math.round(result.rowsPerSecond).toLocaleString('en-US')} events/s, ${result.mbPerSecond.toFixed(1)} MB/s`);
  console.log(`  peak RSS ${result.peakRssMb.toFixed(0)} MB`);
  const { users, friendships, fallbacks, rebuilds } = result.detector;
  console.log(`  ${users} users, ${friendships} friendships; ${fallbacks} checks fell back to the exact merge, ${rebuilds} lists rebuilt`);
}
