/**
 * A worker thread: compiles the same scenario with the same options as the main thread
 * (while the main thread starts drawing the populations), helps draw them (parallel-draw.ts),
 * adopts the populations it is then sent,
 * and runs the chunks it is sent into in-memory writers, sending the encoded bytes back.
 * The main thread writes them in chunk order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { adoptColumns, bindColumns, columnData } from '../../model/population.js';
import { loadScenario, type LoadOptions } from '../../pipeline.js';
import { DiagnosticError } from '../../diagnostics/diagnostic.js';
import { ChunkRunner, type ChunkTask } from './chunk-runner.js';
import { SharedBufferPool, type SharedRecycle } from './shared-buffers.js';
import { drawBlocks, type DrawMessage } from './parallel-draw.js';

export type { ChunkResult, ChunkTask } from './chunk-runner.js';

export interface WorkerInit {
  file: string;
  load: LoadOptions;
}

/**
 * The populations the main thread drew (`columnData`), sent once the thread has started:
 * the thread loads and compiles the scenario while the main thread draws them.
 */
export interface PopulationsMessage {
  type: 'populations';
  populations: Record<string, ReturnType<typeof columnData>>;
}

const port = parentPort!;
const init = workerData as WorkerInit;
try {
  const loaded = loadScenario(init.file, { ...init.load, trusted: true });
  if (!loaded.compiled) throw new Error(`the scenario no longer compiles: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  const compiled = loaded.compiled;
  const buffers = new SharedBufferPool();
  let runner: ChunkRunner | undefined;
  port.on('message', (message: ChunkTask | SharedRecycle | PopulationsMessage | DrawMessage) => {
    try {
      if ('type' in message && message.type === 'draw') {
        drawBlocks(compiled.populations.get(message.population)!, compiled.seed, message, (d) => port.postMessage(d));
        return;
      }
      if ('type' in message && message.type === 'populations') {
        for (const pop of compiled.populations.values()) {
          adoptColumns(pop, message.populations[pop.name]);
          bindColumns(pop);
        }
        runner = new ChunkRunner(compiled, buffers.allocate);
        port.postMessage({ type: 'ready' });
        return;
      }
      if (!runner) throw new Error('a chunk arrived before the populations');
      if ('type' in message) {
        for (const o of message.outputs) runner.recycle(o.name, o.ids.map((id) => buffers.byId(id)));
        return;
      }
      const { message: result, transfer } = buffers.share(runner.run(message));
      port.postMessage(result, transfer);
    } catch (e) {
      // Diagnostics travel as data, so the main thread reports them with their places.
      port.postMessage({ type: 'error', message: (e as Error).message, diagnostics: e instanceof DiagnosticError ? e.diagnostics : undefined });
    }
  });
} catch (e) {
  port.postMessage({ type: 'error', message: (e as Error).message });
}
