/**
 * Picks and builds the reporter a run publishes its progress to: the ink UI on a terminal,
 * plain lines elsewhere, nothing when asked to be quiet.
 */
import { createElement } from 'react';
import { render, type Instance } from 'ink';
import { RunView } from './app.js';
import { createPlainReporter } from './plain.js';
import type { ProgressEvent, Reporter } from './progress.js';
import { initialState, reduce } from './state.js';

/** How progress is shown. */
export type ReporterMode = 'tty' | 'plain' | 'quiet';

/** Streams and clock a reporter uses. */
export interface ReporterOptions {
  /** Where progress goes. In 'tty' mode it must be a terminal stream (columns, cursor moves). */
  stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Where ink sends what the app writes to stderr; defaults to process.stderr. */
  stderr?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Clock in milliseconds; defaults to Date.now. */
  now?: () => number;
  /**
   * 'tty' only: print console.log/warn/error output above the live UI instead of through it.
   * Default true; turn off where the global console is not Node's (test runners).
   */
  patchConsole?: boolean;
}

/** Facts {@link chooseMode} decides from. */
export interface ModeInputs {
  /** The user asked for --quiet. */
  quiet: boolean;
  /** The output stream is a terminal. */
  isTTY: boolean;
  /** Running under CI, where logs keep every byte and cursor movement garbles them. */
  ci: boolean;
}

/** The least time between two redraws of the ink UI (about 10 frames a second). */
export const TTY_RENDER_INTERVAL_MS = 100;

/** Columns assumed when the stream does not report its width. */
const DEFAULT_COLUMNS = 80;

/** Quiet wins; a terminal outside CI gets the ink UI; anything else gets plain lines. */
export function chooseMode({ quiet, isTTY, ci }: ModeInputs): ReporterMode {
  if (quiet) return 'quiet';
  return isTTY && !ci ? 'tty' : 'plain';
}

/**
 * A reporter for `mode`. Call `close()` once when the run ends, also when it fails: in 'tty'
 * mode it draws the final state and gives the terminal back.
 */
export function createReporter(mode: ReporterMode, opts: ReporterOptions): Reporter {
  switch (mode) {
    case 'quiet':
      return { onEvent() {}, close: () => Promise.resolve() };
    case 'plain':
      return createPlainReporter(opts.stdout, { now: opts.now });
    case 'tty':
      return createInkReporter(opts);
  }
}

/**
 * Mounts the ink app on the first event and redraws at most every TTY_RENDER_INTERVAL_MS;
 * events in between only update the state, the next redraw shows the latest.
 */
function createInkReporter(opts: ReporterOptions): Reporter {
  const now = opts.now ?? Date.now;
  // Ink types its streams as terminal streams; a plain writable works as long as it accepts writes.
  const stdout = opts.stdout as NodeJS.WriteStream;
  const stderr = opts.stderr as NodeJS.WriteStream | undefined;
  let state = initialState();
  let instance: Instance | undefined;
  let lastRenderAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const draw = (): void => {
    lastRenderAt = now();
    const view = createElement(RunView, { state, width: stdout.columns || DEFAULT_COLUMNS });
    if (instance === undefined) {
      // exitOnCtrlC off: the UI reads no input, so Ctrl+C must stay a plain SIGINT for the run.
      instance = render(view, { stdout, stderr, exitOnCtrlC: false, patchConsole: opts.patchConsole ?? true });
    } else {
      instance.rerender(view);
    }
  };

  const scheduleDraw = (): void => {
    if (timer !== undefined) return; // the pending redraw will pick up the latest state
    const wait = lastRenderAt + TTY_RENDER_INTERVAL_MS - now();
    if (wait <= 0) {
      draw();
      return;
    }
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) draw();
    }, wait);
  };

  return {
    onEvent(event: ProgressEvent) {
      if (closed) return;
      state = reduce(state, event, now());
      scheduleDraw();
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (instance === undefined && state.plan === undefined && state.stages.length === 0) return;
      draw();
      const mounted = instance!;
      // Ink settles the exit promise only if someone waits before unmount() is called.
      const exited = mounted.waitUntilExit();
      mounted.unmount();
      await exited;
    },
  };
}
