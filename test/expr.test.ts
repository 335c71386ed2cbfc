/**
 * The expression compiler. jexl parses and we emit JS from its AST, so the compiled function
 * must compute exactly what jexl's own evaluator computes on the same context: the table
 * below runs both and compares. Then the parts jexl does not judge: located problems
 * (unknown names and functions, arity) and random functions drawing from `c.r`.
 */
import jexlPkg from 'jexl';
import { describe, expect, it } from 'vitest';
import { compileExpression, tableScope, type ExprContext } from '../src/expr/compile.js';
import { FUNCTIONS } from '../src/expr/functions.js';
import * as d from '../src/rng/distributions.js';
import { rngFor } from '../src/rng/index.js';

/** jexl's evaluator with the same deterministic functions, as functions and as transforms. */
const reference = new jexlPkg.Jexl();
for (const [name, def] of Object.entries(FUNCTIONS)) {
  if (def.random) continue;
  reference.addFunction(name, def.impl);
  reference.addTransform(name, def.impl);
}

const context = {
  x: 7,
  y: -2.5,
  z: 0,
  s: 'fraud',
  list: [1, 2, 3],
  words: ['a', 'bc'],
  user: { age: 31, name: 'ann' },
  flag: true,
};

/** Each context field as a name, read from the record context `c` like the engine's scopes do. */
const scope = () =>
  tableScope({
    x: 'c.x',
    y: 'c.y',
    z: 'c.z',
    s: 'c.s',
    list: 'c.list',
    words: 'c.words',
    user: 'c.user',
    'user.age': 'c.user.age',
    'user.name': 'c.user.name',
    flag: 'c.flag',
  });

/** A generator that fails the test if a deterministic expression draws from it. */
const noDraws = () => {
  throw new Error('deterministic expression drew a random number');
};

function compiled(text: string, r: () => number = noDraws): unknown {
  const result = compileExpression(text, scope());
  expect(result.problems, text).toEqual([]);
  return result.fn!({ ...context, r } as ExprContext);
}

const TABLE = [
  // arithmetic and precedence
  '1 + 2 * 3',
  '(1 + 2) * 3',
  '10 - 4 - 3',
  '100 / 10 / 5',
  '7 / 2',
  '2 * -3',
  '1 - -1',
  'x % 3',
  '-7 % 3',
  // jexl gives % and ^ the same precedence, above * and /: 2 * (5 % 3), not (2 * 5) % 3.
  '2 * 5 % 3',
  '10 % 4 ^ 2',
  '2 ^ 10 % 7',
  // ^ is left-associative in jexl: (2 ^ 3) ^ 2.
  '2 ^ 3 ^ 2',
  '2 * 3 ^ 2',
  'x ^ 0.5',
  '2 ^ -1',
  // floor division
  '7 // 2',
  '-7 // 2',
  'x // 2',
  '7.5 // 2',
  '(x - 1) // 3 * 2',
  '1 / 0',
  // comparison, logic and their values (&& and || return an operand, as in JS)
  '1 + 2 == 3',
  '1 < 2 == true',
  '1 > 2 > 0',
  '"10" == 10',
  '"10" != 10',
  'x >= 7 && y <= -2.5',
  'x > 5 || z',
  'z || "default"',
  'z && 1',
  '!flag',
  '!z == true',
  'user.age > 30 && "a" in s || x == 7',
  // strings
  '"a" + "b" + x',
  'x + 1 + "a"',
  '"2" * 3',
  // in, on lists and strings
  '2 in list',
  '5 in list',
  '"2" in list',
  '"fr" in s',
  '"x" in s',
  '"a" in words',
  '"b" in words',
  '"b" in ["a", "b"]',
  // ternaries, nested and the ?: shorthand
  'x > 5 ? "hi" : "lo"',
  'x > 10 ? 1 : y < 0 ? 2 : 3',
  'x > 10 ? 1 : (y > 0 ? 2 : 3)',
  'z ?: 9',
  'x ?: 9',
  // member access, literals, functions and transforms
  'user.age * 2',
  'user["name"]',
  'list[1]',
  'list[0] + list[2]',
  '[1, 2, x]',
  '{a: x}.a',
  'max(1, x, 3) + min(y, 0)',
  'clamp(x, 0, 5)',
  'round(2.5) + round(-2.5)',
  'round(3.14159, 2)',
  'y|abs',
  'floor(y) + ceil(y) + trunc(y)',
  'len(words) + len(s)',
  'str(x) + "!"',
];

describe('compiled expressions match jexl', () => {
  it.each(TABLE)('%s', (text) => {
    const expected = reference.evalSync(text, context);
    const actual = compiled(text);
    if (typeof expected === 'object' && expected !== null) expect(actual).toEqual(expected);
    else expect(Object.is(actual, expected), `${text}: jexl ${String(expected)}, compiled ${String(actual)}`).toBe(true);
  });

  it('follows jexl where JS would differ: % binds tighter than *, ^ is left-associative', () => {
    // Fixed values, so a change in the reference cannot hide a change in the compiler.
    expect(compiled('2 * 5 % 3')).toBe(4);
    expect(compiled('2 ^ 3 ^ 2')).toBe(64);
    expect(compiled('10 % 4 ^ 2')).toBe(4);
  });

  it('// is floor division, also for negative and fractional operands', () => {
    expect(compiled('7 // 2')).toBe(3);
    expect(compiled('-7 // 2')).toBe(-4);
    expect(compiled('7.5 // 2.5')).toBe(3);
    expect(compiled('x // 0')).toBe(Number.POSITIVE_INFINITY);
  });

  it('^ is power', () => {
    expect(compiled('2 ^ 10')).toBe(1024);
    expect(compiled('16 ^ 0.5')).toBe(4);
    expect(compiled('2 ^ -2')).toBe(0.25);
  });

  it('in tests list membership strictly and substrings of strings', () => {
    expect(compiled('3 in list')).toBe(true);
    expect(compiled('"3" in list')).toBe(false);
    expect(compiled('"ra" in s')).toBe(true);
    expect(compiled('"" in s')).toBe(true);
    expect(compiled('"bc" in words')).toBe(true);
    expect(compiled('"b" in words')).toBe(false);
  });

  it('ternaries pick a branch, and ?: falls back only on a falsy test', () => {
    expect(compiled('flag ? 1 : 2')).toBe(1);
    expect(compiled('z ? 1 : 2')).toBe(2);
    expect(compiled('x < 0 ? "neg" : x == 0 ? "zero" : "pos"')).toBe('pos');
    expect(compiled('z ?: "fallback"')).toBe('fallback');
    expect(compiled('s ?: "fallback"')).toBe('fraud');
  });

  it('reads a property of a known name (list length), which jexl would read from the first item', () => {
    // A deliberate difference: jexl maps words.length to words[0].length; scenarios mean the list.
    expect(compiled('words.length')).toBe(2);
    expect(compiled('user.name.length')).toBe(3);
    const r = compileExpression('words.length + user.age', scope());
    expect(r.names.sort()).toEqual(['user.age', 'words']);
  });

  it('knows the constants', () => {
    expect(compiled('PI')).toBe(Math.PI);
    expect(compiled('E')).toBe(Math.E);
    expect(compiled('INFINITY > 1000000000')).toBe(true);
  });
});

describe('problems are located', () => {
  const problems = (text: string) => {
    const r = compileExpression(text, scope());
    expect(r.fn, 'no function when there are problems').toBeUndefined();
    return r.problems.map((p) => ({ code: p.code, offset: p.offset, at: text.slice(p.offset) }));
  };

  it('unknown names, at the name', () => {
    expect(problems('x + score * 2')).toEqual([{ code: 'expr-unknown-identifier', offset: 4, at: 'score * 2' }]);
    expect(problems('x > 1 && usr.age > 3')).toEqual([{ code: 'expr-unknown-identifier', offset: 9, at: 'usr.age > 3' }]);
    const r = compileExpression('x + nope', scope());
    expect(r.problems[0].args).toMatchObject({ name: 'nope', expr: 'x + nope' });
    expect(String(r.problems[0].args.known)).toContain('user.age');
  });

  it('a name is located on its own, not inside a longer dotted name', () => {
    expect(problems('nobody.abc + abc')).toEqual([
      { code: 'expr-unknown-identifier', offset: 0, at: 'nobody.abc + abc' },
      { code: 'expr-unknown-identifier', offset: 13, at: 'abc' },
    ]);
  });

  it('a property of a known name is not a problem (it is read at run time)', () => {
    expect(compileExpression('user.age + user.score', scope()).problems).toEqual([]);
  });

  it('unknown functions, at the function name', () => {
    expect(problems('x + median(list)')).toEqual([{ code: 'expr-unknown-function', offset: 4, at: 'median(list)' }]);
    expect(problems('y | median')).toEqual([{ code: 'expr-unknown-function', offset: 4, at: 'median' }]);
    expect(problems('"max" + mx(1)')).toEqual([{ code: 'expr-unknown-function', offset: 8, at: 'mx(1)' }]);
  });

  it('wrong arity, at the function, with the expected count', () => {
    const r = compileExpression('x + clamp(x, 1)', scope());
    expect(r.problems).toEqual([
      { code: 'expr-arity', offset: 4, args: { name: 'clamp', expected: '3', found: 2, usage: 'clamp(x, lo, hi)' } },
    ]);
    expect(compileExpression('round(x, 1, 2)', scope()).problems[0].args).toMatchObject({ expected: '1 to 2', found: 3 });
    expect(problems('random(1)')).toEqual([{ code: 'expr-arity', offset: 0, at: 'random(1)' }]);
  });

  it('reports every problem of an expression, not only the first', () => {
    expect(problems('foo + bar(1) + abs()').map((p) => p.code)).toEqual([
      'expr-unknown-identifier',
      'expr-unknown-function',
      'expr-arity',
    ]);
  });

  it('syntax errors and empty expressions', () => {
    const bad = compileExpression('x +* 2', scope());
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0].code).toBe('expr-syntax');
    expect(String(bad.problems[0].args.detail)).not.toContain('in expression');
    expect(compileExpression('   ', scope()).problems[0]).toMatchObject({ code: 'expr-syntax', args: { detail: 'empty expression' } });
  });

  it('relative filters are not supported', () => {
    expect(problems('list[.x > 1]').map((p) => p.code)).toEqual(['expr-unsupported']);
  });
});

describe('random functions draw from c.r', () => {
  const run = (text: string, r: () => number) => {
    const result = compileExpression(text, scope());
    expect(result.problems).toEqual([]);
    return { value: result.fn!({ ...context, r } as ExprContext), random: result.random };
  };

  it('marks random expressions, and deterministic ones never touch c.r', () => {
    expect(run('normal(0, 1) + x', rngFor(1, 'expr')).random).toBe(true);
    expect(compileExpression('x * 2 + abs(y)', scope()).random).toBe(false);
    expect(() => compiled('x * 2 + abs(y)', noDraws)).not.toThrow();
  });

  it('the same stream gives the same values, another stream other values', () => {
    const text = 'normal(10, 2) + uniform(0, 1) + poisson(4) + random()';
    const a = Array.from({ length: 5 }, (_, i) => run(text, rngFor(3, 'expr', i)).value);
    const b = Array.from({ length: 5 }, (_, i) => run(text, rngFor(3, 'expr', i)).value);
    const other = Array.from({ length: 5 }, (_, i) => run(text, rngFor(4, 'expr', i)).value);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(5);
    expect(other).not.toEqual(a);
  });

  it('draws exactly what the samplers draw from that stream, in order', () => {
    const mine = rngFor(9, 'expr');
    const value = run('normal(10, 2) + exponential(3) * 100', mine).value;
    const check = rngFor(9, 'expr');
    const first = d.normal(check, 10, 2);
    expect(value).toBe(first + d.exponential(check, 3) * 100);
    // Both streams are now at the same place.
    expect(mine()).toBe(check());
  });

  it('randint, choice and bernoulli stay in their ranges', () => {
    const r = rngFor(5, 'expr-ranges');
    const ints = new Set<unknown>();
    for (let i = 0; i < 2000; i++) {
      ints.add(run('randint(1, 6)', r).value);
      expect(['a', 'bc']).toContain(run('choice(words)', r).value);
      expect(typeof run('bernoulli(0.3)', r).value).toBe('boolean');
    }
    expect([...ints].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

/**
 * Known engine bugs, pinned so that a fix is noticed: each test states what the compiler
 * should do and asserts what it does today. When one fails because the bug is gone, turn it
 * into a real assertion of the right behaviour.
 */
describe('fixed compiler bugs', () => {
  it('`in` on something that is neither list nor string is false, as in jexl', () => {
    expect(reference.evalSync('x in 5', context)).toBe(false);
    expect(compiled('x in 5')).toBe(false);
  });

  it('`a ?: b` evaluates a once, as in jexl', () => {
    let draws = 0;
    const r = () => (++draws, 0.5);
    expect(compiled('random() < 2 ?: 5', r)).toBe(true);
    expect(draws).toBe(1);
    expect(compiled('0 ?: 5')).toBe(5);
  });

  it('an unknown name is located at the name, not inside a string literal with the same text', () => {
    const text = 's == "abc" ? abc : 1';
    const [p] = compileExpression(text, scope()).problems;
    expect(p.code).toBe('expr-unknown-identifier');
    expect(p.offset).toBe(text.lastIndexOf('abc'));
  });
});

describe('known compiler bugs (pinned)', () => {

  it('a boolean index (list[cond]) gives undefined; jexl gives the list when cond is true', () => {
    expect(reference.evalSync('list[1 > 0]', context)).toEqual([1, 2, 3]);
    expect(compiled('list[1 > 0]')).toBeUndefined();
  });

});
