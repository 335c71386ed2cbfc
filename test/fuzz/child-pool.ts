/**
 * The parent side of test/fuzz/child.mjs: sends one case at a time to a child process and
 * waits at most `timeoutMs` for the answer. A case that takes longer is a hang: the child is
 * killed (and replaced for the next case), and the case's outcome says so.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

const CHILD = join(ROOT, 'test', 'fuzz', 'child.mjs');

/** What came back for a case: the child's answer, or why there was none. */
export type ChildOutcome<T> = { result: T } | { hang: true } | { crashed: string };

/** Cases in the environment: `npm run fuzz` sets FUZZ_RUNS; `npm test` uses the default. */
export function fuzzRuns(defaultRuns: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : defaultRuns;
}

/** One child process, restarted after a hang or a crash. */
export class CaseRunner {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 0;

  constructor(private readonly timeoutMs: number) {
    if (!existsSync(join(ROOT, 'dist', 'pipeline.js'))) throw new Error('the fuzz cases run the built engine: run `npm run build` first');
  }

  private start(): Promise<void> {
    // Memory is capped so a case that allocates without bound fails fast instead of swapping.
    const child = fork(CHILD, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: ['--max-old-space-size=1024'] });
    child.stderr?.resume();
    this.child = child;
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`fuzz child exited (${code}) before it was ready`)));
    });
  }

  /** Runs one case; never rejects for what the case does. */
  async run<T>(message: Record<string, unknown>): Promise<ChildOutcome<T>> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) this.ready = this.start();
    await this.ready;
    const child = this.child!;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const done = (outcome: ChildOutcome<T>) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(outcome);
      };
      const onMessage = (m: { id?: number; result?: T }) => {
        if (m.id === id) done({ result: m.result as T });
      };
      const onExit = (code: number | null, signal: string | null) => {
        this.child = undefined;
        done({ crashed: `exit code ${code}, signal ${signal}` });
      };
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        child.kill('SIGKILL');
        this.child = undefined;
        done({ hang: true });
      }, this.timeoutMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ ...message, id });
    });
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}
