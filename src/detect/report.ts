/**
 * The short human summary printed after a file run.
 */
import { basename } from 'node:path';
import type { DetectReport } from './files.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** Multi-line summary: events read, purchases checked, flagged, bad lines per kind with locations. */
export function formatReport(report: DetectReport): string {
  const events = report.batchEvents + report.streamEvents;
  // A rate over a few milliseconds says nothing.
  const rate = report.seconds >= 0.5 ? `, ${count(Math.round(events / report.seconds))} events/s` : '';
  const threads = report.parts > 1 ? ` on ${report.parts} threads` : '';
  const lines = [
    `detect: D=${report.D} T=${report.T}; read ${count(events)} events (batch ${count(report.batchEvents)}, stream ${count(report.streamEvents)})` +
      ` in ${report.seconds.toFixed(2)} s (batch ${report.batchSeconds.toFixed(2)} s)${rate}${threads}`,
    `detect: checked ${count(report.purchasesChecked)} purchases, flagged ${count(report.flagged)}`,
  ];
  const total = report.badLines.reduce((sum, t) => sum + t.count, 0);
  if (total === 0) {
    lines.push('detect: no bad lines');
  } else {
    lines.push(`detect: ${count(total)} bad line${total === 1 ? '' : 's'} skipped:`);
    for (const tally of report.badLines) {
      const where = tally.examples.map((b) => `${basename(b.file)}:${b.line}`).join(', ');
      const more = tally.count > tally.examples.length ? ', ...' : '';
      lines.push(`  ${tally.kind.padEnd(18)} ${String(tally.count).padStart(7)}  (${where}${more}) ${tally.examples[0].message}`);
    }
  }
  return lines.join('\n');
}
