/**
 * Progress events: what the run phase publishes and the terminal UI consumes.
 * The UI is a pure function of the state these events build (see ui/state.ts).
 */

/** One stage of a run (a population being drawn, a process, a detector...). */
export interface StageInfo {
  id: string;
  /** Human label, e.g. "sessions (markov over users)". */
  label: string;
  /** Expected amount of work in `unit`s; 0 when unknown. */
  total: number;
  /** What `total` and `done` count: "actors", "sessions", "events"... */
  unit: string;
}

/** What one output file holds when the run is finished. */
export interface OutputSummary {
  name: string;
  file: string;
  rows: number;
  bytes: number;
  /** Label prevalence when the output declares a label column. */
  label?: { column: string; positive: number; share: number };
}

export type ProgressEvent =
  | { type: 'plan'; scenario: string; seed: number; outDir: string; stages: StageInfo[] }
  | { type: 'stage-start'; id: string }
  | { type: 'stage-progress'; id: string; done: number; rows: number; bytes: number }
  | { type: 'stage-end'; id: string; done: number; rows: number; bytes: number; seconds: number }
  | { type: 'summary'; outDir: string; outputs: OutputSummary[]; seconds: number; notes: string[] };

/** Something that receives progress events (ink UI, plain lines, nothing). */
export interface Reporter {
  onEvent(event: ProgressEvent): void;
  /** Flushes and unmounts; called once at the end of a run, also on failure. */
  close(): Promise<void>;
}
