/** What the generating thread and the file thread (file-thread.ts) say to each other. */

/** A write's error as it crosses threads: what the run reports of it. */
export interface WriteError {
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
}

export type FileRequest =
  /** A buffer of shared memory, sent once, known by `n` afterwards. */
  | { type: 'buffer'; n: number; memory: SharedArrayBuffer }
  | { type: 'open'; file: number; fd: number }
  /** Write the first `length` bytes of buffer `n` to `file`, then hand `n` back. */
  | { type: 'write'; file: number; n: number; length: number }
  | { type: 'close'; file: number }
  /** Close without caring about what is left (a failed run). */
  | { type: 'abandon'; file: number };

export type FileReply =
  | { type: 'free'; n: number }
  /** The file is closed: its sha256, or the error a write (or the close) met. */
  | { type: 'closed'; file: number; sha256: string; error?: WriteError }
  /** A write failed; later writes to the file are dropped. */
  | { type: 'failed'; file: number; error: WriteError };
