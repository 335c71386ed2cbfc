/**
 * Benchmark of scenarios/aml-graph.yaml at a stated number of clients (100,000 by default:
 * about 40 million client->client links at p = 0.004 and 130 million transactions), run in
 * this thread through loadScenario + runScenario into a temporary folder removed afterwards.
 * Reports rows/s over every file, and links/s and transactions/s over their own stages.
 *
 * `node dist/bench/aml-graph.js [--clients N]` prints the figures as JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadScenario, runScenario } from '../pipeline.js';
import type { BenchRow } from './row.js';

/** The measured figures (a row of the `npm run bench` table). */
export type BenchAmlGraphResult = BenchRow;

const SCENARIO = fileURLToPath(new URL('../../scenarios/aml-graph.yaml', import.meta.url));

/** Runs aml-graph with `clients` clients and returns the figures. */
export async function benchAmlGraph(opts: { clients?: number } = {}): Promise<BenchAmlGraphResult> {
  const clients = opts.clients ?? 100_000;
  const dir = await mkdtemp(join(tmpdir(), 'scenario-bench-aml-'));
  try {
    const loaded = loadScenario(SCENARIO, { set: [`actors.clients.count=${clients}`] });
    if (!loaded.compiled) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
    const compiled = loaded.compiled;
    const stages = new Map<string, { seconds: number; rows: number }>();
    const result = await runScenario(
      { ...loaded, compiled },
      {
        out: join(dir, 'out'),
        overrides: [],
        onEvent: (e) => {
          if (e.type === 'stage-end') stages.set(e.id, { seconds: e.seconds, rows: e.rows });
        },
      },
    );
    // The process's peak (the suite runs each benchmark in its own process). Polling
    // memoryUsage.rss() instead cost about 2% of the run, reading /proc every 20 ms.
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const files = result.manifest.files;
    const rows = files.reduce((s, f) => s + f.rows, 0);
    const bytes = files.reduce((s, f) => s + f.bytes, 0);
    const of = (kind: string) => compiled.processes.filter((p) => p.kind === kind).map((p) => p.name);
    const stage = (names: string[]) => names.reduce((s, n) => s + (stages.get(`process/${n}`)?.seconds ?? 0), 0);
    const rowsFrom = (names: string[], only?: string) =>
      compiled.outputs.filter((o) => 'process' in o.source && names.includes(o.source.process) && (!only || o.name === only)).reduce((s, o) => s + (files.find((f) => f.output === o.name)?.rows ?? 0), 0);
    const linkNames = of('links');
    const txNames = of('transactions');
    const links = rowsFrom(linkNames);
    const transactions = rowsFrom(txNames, 'transactions');
    const linkSeconds = stage(linkNames);
    const txSeconds = stage(txNames);
    return {
      name: 'aml-graph',
      scale: `${clients.toLocaleString('en-US')} clients, ${(links / 1e6).toFixed(1)} M links, ${(transactions / 1e6).toFixed(1)} M transactions`,
      rows,
      seconds: result.seconds,
      rowsPerSecond: rows / result.seconds,
      mbPerSecond: bytes / 1e6 / result.seconds,
      peakRssMb: peakRss / (1 << 20),
      extra: {
        links,
        linksPerSecond: links / linkSeconds,
        transactions,
        transactionsPerSecond: transactions / txSeconds,
        transactionRowsPerSecond: rowsFrom(txNames) / txSeconds,
        patternInstances: compiled.processes.filter((p) => p.kind === 'patterns').reduce((s, p) => s + p.iterate.count, 0),
        bytes,
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { clients: { type: 'string' } } });
  console.log(JSON.stringify(await benchAmlGraph({ clients: values.clients ? Number(values.clients) : undefined }), null, 2));
}
