/**
 * One benchmark measurement in its own process, so peak RSS belongs to that run alone.
 * Usage: node dist/bench/child.js FILE OUT WORKERS [path=value ...]; prints one JSON line.
 */
import { rmSync } from 'node:fs';
import { loadScenario, runScenario } from '../pipeline.js';

const [file, out, workers, ...set] = process.argv.slice(2);
const load = { set };
const loaded = loadScenario(file, { ...load, estimate: true });
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
});
const seconds = (performance.now() - started) / 1000;
const rows = result.manifest.files.reduce((s, f) => s + f.rows, 0);
const bytes = result.manifest.files.reduce((s, f) => s + f.bytes, 0);
rmSync(out, { recursive: true, force: true });
// maxRSS is in KiB; the largest of this thread and its workers (same process).
console.log(JSON.stringify({ rows, bytes, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
