/**
 * The registry of process kernels. Adding a kernel: its folder (schema, compile/run, test
 * sample), one line here, one docs page; a registry test checks all three exist.
 */
import { arrivalsKernel } from './arrivals/index.js';
import { markovKernel } from './markov/index.js';
import { socialKernel } from './social/index.js';
import type { Kernel } from './types.js';

export const KERNELS: Kernel[] = [markovKernel, socialKernel, arrivalsKernel];

export function kernelByName(name: string): Kernel | undefined {
  return KERNELS.find((k) => k.name === name);
}
