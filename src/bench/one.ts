/**
 * Runs one named benchmark in this process and prints its figures as one JSON line, so the
 * suite can give each its own process (and its own peak RSS).
 * Usage: node dist/bench/one.js card-fraud|aml-graph|detect|detect-workers|memory-latency
 */
import { availableParallelism } from 'node:os';
import { benchAmlGraph } from './aml-graph.js';
import { benchCardFraud } from './card-fraud.js';
import { benchDetect } from './detect.js';
import { memoryLatency } from './memory-latency.js';

const BENCHES: Record<string, () => Promise<unknown>> = {
  'card-fraud': () => benchCardFraud(),
  'aml-graph': () => benchAmlGraph(),
  detect: () => benchDetect(),
  // The same logs with the stream shared between all cores (see planParts in detect/files.ts).
  'detect-workers': () => benchDetect({ workers: availableParallelism() }),
  // The host's load latency in and out of cache, to set beside figures taken by hand.
  'memory-latency': async () => memoryLatency(),
};

const name = process.argv[2];
const bench = BENCHES[name];
if (!bench) {
  console.error(`unknown benchmark "${name}"; one of ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
console.log(JSON.stringify(await bench()));
