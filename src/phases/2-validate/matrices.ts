/** Semantic checks of transition matrices: rows match the state list and sum to 1. */
import type { AnalysisContext } from '../../model/context.js';

const TOLERANCE = 1e-9;

export function checkMatrices(scenario: any, ctx: AnalysisContext): void {
  const lists: Record<string, string[]> = scenario.states ?? {};
  for (const [name, m] of Object.entries<any>(scenario.matrices ?? {})) {
    const states = lists[m.states];
    if (!states) {
      ctx.report('ref-unknown', ['matrices', name, 'states'], { what: 'state list', name: m.states, known: Object.keys(lists).join(', ') });
      continue;
    }
    for (const row of Object.keys(m.rows)) {
      if (!states.includes(row)) {
        ctx.report('matrix-unknown-row', ['matrices', name, 'rows', row], { matrix: name, row, states: m.states, order: states.join(', ') }, true);
      }
    }
    for (const state of states) {
      const row: number[] | undefined = m.rows[state];
      if (!row) {
        ctx.report('matrix-missing-row', ['matrices', name, 'rows'], { matrix: name, row: state }, true);
        continue;
      }
      if (row.length !== states.length) {
        ctx.report('matrix-shape', ['matrices', name, 'rows', state], {
          matrix: name, row: state, found: row.length, expected: states.length, states: m.states, order: states.join(', '),
        });
        continue;
      }
      const sum = row.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > TOLERANCE) {
        ctx.report('matrix-row-sum', ['matrices', name, 'rows', state], { matrix: name, row: state, sum: Number(sum.toPrecision(12)) });
      }
    }
  }
}
