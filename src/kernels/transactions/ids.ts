/**
 * Transaction ids that reveal nothing: a keyed 4-round Feistel permutation of the pair
 * (sending node, position in its block), written as 16 hex digits. A Feistel network is a
 * bijection, so distinct pairs always give distinct ids; the key comes from the seed, and
 * the pair is known within a block, so ids need no counter shared across workers.
 */
import { seedFor } from '../../rng/index.js';

/** Byte b as two hex digits: PAIRS[2b], PAIRS[2b + 1]. */
const PAIRS = Buffer.from(Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0')).join(''));

export class TransactionIds {
  private readonly keys: Int32Array;

  constructor(seed: number, stream: string) {
    this.keys = Int32Array.from([0, 1, 2, 3], (i) => seedFor(seed, `${stream}/id`, i) | 0);
  }

  /** Writes the id of (node, k) as 16 hex digits at buf[pos..pos+16). */
  write(buf: Uint8Array, pos: number, node: number, k: number): void {
    // Halves kept as int32 (never boxed as doubles); >>> only when reading bytes.
    let l = node | 0;
    let r = k | 0;
    const keys = this.keys;
    for (let i = 0; i < 4; i++) {
      let x = Math.imul(r ^ keys[i], 0x85ebca6b | 0);
      x ^= x >>> 13;
      x = Math.imul(x, 0xc2b2ae35 | 0);
      x ^= x >>> 16;
      const next = l ^ x;
      l = r;
      r = next;
    }
    for (let i = 0; i < 4; i++) {
      const h = ((l >>> (24 - 8 * i)) & 255) << 1;
      const q = ((r >>> (24 - 8 * i)) & 255) << 1;
      buf[pos + 2 * i] = PAIRS[h];
      buf[pos + 2 * i + 1] = PAIRS[h + 1];
      buf[pos + 8 + 2 * i] = PAIRS[q];
      buf[pos + 9 + 2 * i] = PAIRS[q + 1];
    }
  }

  /** The id as a string (for expressions that use it). */
  text(node: number, k: number): string {
    const b = Buffer.allocUnsafe(16);
    this.write(b, 0, node, k);
    return b.toString('latin1');
  }
}
