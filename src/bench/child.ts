/**
 * One benchmark measurement in its own process, so peak RSS belongs to that run alone.
 * Usage: node dist/bench/child.js FILE OUT WORKERS [path=value ...]; prints one JSON line.
 */
import { rmSync } from 'node:fs';
import { loadPlanned, runScenario } from '../pipeline.js';
import { startWorkers } from '../phases/4-run/index.js';

const [file, out, workers, ...set] = process.argv.slice(2);
const load = { set };
// As `scenario run` does: the threads load the scenario while this thread loads it, then help
// draw the populations for the plan's pilot.
const pool = startWorkers(Number(workers), { file, load });
const loaded = await loadPlanned(file, load, pool);
if (!loaded.compiled) {
  console.error(loaded.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n'));
  process.exit(1);
}
const started = performance.now();
const result = await runScenario({ ...loaded, compiled: loaded.compiled }, {
  out,
  force: true,
  overrides: set,
  workers: Number(workers),
  source: { file, load },
  pool,
});
const seconds = (performance.now() - started) / 1000;
// From the process's start: loading the engine, the scenario and its plan (the pilot draws the
// populations, which the run then uses) included, as a user of `scenario run` waits for it.
const processSeconds = performance.now() / 1000;
const rows = result.manifest.files.reduce((s, f) => s + f.rows, 0);
const bytes = result.manifest.files.reduce((s, f) => s + f.bytes, 0);
rmSync(out, { recursive: true, force: true });
// maxRSS is in KiB; the largest of this thread and its workers (same process).
console.log(JSON.stringify({ rows, bytes, seconds, processSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
