/** The registry of pattern kinds: one module each, one line here. */
import { bipartiteKind } from './bipartite.js';
import { circularKind } from './circular.js';
import { fanInKind } from './fan-in.js';
import { fanOutKind } from './fan-out.js';
import { flowKind } from './flow.js';
import { gatherScatterKind } from './gather-scatter.js';
import { scatterGatherKind } from './scatter-gather.js';
import { stackKind } from './stack.js';
import { timeKind } from './time.js';
import type { PatternKind } from './types.js';

export const PATTERN_KINDS: PatternKind[] = [flowKind, circularKind, timeKind, fanInKind, fanOutKind, scatterGatherKind, gatherScatterKind, bipartiteKind, stackKind];

export function patternKind(name: string): PatternKind | undefined {
  return PATTERN_KINDS.find((k) => k.name === name);
}
