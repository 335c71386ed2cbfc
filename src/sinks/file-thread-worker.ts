/**
 * The file thread (see file-thread.ts): writes each buffer it is handed to its file, hashes
 * it, and hands the buffer back, in the order they came. It catches every error and reports
 * it, so the generating thread, which may be sleeping until it replies, always hears back.
 */
import { createHash, type Hash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { workerData, type MessagePort } from 'node:worker_threads';
import type { FileReply, FileRequest, WriteError } from './file-thread-messages.js';

const { port, replies } = workerData as { port: MessagePort; replies: Int32Array };
const buffers: Buffer[] = [];
const files = new Map<number, { fd: number; hash: Hash; error?: WriteError }>();

function reply(r: FileReply): void {
  port.postMessage(r);
  // After the post: a thread that saw the old count and found no reply wakes to find this one.
  Atomics.add(replies, 0, 1);
  Atomics.notify(replies, 0);
}

function asWriteError(e: unknown): WriteError {
  const x = e as NodeJS.ErrnoException;
  return { message: x?.message ?? String(e), code: x?.code, errno: x?.errno, syscall: x?.syscall };
}

/** Done with `file`: its sha256, or the error a write met. The generating thread closes the descriptor it opened. */
function close(file: number, abandon: boolean): void {
  const f = files.get(file);
  files.delete(file);
  const error = abandon ? undefined : (f?.error ?? (f ? undefined : { message: `file ${file} is not open in the file thread` }));
  reply({ type: 'closed', file, sha256: abandon || error ? '' : f!.hash.digest('hex'), ...(error ? { error } : {}) });
}

port.on('message', (m: FileRequest) => {
  switch (m.type) {
    case 'buffer':
      buffers[m.n] = Buffer.from(m.memory);
      return;
    case 'open':
      files.set(m.file, { fd: m.fd, hash: createHash('sha256') });
      return;
    case 'write': {
      const f = files.get(m.file);
      if (f && !f.error) {
        const bytes = buffers[m.n].subarray(0, m.length);
        try {
          for (let off = 0; off < bytes.length; ) off += writeSync(f.fd, bytes, off, bytes.length - off);
          f.hash.update(bytes);
        } catch (e) {
          f.error = asWriteError(e);
          reply({ type: 'failed', file: m.file, error: f.error });
        }
      }
      reply({ type: 'free', n: m.n });
      return;
    }
    case 'close':
    case 'abandon':
      close(m.file, m.type === 'abandon');
  }
});

// Listening: the generating thread waits for this before handing over any bytes.
Atomics.store(replies, 1, 1);
Atomics.notify(replies, 1);
