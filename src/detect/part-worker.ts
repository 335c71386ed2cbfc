/** Worker thread of a file run's part: runs it (see `runPart`) and posts what came of it. */
import { parentPort, workerData } from 'node:worker_threads';
import { DetectInputError, runPart, type PartOptions } from './files.js';
import type { PartMessage } from './part-thread.js';

const port = parentPort!;
runPart(workerData as PartOptions).then(
  (result) => port.postMessage({ type: 'done', result } satisfies PartMessage),
  (err: unknown) => {
    const input = err instanceof DetectInputError;
    const message = err instanceof Error ? err.message : String(err);
    port.postMessage({ type: 'error', message, input, file: input ? err.file : undefined, line: input ? err.line : undefined } satisfies PartMessage);
  },
);
