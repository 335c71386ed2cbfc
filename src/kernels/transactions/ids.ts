/**
 * Transaction ids that reveal nothing: a keyed 4-round Feistel permutation of the pair
 * (sending node, position in its block), written as 16 hex digits. A Feistel network is a
 * bijection, so distinct pairs always give distinct ids; the key comes from the seed, and
 * the pair is known within a block, so ids need no counter shared across workers.
 */
import { seedFor } from '../../rng/index.js';

const HEX = Buffer.from('0123456789abcdef');

export class TransactionIds {
  private readonly keys: Uint32Array;
  private hi = 0;
  private lo = 0;

  constructor(seed: number, stream: string) {
    this.keys = Uint32Array.from([0, 1, 2, 3], (i) => seedFor(seed, `${stream}/id`, i));
  }

  private permute(node: number, k: number): void {
    let l = node >>> 0;
    let r = k >>> 0;
    for (let i = 0; i < 4; i++) {
      let x = Math.imul(r ^ this.keys[i], 0x85ebca6b);
      x ^= x >>> 13;
      x = Math.imul(x, 0xc2b2ae35);
      x ^= x >>> 16;
      const next = (l ^ x) >>> 0;
      l = r;
      r = next;
    }
    this.hi = l;
    this.lo = r;
  }

  /** Writes the id of (node, k) as 16 hex digits at buf[pos..pos+16). */
  write(buf: Uint8Array, pos: number, node: number, k: number): void {
    this.permute(node, k);
    for (let i = 7; i >= 0; i--) buf[pos + 7 - i] = HEX[(this.hi >>> (i * 4)) & 15];
    for (let i = 7; i >= 0; i--) buf[pos + 15 - i] = HEX[(this.lo >>> (i * 4)) & 15];
  }

  /** The id as a string (for expressions that use it). */
  text(node: number, k: number): string {
    const b = Buffer.allocUnsafe(16);
    this.write(b, 0, node, k);
    return b.toString('latin1');
  }
}
