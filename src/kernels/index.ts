/**
 * The registry of process kernels. Adding a kernel: its folder (schema, compile/run, test
 * sample), one line here, one docs page; a registry test checks all three exist.
 */
import { arrivalsKernel } from './arrivals/index.js';
import { linksKernel } from './links/index.js';
import { markovKernel } from './markov/index.js';
import { membersKernel } from './members/index.js';
import { patternsKernel } from './patterns/index.js';
import { socialKernel } from './social/index.js';
import { transactionsKernel } from './transactions/index.js';
import type { Kernel } from './types.js';

export const KERNELS: Kernel[] = [markovKernel, socialKernel, arrivalsKernel, membersKernel, linksKernel, patternsKernel, transactionsKernel];

export function kernelByName(name: string): Kernel | undefined {
  return KERNELS.find((k) => k.name === name);
}
