/**
 * docs/diagnostics.md documents every diagnostic code: a table row per code, with its meaning
 * and an example. Fails when a code is added to the catalogue without a row, or when the
 * page still lists a code the catalogue no longer has.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/diagnostics/catalogue.js';

const PAGE = readFileSync(new URL('../docs/diagnostics.md', import.meta.url), 'utf8');

/** Table rows whose first cell is a code in backticks: code -> the other cells. */
function documentedRows(markdown: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of markdown.split('\n')) {
    const m = /^\|\s*`([a-z0-9-]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (m) rows.set(m[1], m[2].split(' | ').map((cell) => cell.trim()));
  }
  return rows;
}

const rows = documentedRows(PAGE);
const codes = Object.keys(CATALOGUE);

describe('docs/diagnostics.md', () => {
  it.each(codes)('documents %s with a meaning and an example', (code) => {
    const cells = rows.get(code);
    expect(cells, `no table row for ${code}`).toBeDefined();
    const [meaning, example] = cells!;
    expect(meaning.length, `${code}: meaning`).toBeGreaterThan(10);
    expect(example, `${code}: example`).toMatch(/`[^`]+`/);
  });

  it('lists no code the catalogue does not have', () => {
    expect([...rows.keys()].filter((c) => !codes.includes(c))).toEqual([]);
  });

  it('lists each code once', () => {
    const firstCells = PAGE.split('\n').filter((l) => /^\|\s*`[a-z0-9-]+`\s*\|/.test(l)).map((l) => l.split('|')[1].trim());
    expect(new Set(firstCells).size).toBe(firstCells.length);
  });
});
