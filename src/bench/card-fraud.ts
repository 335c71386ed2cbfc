/**
 * Benchmark of the original's large card-fraud example, scenarios/card-fraud-city-large.yaml
 * (10,000 clients, 2,000 stores, R = 80,000, 1,800 days: about 6 million payment rows), run
 * in this thread through loadScenario + runScenario into a temporary folder removed
 * afterwards. Seconds cover the run (populations, payments, files), not parsing and planning.
 *
 * `node dist/bench/card-fraud.js [--days N]` prints the figures as JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadScenario, runScenario } from '../pipeline.js';
import type { BenchRow } from './row.js';

/** The measured figures (a row of the `npm run bench` table). */
export type BenchCardFraudResult = BenchRow;

const SCENARIO = fileURLToPath(new URL('../../scenarios/card-fraud-city-large.yaml', import.meta.url));

/** Runs the large example (or its first `days` days) and returns the figures. */
export async function benchCardFraud(opts: { days?: number } = {}): Promise<BenchCardFraudResult> {
  const days = opts.days ?? 1800;
  const set = days === 1800 ? [] : [`time.days=${days}`];
  const dir = await mkdtemp(join(tmpdir(), 'scenario-bench-card-fraud-'));
  try {
    const loaded = loadScenario(SCENARIO, { set });
    if (!loaded.compiled) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
    const started = performance.now();
    const result = await runScenario({ ...loaded, compiled: loaded.compiled }, { out: join(dir, 'out'), overrides: set });
    const seconds = (performance.now() - started) / 1000;
    // The process's peak (the suite runs each benchmark in its own process). Polling
    // memoryUsage.rss() instead read /proc every 20 ms, about 2% of the run.
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const rows = result.manifest.files.reduce((s, f) => s + f.rows, 0);
    const bytes = result.manifest.files.reduce((s, f) => s + f.bytes, 0);
    return {
      name: 'card-fraud-city',
      scale: `10,000 clients, 2,000 stores, ${days.toLocaleString('en-US')} days, ${(rows / 1e6).toFixed(1)} M payments`,
      rows,
      seconds,
      rowsPerSecond: rows / seconds,
      mbPerSecond: bytes / 1e6 / seconds,
      peakRssMb: peakRss / (1 << 20),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { days: { type: 'string' } } });
  console.log(JSON.stringify(await benchCardFraud({ days: values.days ? Number(values.days) : undefined })));
}
