/**
 * Sample folders as tests. Each test/samples/validate/<case>/ holds a small bad scenario
 * (scenario.yaml) and the diagnostics loadScenario must report for it (expected.json: every
 * diagnostic of the file, in order, as {code, line, column}).
 *
 * Set UPDATE_SAMPLES=1 to rewrite expected.json from what the engine reports now instead of
 * comparing. Then read the diff by eye: each line:col must point at the offending key or
 * value, and inside an expression at the offending name.
 *
 * A case may also hold known-bug.json, { "why": ..., "actual": [...] or "throws" }, for an
 * engine bug that is not fixed yet: expected.json then says what the engine should report,
 * `actual` what it reports today. The test pins `actual`, so a fix shows up as a failure
 * asking to delete known-bug.json. UPDATE_SAMPLES leaves such cases alone.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/diagnostics/catalogue.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { loadScenario } from '../src/pipeline.js';

const SAMPLES = fileURLToPath(new URL('./samples/validate/', import.meta.url));
const BUNDLED = fileURLToPath(new URL('../scenarios/crm-theft.yaml', import.meta.url));
const UPDATE = process.env.UPDATE_SAMPLES === '1';

/** Codes of findings that concern no place in the file, so they carry line 0. */
const FILE_LEVEL = new Set(['file-unreadable', 'set-invalid']);

interface Located {
  code: string;
  line: number;
  column: number;
}

interface KnownBug {
  why: string;
  actual: Located[] | 'throws';
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const located = (ds: Diagnostic[]): Located[] => ds.map(({ code, line, column }) => ({ code, line, column }));

const cases = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => {
    const dir = join(SAMPLES, e.name);
    const bugFile = join(dir, 'known-bug.json');
    return {
      name: e.name,
      scenario: join(dir, 'scenario.yaml'),
      expectedFile: join(dir, 'expected.json'),
      bug: existsSync(bugFile) ? readJson<KnownBug>(bugFile) : undefined,
    };
  });
const working = cases.filter((c) => c.bug === undefined);
const knownBugs = cases.filter((c) => c.bug !== undefined);

describe('validate samples', () => {
  it('has enough distinct cases, each with its files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(24);
    for (const c of cases) {
      expect(existsSync(c.scenario), `${c.name}/scenario.yaml`).toBe(true);
      expect(existsSync(c.expectedFile) || UPDATE, `${c.name}/expected.json`).toBe(true);
    }
    // Two folders holding the same file would test one input twice.
    const texts = new Set(cases.map((c) => readFileSync(c.scenario, 'utf8')));
    expect(texts.size).toBe(cases.length);
  });

  it('the bundled scenario is clean, so a sample fails only through its own change', () => {
    expect(located(loadScenario(BUNDLED).diagnostics)).toEqual([]);
  });

  it.each(working.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const actual = located(loadScenario(c.scenario).diagnostics);
    if (UPDATE) {
      writeFileSync(c.expectedFile, JSON.stringify(actual, null, 2) + '\n');
      return;
    }
    expect(actual.length, 'a bad sample must be reported').toBeGreaterThan(0);
    expect(actual).toEqual(readJson<Located[]>(c.expectedFile));
  });

  it.each(knownBugs.map((c) => [c.name, c] as const))('%s (known engine bug, see known-bug.json)', (_name, c) => {
    const bug = c.bug!;
    expect(bug.why.length).toBeGreaterThan(0);
    let actual: Located[] | 'throws';
    try {
      actual = located(loadScenario(c.scenario).diagnostics);
    } catch {
      actual = 'throws';
    }
    const expected = readJson<Located[]>(c.expectedFile);
    expect(actual, 'the engine now reports expected.json: delete known-bug.json').not.toEqual(expected);
    expect(actual).toEqual(bug.actual);
  });
});

describe('every sample fails cleanly', () => {
  // Samples whose known bug is a crash are pinned above; every other one must come back as
  // diagnostics, never as an exception or a stack trace inside a message.
  const clean = cases.filter((c) => c.bug?.actual !== 'throws');

  it.each(clean.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let diagnostics: Diagnostic[] = [];
    expect(() => (diagnostics = loadScenario(c.scenario).diagnostics)).not.toThrow();
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) {
      const what = `${d.code} at ${d.line}:${d.column}`;
      expect(Object.keys(CATALOGUE), what).toContain(d.code);
      expect(['error', 'warning'], what).toContain(d.severity);
      if (!FILE_LEVEL.has(d.code)) {
        expect(d.line, what).toBeGreaterThanOrEqual(1);
        expect(d.column, what).toBeGreaterThanOrEqual(1);
      }
      expect(d.message.trim().length, what).toBeGreaterThan(0);
      expect(d.hint?.trim().length ?? 0, `${what} has a hint`).toBeGreaterThan(0);
      // A stack frame, or a value printed without being formatted, means an internal error leaked.
      for (const text of [d.message, d.hint ?? '']) {
        expect(text, what).not.toMatch(/\n\s+at |\[object Object\]|TypeError|ReferenceError/);
      }
    }
  });
});
