/**
 * Compiles a jexl expression once into a plain JS function. jexl parses; we walk its AST and
 * emit JS source over a whitelisted function table, so evaluation costs a function call
 * (about 12 ns) instead of jexl's evaluator (about 2.4 us). Names are resolved at compile
 * time by a Scope, which decides what each name becomes in the generated code (a typed-array
 * lookup, a context field, a constant), so unknown names are compile errors, not runtime ones.
 */
import jexlPkg from 'jexl';
import { CONSTANTS, FUNCTIONS } from './functions.js';
import { concat } from './invalid-signal.js';

const jexl = new jexlPkg.Jexl();
for (const name of Object.keys(FUNCTIONS)) {
  jexl.addFunction(name, () => undefined);
  jexl.addTransform(name, () => undefined);
}

/** What names mean where an expression is written. */
export interface Scope {
  /** JS code for a dotted name (e.g. "actor.role"), or undefined if the name is unknown. */
  resolve(name: string): string | undefined;
  /** Names shown in the "did you mean" hint. */
  known(): string[];
  /** Objects the generated code refers to as B[i]. */
  bindings: unknown[];
}

/** Context passed to every compiled expression: `r` is the entity's random stream. */
export interface ExprContext {
  r: () => number;
  [field: string]: unknown;
}

export type Compiled = (c: ExprContext) => any;

export interface ExprProblem {
  code: 'expr-syntax' | 'expr-unknown-identifier' | 'expr-unknown-function' | 'expr-arity' | 'expr-unsupported';
  args: Record<string, string | number>;
  /** Offset inside the expression text where the problem is, when known. */
  offset: number;
}

export interface CompileResult {
  fn?: Compiled;
  /** The generated JS, for `scenario plan --json` and debugging. */
  js?: string;
  /** Dotted names the expression reads (used for dependency order). */
  names: string[];
  /** True when the expression calls a random function. */
  random: boolean;
  problems: ExprProblem[];
  ast?: Ast;
  /**
   * For `fixed(x, digits)` with literal digits 0..20 and no random draw: x alone, so that a
   * writer can format the number straight into its buffer (sinks/fixed-decimal.ts) and fall
   * back to `fn` when x is not a finite number.
   */
  fixed?: { fn: Compiled; digits: number };
}

type Ast = { type: string; [k: string]: any };

/** Parses only: the AST, or a syntax problem. */
export function parseExpression(text: string): { ast?: Ast; problem?: ExprProblem } {
  // jexl's parser takes time quadratic in the nesting (10,000 brackets or 5,000 chained ?:
  // take half a minute): expressions past these bounds are refused before parsing.
  const tooLarge = sizeProblem(text);
  if (tooLarge) return { problem: { code: 'expr-syntax', args: { expr: text, detail: tooLarge }, offset: 0 } };
  try {
    const ast = (jexl.compile(text) as unknown as { _getAst(): Ast })._getAst();
    if (!ast) return { problem: { code: 'expr-syntax', args: { expr: text, detail: 'empty expression' }, offset: 0 } };
    return { ast };
  } catch (e) {
    const detail = e instanceof RangeError ? TOO_DEEP : (e as Error).message.replace(/ in expression: .*$/s, '');
    return { problem: { code: 'expr-syntax', args: { expr: text, detail }, offset: 0 } };
  }
}

const TOO_DEEP = 'it is nested too deeply';

/** Bounds on an expression's size; real ones stay far below them. */
const MAX_LENGTH = 10_000;
const MAX_DEPTH = 64;
const MAX_CONDITIONALS = 256;

/** Why an expression is too large to parse, if it is: its length, bracket depth or number of ?:. */
function sizeProblem(text: string): string | undefined {
  if (text.length > MAX_LENGTH) return `it is ${text.length} characters long, more than ${MAX_LENGTH}`;
  let depth = 0;
  let max = 0;
  let conditionals = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === '?') conditionals++;
  }
  if (max > MAX_DEPTH) return `it nests ${max} levels of brackets, more than ${MAX_DEPTH}`;
  if (conditionals > MAX_CONDITIONALS) return `it has ${conditionals} conditionals (?:), more than ${MAX_CONDITIONALS}`;
  return undefined;
}

/** Compiles `text` in `scope`. On problems, `fn` is undefined and `problems` says why. */
export function compileExpression(text: string, scope: Scope): CompileResult {
  try {
    return compileParsed(text, scope);
  } catch (e) {
    // Parsing, code generation and the JS compiler recurse once per level: thousands of nested
    // parentheses or dotted parts overflow the stack. Any other error is a bug: let it through.
    if (!(e instanceof RangeError)) throw e;
    return { names: [], random: false, problems: [{ code: 'expr-syntax', args: { expr: text, detail: TOO_DEEP }, offset: 0 }] };
  }
}

function compileParsed(text: string, scope: Scope): CompileResult {
  const { ast, problem } = parseExpression(text);
  if (!ast) return { names: [], random: false, problems: [problem!] };
  const state = { problems: [] as ExprProblem[], names: new Set<string>(), random: false };
  const js = emit(ast, text, scope, state);
  const result: CompileResult = { names: [...state.names], random: state.random, problems: state.problems, ast };
  if (state.problems.length > 0) return result;
  result.fn = toFunction(js, scope.bindings);
  result.js = js;
  const digits = fixedDigits(ast);
  if (digits !== undefined && !state.random) result.fixed = { fn: toFunction(emit(ast.args[0], text, scope, state), scope.bindings), digits };
  return result;
}

/**
 * The compiled `js` of an expression (CompileResult.js) as a function of the named arguments
 * instead of a context `c` alone: a score of (price, distance) called once per candidate
 * takes them as arguments, not as fields written on the context before each call.
 */
export function functionOf(js: string, args: string[], bindings: unknown[]): (...a: any[]) => any {
  // eslint-disable-next-line no-new-func -- this is the compiler: the source is built from a parsed AST only.
  const make = new Function('F', 'B', `"use strict"; return function expr(${args.join(', ')}) { return ${js}; };`);
  return make(FUNCTION_IMPLS, bindings);
}

function toFunction(js: string, bindings: unknown[]): Compiled {
  // eslint-disable-next-line no-new-func -- this is the compiler: the source is built from a parsed AST only.
  const make = new Function('F', 'B', `"use strict"; return function expr(c) { return ${js}; };`);
  return make(FUNCTION_IMPLS, bindings) as Compiled;
}

/** The digits of `fixed(x, digits)` when they are a literal integer 0..20 (where 10^digits is exact). */
function fixedDigits(ast: Ast): number | undefined {
  if (ast.type !== 'FunctionCall' || ast.name !== 'fixed' || ast.args.length !== 2) return undefined;
  const d = ast.args[1];
  return d.type === 'Literal' && Number.isInteger(d.value) && d.value >= 0 && d.value <= 20 ? d.value : undefined;
}

const FUNCTION_IMPLS: Record<string, (...a: any[]) => unknown> = {
  ...Object.fromEntries(Object.entries(FUNCTIONS).map(([k, v]) => [k, v.impl])),
  __cat: concat,
  __in: (x: unknown, list: unknown) => (Array.isArray(list) || typeof list === 'string' ? list.includes(x as never) : false),
};

const BINARY: Record<string, (a: string, b: string) => string> = {
  '+': (a, b) => `(${a} + ${b})`,
  '-': (a, b) => `(${a} - ${b})`,
  '*': (a, b) => `(${a} * ${b})`,
  '/': (a, b) => `(${a} / ${b})`,
  '//': (a, b) => `Math.floor(${a} / ${b})`,
  '%': (a, b) => `(${a} % ${b})`,
  '^': (a, b) => `Math.pow(${a}, ${b})`,
  '==': (a, b) => `(${a} == ${b})`,
  '!=': (a, b) => `(${a} != ${b})`,
  '>': (a, b) => `(${a} > ${b})`,
  '>=': (a, b) => `(${a} >= ${b})`,
  '<': (a, b) => `(${a} < ${b})`,
  '<=': (a, b) => `(${a} <= ${b})`,
  '&&': (a, b) => `(${a} && ${b})`,
  '||': (a, b) => `(${a} || ${b})`,
  // jexl: membership in a list or a substring; anything else is simply not "in".
  in: (a, b) => `F.__in(${a}, ${b})`,
};

function dotted(node: Ast): string | undefined {
  if (node.type !== 'Identifier') return undefined;
  if (!node.from) return node.value;
  const base = dotted(node.from);
  return base === undefined ? undefined : `${base}.${node.value}`;
}

/** A string literal, or a call that returns text: `+` with it builds text. */
function isText(node: Ast): boolean {
  return (node.type === 'Literal' && typeof node.value === 'string') || (node.type === 'FunctionCall' && ['str', 'fixed', 'pad'].includes(node.name));
}

function offsetOf(text: string, name: string): number {
  // Blank out string literals (same length) so a name is never found inside one.
  const code = text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, (s) => ' '.repeat(s.length));
  // A scan, not a RegExp built from the name: a name of 100,000 characters makes a RegExp too large.
  const word = (i: number) => i >= 0 && i < code.length && /[\w.]/.test(code[i]);
  for (let at = code.indexOf(name); at >= 0; at = code.indexOf(name, at + 1)) {
    if (!word(at - 1) && !(word(at + name.length) && code[at + name.length] !== '.')) return at;
  }
  return 0;
}

function emit(node: Ast, text: string, scope: Scope, st: { problems: ExprProblem[]; names: Set<string>; random: boolean }): string {
  const sub = (n: Ast) => emit(n, text, scope, st);
  switch (node.type) {
    case 'Literal':
      return JSON.stringify(node.value);
    case 'Identifier': {
      const name = dotted(node);
      if (name === undefined) return `(${sub(node.from)})[${JSON.stringify(node.value)}]`;
      if (name in CONSTANTS) return String(CONSTANTS[name].value);
      const code = scope.resolve(name);
      if (code !== undefined) {
        st.names.add(name);
        return code;
      }
      // A known prefix followed by a property (e.g. session.path.length) reads the property.
      const parts = name.split('.');
      for (let i = parts.length - 1; i >= 1; i--) {
        const prefix = parts.slice(0, i).join('.');
        const base = scope.resolve(prefix);
        if (base !== undefined) {
          st.names.add(prefix);
          return `(${base})${parts.slice(i).map((p) => `[${JSON.stringify(p)}]`).join('')}`;
        }
      }
      st.problems.push({
        code: 'expr-unknown-identifier',
        args: { name, expr: text, known: scope.known().join(', ') || '(none)' },
        offset: offsetOf(text, name),
      });
      return 'undefined';
    }
    case 'UnaryExpression':
      return `(!${sub(node.right)})`;
    case 'BinaryExpression': {
      const op = BINARY[node.operator];
      if (!op) {
        st.problems.push({ code: 'expr-unsupported', args: { detail: `operator ${node.operator}`, expr: text }, offset: 0 });
        return 'undefined';
      }
      // Text built with + must not read "NaN" or "undefined": a side that has no text is an invalid value.
      if (node.operator === '+' && (isText(node.left) || isText(node.right))) return `F.__cat(${sub(node.left)}, ${sub(node.right)})`;
      return op(sub(node.left), sub(node.right));
    }
    case 'ConditionalExpression': {
      const test = sub(node.test);
      // `a ?: b` is jexl's "a if truthy, else b": JS `||`, which evaluates a once.
      if (!node.consequent) return `(${test} || ${sub(node.alternate)})`;
      return `(${test} ? ${sub(node.consequent)} : ${sub(node.alternate)})`;
    }
    case 'ArrayLiteral':
      return `[${(node.value as Ast[]).map(sub).join(', ')}]`;
    case 'ObjectLiteral':
      return `({${Object.entries(node.value as Record<string, Ast>).map(([k, v]) => `${JSON.stringify(k)}: ${sub(v)}`).join(', ')}})`;
    case 'FilterExpression':
      if (node.relative) {
        st.problems.push({ code: 'expr-unsupported', args: { detail: 'relative filters like list[.x > 1]', expr: text }, offset: 0 });
        return 'undefined';
      }
      return `(${sub(node.subject)})[${sub(node.expr)}]`;
    case 'FunctionCall': {
      const def = FUNCTIONS[node.name];
      if (!def) {
        st.problems.push({ code: 'expr-unknown-function', args: { name: node.name, expr: text }, offset: offsetOf(text, node.name) });
        return 'undefined';
      }
      const args = (node.args as Ast[]).map(sub);
      if (args.length < def.arity[0] || args.length > def.arity[1]) {
        const expected = def.arity[0] === def.arity[1] ? `${def.arity[0]}` : `${def.arity[0]} to ${def.arity[1]}`;
        st.problems.push({ code: 'expr-arity', args: { name: node.name, expected, found: args.length, usage: def.usage }, offset: offsetOf(text, node.name) });
      }
      if (def.random) st.random = true;
      return `F.${node.name}(${def.random ? ['c.r', ...args].join(', ') : args.join(', ')})`;
    }
    default:
      st.problems.push({ code: 'expr-unsupported', args: { detail: `${node.type}`, expr: text }, offset: 0 });
      return 'undefined';
  }
}

/** A scope from a fixed table of names to code, with shared bindings. */
export function tableScope(table: Record<string, string>, bindings: unknown[] = []): Scope {
  return {
    resolve: (name) => (Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined),
    known: () => Object.keys(table),
    bindings,
  };
}

/** Literal results an expression can return (leaves of ?: chains); used to check matrix names. */
export function resultLiterals(ast: Ast | undefined): unknown[] {
  if (!ast) return [];
  if (ast.type === 'Literal') return [ast.value];
  if (ast.type === 'ConditionalExpression') {
    return [...resultLiterals(ast.consequent), ...resultLiterals(ast.alternate)];
  }
  return [];
}
