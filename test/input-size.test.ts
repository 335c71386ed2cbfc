/**
 * Inputs too large or too deep to read end in diagnostics, quickly: YAML nested thousands of
 * levels deep, aliases that expand exponentially, expressions with thousands of brackets or
 * chained ?:, and names of a million characters.
 */
import { describe, expect, it } from 'vitest';
import { compileExpression, tableScope } from '../src/expr/compile.js';
import { loadScenario } from '../src/pipeline.js';

const load = (text: string) => loadScenario('input-size.yaml', { text });
const codes = (text: string) => load(text).diagnostics.map((d) => `${d.code}:${d.line}`);

describe('YAML', () => {
  it('block maps nested 5,000 levels deep: one yaml-syntax finding, no stack overflow', () => {
    let text = 'scenario: x\nactors:\n  u:\n    count: 1\n    attributes:\n';
    for (let i = 0; i < 5000; i++) text += `${' '.repeat(6 + i)}a${i}:\n`;
    const diagnostics = load(text).diagnostics;
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['yaml-syntax', 'YAML syntax error: the document is nested too deeply to read']]);
    // Where the parser gives up depends on the stack size: at the start, or at the level it reached.
    expect(diagnostics[0].line).toBeGreaterThanOrEqual(1);
  });

  it('flow lists nested 20,000 levels deep', () => {
    const d = load(`scenario: x\nactors: ${'['.repeat(20000)}${']'.repeat(20000)}\n`).diagnostics[0];
    expect(d.code).toBe('yaml-syntax');
    expect(d.message).toBe('YAML syntax error: the document is nested too deeply to read');
  });

  it('aliases of aliases ("billion laughs") stop at the alias limit, placed at the first alias', () => {
    const text = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    expect(codes(text)).toEqual(['yaml-syntax:2']);
  });

  it('a scenario name of a million characters is a finding about the name, quoted short', () => {
    const [d] = load(`scenario: ${'x'.repeat(1_000_000)}!\nactors: {}\nprocesses: {}\noutputs: {}\n`).diagnostics;
    expect(d.code).toBe('schema-value');
    expect(d.message.length).toBeLessThan(3000);
  });
});

describe('expressions', () => {
  const scope = tableScope({ x: 'c.x' });
  const problem = (text: string) => compileExpression(text, scope).problems.map((p) => `${p.code}: ${p.args.detail}`);

  it.each([
    ['1,000 brackets', `x ${'['.repeat(1000)}${']'.repeat(1000)}`, 'expr-syntax: it nests 1000 levels of brackets, more than 64'],
    ['300 chained ?:', `${Array.from({ length: 300 }, () => 'x ? x').join(' : ')} : 1`, 'expr-syntax: it has 300 conditionals (?:), more than 256'],
    ['20,000 characters', Array.from({ length: 5000 }, () => 'x').join(' + '), 'expr-syntax: it is 19997 characters long, more than 10000'],
    ['4,000 sums (a deep tree)', Array.from({ length: 2400 }, () => 'x').join('+'), 'expr-syntax: it is nested too deeply'],
  ])('%s: refused in well under a second', (_name, text, expected) => {
    const started = performance.now();
    expect(problem(text)).toEqual([expected]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('an unknown name of 9,000 characters is located', () => {
    const name = `x.${'a'.repeat(9_000)}`;
    const r = compileExpression(`1 + ${name}`, tableScope({ y: 'c.y' }));
    expect(r.problems.map((p) => [p.code, p.offset])).toEqual([['expr-unknown-identifier', 4]]);
  });

  it('a long expression in a scenario is quoted cut short in the message', () => {
    const text = `scenario: x\nactors:\n  u: { count: "${'1 + '.repeat(3000)}nope" }\nprocesses: {}\noutputs: {}\n`;
    const [d] = load(text).diagnostics;
    expect(d.code).toBe('expr-syntax');
    expect(d.message).toMatch(/\.\.\. \(12004 characters\)"/);
  });
});
