/** A section of the report: a title, an optional intro, its charts, or why it was left out. */
import type { Chart } from './charts.js';

export interface Section {
  title: string;
  intro?: string;
  charts: Chart[];
  /** Why the section has no charts (listed under Notes), when it was left out. */
  note?: string;
}

/** A chart id made of parts, safe as an element id. */
export function slug(...parts: string[]): string {
  return parts.join('-').replace(/[^A-Za-z0-9_-]+/g, '_');
}
