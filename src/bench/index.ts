/**
 * `npm run bench`: runs each bundled scenario at a stated scale and prints one table
 * (scenario, scale, rows, seconds, rows/s, MB/s, peak RSS, workers), plus the engine's
 * crm-theft rate as a ratio of a minimal hand-written loop writing the same bytes, and the
 * speed-up of one worker per core over one thread on crm-theft (16 M sessions) and
 * aml-graph (30,000 clients). A one-thread run hands its writing and hashing to the file
 * thread (sinks/file-thread.ts); those two are also run with that thread off (every byte
 * made, written and hashed in one thread), the baseline the speed-up has always been
 * measured against, and the speed-up is shown over both.
 * `npm run bench -- --json` writes the figures as JSON to stdout instead;
 * `--memory` adds crm-theft at 40 and 400 million sessions to show flat memory (slow, and
 * needs about 20 GB of free disk). Benchmarks print figures; they never fail a test run.
 * The host's memory latency is measured before and after (memory-latency.ts): most of these
 * runs wait on memory, so it tells whether a slow figure is the code or a busy host.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeLatency, type MemoryLatency } from './memory-latency.js';
import type { BenchRow } from './row.js';

export type { BenchRow };

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const ROOT = here('../../');

/** Runs one measurement in a child process (so its peak RSS is its own). */
/** A child's figures; `processSeconds` (child.js only) counts from the process's start, loading and planning included. */
interface ChildFigures {
  rows: number;
  bytes: number;
  seconds: number;
  processSeconds?: number;
  peakRssMb: number;
}

/** Runs `script` in a child process (with `env` added to its environment) and returns the JSON of its last output line. */
function child<T = ChildFigures>(script: string, args: string[], env: Record<string, string> = {}): T {
  const out = execFileSync(process.execPath, [here(script), ...args], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 20, env: { ...process.env, ...env } });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/**
 * One of one.js's benchmarks in a child process. The memory probe runs there too: a child's
 * peak RSS (maxRSS) starts from its parent's resident size when it is started, so this process
 * must never hold the probe's 256 MB.
 */
function one<T>(name: string): T {
  return child<T>('./one.js', [name]);
}

function row(name: string, scale: string, r: ChildFigures, workers: number): BenchRow {
  const row: BenchRow = { name, scale, rows: r.rows, seconds: r.seconds, rowsPerSecond: r.rows / r.seconds, mbPerSecond: r.bytes / 1e6 / r.seconds, peakRssMb: r.peakRssMb, workers };
  return r.processSeconds === undefined ? row : { ...row, processSeconds: r.processSeconds };
}

/** Speed-up of `many` over `one`: of the runs, and of the whole commands (from process start). */
function speedUp(one: BenchRow, many: BenchRow): { run: number; command: number } {
  return { run: one.seconds / many.seconds, command: (one.processSeconds ?? one.seconds) / (many.processSeconds ?? many.seconds) };
}

/** The environment of a one-thread run without the file thread, and how its row says so. */
const NO_FILE_THREAD = { SCENARIO_FILE_THREAD: '0' };
const noFileThread = (own: boolean) => (own ? ', no file thread' : '');

/** aml-graph through the same child as crm-theft, for the workers' speed-up (the 100,000-client row is one.js's). */
function aml(clients: number, workers: number, own = false): BenchRow {
  const r = child('./child.js', [join(ROOT, 'scenarios/aml-graph.yaml'), join(tmpdir(), `bench-aml-${process.pid}`), String(workers), `actors.clients.count=${clients}`], own ? NO_FILE_THREAD : {});
  return row('aml-graph', `${clients.toLocaleString('en-US')} clients${noFileThread(own)}`, r, workers);
}

/** crm-theft at `users` x 200 sessions; `own`: with the file thread off. */
function crm(users: number, workers: number, own = false): BenchRow {
  const sessions = users * 200;
  const r = child('./child.js', [join(ROOT, 'scenarios/crm-theft.yaml'), join(tmpdir(), `bench-crm-${process.pid}`), String(workers), `actors.users.count=${users}`], own ? NO_FILE_THREAD : {});
  return row('crm-theft', `${(sessions / 1e6).toFixed(0)} M sessions${noFileThread(own)}`, r, workers);
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const memory = process.argv.includes('--memory');
  const cores = availableParallelism();
  const log = (s: string) => (json ? process.stderr.write(s + '\n') : console.log(s));
  log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cores} cores, node ${process.version}`);
  const latencyBefore = one<MemoryLatency>('memory-latency');
  log(`memory before: ${describeLatency(latencyBefore)}`);
  const rows: BenchRow[] = [];
  const add = (r: BenchRow) => {
    rows.push(r);
    log(`  ${r.name} (${r.scale}, ${r.workers ?? 1} worker(s)): ${fmt(r.rowsPerSecond)} rows/s, ${r.peakRssMb.toFixed(0)} MB peak`);
  };

  const base = child('./baseline.js', [join(tmpdir(), `bench-baseline-${process.pid}.csv`), '20000']);
  const baseline = row('hand-written loop', '4 M sessions', base, 1);
  add(baseline);
  const single = crm(20_000, 1);
  add(single);
  // The workers' speed-up at a scale where starting them (~0.3 s) does not dominate.
  const big = crm(80_000, 1);
  add(big);
  const bigOwn = crm(80_000, 1, true);
  add(bigOwn);
  const parallel = crm(80_000, cores);
  add(parallel);
  // The same for aml-graph, at a size whose 1.6 GB of output stays in the page cache.
  const amlOne = aml(30_000, 1);
  add(amlOne);
  const amlOwn = aml(30_000, 1, true);
  add(amlOwn);
  const amlParallel = aml(30_000, cores);
  add(amlParallel);
  if (memory) {
    add(crm(200_000, cores));
    add(crm(2_000_000, cores));
  }
  // The 100,000-client aml-graph runs last: it writes and removes 17.6 GB, and for about a
  // minute afterwards the host is slower (the 2-thread detector measured 164 k events/s right
  // after it and 204 k a minute later), which would be charged to whichever benchmark came next.
  for (const name of ['card-fraud', 'detect', 'detect-workers', 'aml-graph']) {
    const r = one<BenchRow>(name);
    add({ ...r, workers: r.workers ?? 1 });
  }
  const latencyAfter = one<MemoryLatency>('memory-latency');
  log(`memory after: ${describeLatency(latencyAfter)}`);

  if (json) {
    console.log(
      JSON.stringify(
        {
          machine: { cpu: cpus()[0]?.model, cores, node: process.version, memoryLatencyNs: { before: latencyBefore, after: latencyAfter } },
          rows,
          engineVsHandWritten: single.rowsPerSecond / baseline.rowsPerSecond,
          workersSpeedUp: speedUp(bigOwn, parallel),
          amlWorkersSpeedUp: speedUp(amlOwn, amlParallel),
          workersSpeedUpOverFileThread: speedUp(big, parallel),
          amlWorkersSpeedUpOverFileThread: speedUp(amlOne, amlParallel),
        },
        null,
        2,
      ),
    );
    return;
  }
  console.log('');
  const table = [['scenario', 'scale', 'rows', 'seconds', 'rows/s', 'MB/s', 'peak RSS', 'workers'], ...rows.map((r) => [r.name, r.scale, fmt(r.rows), r.seconds.toFixed(2), fmt(r.rowsPerSecond), r.mbPerSecond.toFixed(0), `${r.peakRssMb.toFixed(0)} MB`, String(r.workers ?? 1)])];
  const widths = table[0].map((_, i) => Math.max(...table.map((t) => t[i].length)));
  for (const t of table) console.log(t.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  console.log(`\nmemory latency: before ${describeLatency(latencyBefore)}; after ${describeLatency(latencyAfter)}`);
  console.log(`crm-theft engine rate / hand-written loop: ${(single.rowsPerSecond / baseline.rowsPerSecond).toFixed(2)}`);
  const shown = (x: { run: number; command: number }) => `${x.run.toFixed(2)} (whole command, loading and planning included: ${x.command.toFixed(2)})`;
  console.log(`crm-theft at 16 M sessions, ${cores} workers / 1 thread: ${shown(speedUp(bigOwn, parallel))}; / 1 thread with the file thread: ${speedUp(big, parallel).run.toFixed(2)}`);
  console.log(`aml-graph at 30,000 clients, ${cores} workers / 1 thread: ${shown(speedUp(amlOwn, amlParallel))}; / 1 thread with the file thread: ${speedUp(amlOne, amlParallel).run.toFixed(2)}`);
  for (const r of rows.filter((x) => x.extra)) {
    console.log(`${r.name}: ${Object.entries(r.extra!).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
  }
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
}

await main();
