/**
 * Hostile edits of a valid scenario, as fast-check arbitraries. A case is a list of one or
 * two edits, each either on the parsed value (delete a key, change a type, swap a number for
 * a string or an expression, perturb probabilities and matrix rows, rename a reference, inject
 * a huge or negative count, nest deeply, write a very long string) or on the YAML text (delete,
 * duplicate or re-indent a line, insert characters or YAML tokens, truncate).
 *
 * An edit is drawn as plain numbers (which op, which node, which variant) and resolved against
 * the value when applied, so any draw applies to any scenario and fast-check can shrink it.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

/** Operations on the parsed value. */
export const VALUE_OPS = ['hostile-value', 'delete', 'retype', 'to-string', 'expression', 'perturb-number', 'perturb-list', 'rename-ref', 'rename-key', 'huge-count', 'deep-nest', 'long-string', 'on-invalid', 'limits'] as const;
/** Operations on the YAML text. */
export const TEXT_OPS = ['delete-line', 'duplicate-line', 'swap-lines', 'indent', 'insert-chars', 'insert-token', 'truncate', 'deep-nest-text'] as const;

export type Op = (typeof VALUE_OPS)[number] | (typeof TEXT_OPS)[number];

export interface Edit {
  op: Op;
  /** Which node (value ops) or position (text ops), reduced modulo the choices. */
  at: number;
  /** Which variant of the op. */
  variant: number;
  /** A generated expression, for ops that write one. */
  expr: string;
}

export interface MutatedCase {
  text: string;
  /** Paths the edits touched (the shrinking overrides leave them alone). */
  touched: string[];
  /** One line per edit, for failure messages. */
  described: string[];
}

type Path = (string | number)[];

/** Replacement values of every type. */
const TYPE_POOL: unknown[] = [null, true, false, 0, -1, 1.5, '', 'text', [], {}, [1, 2], { a: 1 }, [[]], '0', 'true', '- x', 'a: b'];

/** Expressions that produce division by zero, overflow, NaN, unknown names or bad syntax. */
const EXPRESSION_POOL = [
  '1/0', '0/0', '-1/0', '1e308 * 10', 'log(0)', 'sqrt(-1)', 'pow(10, 400)', 'exp(1000)', 'nope', 'actor.nope', 'day / 0', 'index / 0',
  'random() < 0.5 ? 1/0 : 1', "'x' + nope", 'str(0/0)', 'fixed(1/0, 2)', 'choice([])', 'len(5)', 'max()', '(((1', '1 +', 'count.nope',
  'INFINITY', '0 - INFINITY', 'normal(0, 0/0)', 'poisson(0/0)', 'poisson(INFINITY)', 'gamma(-1e9, 1)', 'gamma(0/0, 1)', 'exponential(-1)',
  'geometric(0)', '[1, 2, 3]', '{a: 1}', 'a.b.c.d.e', '1e400', '"str"', 'num("abc")', 'randint(5, 1)', 'pad(0/0, 3)', 'str([1, {a: 2}])',
];

/** Expressions that compile wherever a number does but give NaN, Infinity or a bad value at run time. */
const RUNTIME_POOL = [
  '1/0', '0/0', '-1/0', 'log(0)', 'sqrt(-1)', 'pow(10, 400)', 'exp(1000)', '1e308 * 10', 'INFINITY', 'str(0/0)', 'fixed(1/0, 2)',
  'num("abc")', 'poisson(0/0)', 'poisson(1e300)', 'gamma(0/0, 1)', 'gamma(-1e9, 1)', 'geometric(0)', 'exponential(-1)', 'normal(0, 0/0)',
  'random() < 0.5 ? 0/0 : 1', 'choice([])', 'len(5)', '[1, 0/0]', "'id' + str(1/0)", 'pad(0/0, 4)', 'randint(0, 1e300)',
];

const NUMBER_POOL = [0, -1, -0.5, 1e-320, 1e308, -1e308, 2 ** 53 + 1, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e12, 3e9, 0.999999999, 1.0000001];
const HUGE_POOL = [1e12, 3e9, 2 ** 31, 1e7, -5, -1e9, 1e308, 0];
const TOKENS = [': ', '- ', '&a ', '*a', '*nope', '!!binary ', '!!js/function ', '{', '}', '[', ']', '"', "'", ' #', '---\n', '...\n', '%YAML 1.2\n', '<<: *a\n', '\t', '? ', '|\n', '>-\n', '\u0000', '\uFEFF', '\r', '\u2028'];
const COUNTISH = new Set(['count', 'per_day', 'days', 'max_steps', 'D', 'T', 'batch_days', 'initial_friendships', 'purchase_rate', 'befriend_rate', 'unfriend_rate', 'mean', 'p', 'share', 'per_link', 'repeats', 'layers', 'width', 'size', 'length', 'weight', 'every', 'seed', 'decimals', 'max_rows', 'max_bytes', 'max_members']);

/** Arbitrary of a small jexl expression over `names` (possibly wrong: bad arity, unknown names). */
export function expressionArb(names: string[]): fc.Arbitrary<string> {
  const atom = fc.oneof(
    fc.constantFrom('0', '1', '-1', '0.5', '1e308', '2', '1e-320', 'INFINITY', 'PI', "'a'", "''", 'day', 'index', 'nope', 'actor.nope'),
    fc.constantFrom(...(names.length > 0 ? names : ['x'])),
  );
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%', '^', '//', '==', '<', '&&', '||'), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
      fc
        .tuple(fc.constantFrom('log', 'sqrt', 'exp', 'pow', 'min', 'max', 'str', 'fixed', 'num', 'poisson', 'gamma', 'normal', 'geometric', 'randint', 'choice', 'len', 'floor', 'round', 'pad'), fc.array(tie('expr'), { maxLength: 3 }))
        .map(([f, args]) => `${f}(${args.join(', ')})`),
    ),
  }));
  return fc.oneof(fc.constantFrom(...EXPRESSION_POOL), expr);
}

/** Arbitrary of one to three edits. */
export function editsArb(names: string[]): fc.Arbitrary<Edit[]> {
  // Most edits keep the scenario valid enough to run, so run-time faults are reached too.
  const edit = fc.record({
    op: fc.oneof(
      { weight: 5, arbitrary: fc.constant<Op>('hostile-value') },
      { weight: 2, arbitrary: fc.constantFrom<Op>('huge-count', 'perturb-number', 'perturb-list', 'on-invalid') },
      { weight: 3, arbitrary: fc.constantFrom<Op>(...VALUE_OPS) },
      { weight: 2, arbitrary: fc.constantFrom<Op>(...TEXT_OPS) },
    ),
    at: fc.nat(),
    variant: fc.nat(),
    expr: expressionArb(names),
  });
  return fc.array(edit, { minLength: 1, maxLength: 2 });
}

/** Dotted names used in the scenario's expressions, for generated expressions. */
export function namesIn(value: unknown): string[] {
  const out = new Set<string>();
  walk(value, [], (v) => {
    if (typeof v === 'string') for (const m of v.matchAll(/\b[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+/g)) out.add(m[0]);
  });
  return [...out].slice(0, 40);
}

/** Applies the edits to a scenario; value edits first, then text edits on the result's YAML. */
export function applyEdits(original: unknown, originalText: string, edits: Edit[]): MutatedCase {
  let value = structuredClone(original);
  const touched: string[] = [];
  const described: string[] = [];
  const valueEdits = edits.filter((e) => (VALUE_OPS as readonly string[]).includes(e.op));
  for (const e of valueEdits) {
    const r = applyValueEdit(value, e);
    value = r.value;
    if (r.path.length > 0) touched.push(r.path.join('.'));
    described.push(`${e.op} at ${r.path.join('.') || '(root)'}${r.note ? `: ${r.note}` : ''}`);
  }
  let text = valueEdits.length > 0 ? stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }) : originalText;
  for (const e of edits.filter((x) => (TEXT_OPS as readonly string[]).includes(x.op))) {
    const r = applyTextEdit(text, e);
    text = r.text;
    described.push(`${e.op}: ${r.note}`);
  }
  return { text, touched, described };
}

function walk(v: unknown, path: Path, visit: (v: unknown, path: Path) => void): void {
  visit(v, path);
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], visit));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k], visit);
}

function allPaths(v: unknown, keep: (x: unknown, p: Path) => boolean = () => true): Path[] {
  const out: Path[] = [];
  walk(v, [], (x, p) => {
    if (p.length > 0 && keep(x, p)) out.push(p);
  });
  return out;
}

function get(v: unknown, path: Path): unknown {
  let x: any = v;
  for (const k of path) x = x?.[k];
  return x;
}

function set(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent: any = get(root, path.slice(0, -1));
  parent[path[path.length - 1]] = value;
  return root;
}

function remove(root: unknown, path: Path): void {
  const parent: any = get(root, path.slice(0, -1));
  const k = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(k as number, 1);
  else delete parent[k];
}

function pick<T>(xs: T[], n: number): T | undefined {
  return xs.length === 0 ? undefined : xs[n % xs.length];
}

function nested(depth: number, list: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = list ? [v] : { a: v };
  return v;
}

function applyValueEdit(value: unknown, e: Edit): { value: unknown; path: Path; note?: string } {
  const isMap = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
  const anyPath = pick(allPaths(value), e.at) ?? [];
  switch (e.op) {
    case 'delete':
      if (anyPath.length > 0) remove(value, anyPath);
      return { value, path: anyPath };
    case 'retype': {
      const v = TYPE_POOL[e.variant % TYPE_POOL.length];
      return { value: set(value, anyPath, structuredClone(v)), path: anyPath, note: JSON.stringify(v) };
    }
    case 'to-string': {
      const path = pick(allPaths(value, (x) => typeof x === 'number' || typeof x === 'string'), e.at) ?? anyPath;
      const old = get(value, path);
      const v = typeof old === 'number' ? String(old) : typeof old === 'string' && /^\d/.test(old) ? Number.parseFloat(old) : e.variant % 2 ? 12 : '12';
      return { value: set(value, path, v), path, note: JSON.stringify(v) };
    }
    case 'hostile-value': {
      // A number or expression where the scenario computes values (attributes, processes,
      // columns) becomes one that compiles but misbehaves at run time.
      const semantic = (p: Path) => ['actors', 'processes', 'outputs'].includes(String(p[0])) && !['description', 'file', 'from', 'format', 'actor', 'states', 'start', 'end', 'label', 'rows', 'preamble', 'pad', 'matrix', 'delimiter'].includes(String(p[p.length - 1]));
      const path = pick(allPaths(value, (x, p) => (typeof x === 'number' || typeof x === 'string') && semantic(p)), e.at);
      if (!path) return { value, path: [] };
      const old = get(value, path);
      const variants = [...RUNTIME_POOL, `(${old}) / 0`, `(${old}) * 1e308 * 10`, `(${old}) - (${old}) / 0`, `0 * (${old}) / 0`];
      const v = variants[e.variant % variants.length];
      return { value: set(value, path, v), path, note: v };
    }
    case 'expression': {
      const path = pick(allPaths(value, (x) => typeof x === 'number' || typeof x === 'string'), e.at) ?? anyPath;
      return { value: set(value, path, e.expr), path, note: e.expr };
    }
    case 'perturb-number': {
      const path = pick(allPaths(value, (x) => typeof x === 'number'), e.at);
      if (!path) return { value, path: [] };
      const old = get(value, path) as number;
      const options = [-old, old * 1e9, old + 0.5, old * 1.0001, ...NUMBER_POOL];
      const v = options[e.variant % options.length];
      return { value: set(value, path, v), path, note: String(v) };
    }
    case 'perturb-list': {
      const path = pick(allPaths(value, (x) => Array.isArray(x) && x.length > 0 && x.every((y) => typeof y === 'number')), e.at);
      if (!path) return { value, path: [] };
      const row = [...(get(value, path) as number[])];
      const i = e.variant % row.length;
      const kinds = ['shuffle', 'append', 'drop', 'scale', 'negate', 'zeros', 'nan', 'huge'];
      const kind = kinds[Math.floor(e.variant / row.length) % kinds.length];
      if (kind === 'shuffle') row.reverse();
      else if (kind === 'append') row.push(0.5);
      else if (kind === 'drop') row.splice(i, 1);
      else if (kind === 'scale') row[i] *= 3;
      else if (kind === 'negate') row[i] = -row[i] - 0.1;
      else if (kind === 'zeros') row.fill(0);
      else if (kind === 'nan') row[i] = Number.NaN;
      else row[i] = 1e308;
      return { value: set(value, path, row), path, note: `${kind} ${i}` };
    }
    case 'rename-ref': {
      // A string that names a key somewhere (an actor, a state list, a matrix, a process).
      const keys = new Set<string>();
      walk(value, [], (x) => isMap(x) && Object.keys(x).forEach((k) => keys.add(k)));
      const path = pick(allPaths(value, (x) => typeof x === 'string' && keys.has(x)), e.at);
      if (!path) return { value, path: [] };
      const choices = [...keys, 'nope', 'Users', ''];
      const v = choices[e.variant % choices.length];
      return { value: set(value, path, v), path, note: v };
    }
    case 'rename-key': {
      const path = pick(allPaths(value, (_x, p) => typeof p[p.length - 1] === 'string' && p.length >= 2), e.at);
      if (!path) return { value, path: [] };
      const parent = get(value, path.slice(0, -1)) as Record<string, unknown>;
      const old = path[path.length - 1] as string;
      const names = [`${old}2`, old.toUpperCase(), '1bad', 'has space', '__proto__', 'constructor', 'x'.repeat(300)];
      const name = names[e.variant % names.length];
      const entries = Object.entries(parent).map(([k, v]) => [k === old ? name : k, v] as const);
      for (const k of Object.keys(parent)) delete parent[k];
      for (const [k, v] of entries) Object.defineProperty(parent, k, { value: v, enumerable: true, writable: true, configurable: true });
      return { value, path, note: `-> ${name}` };
    }
    case 'huge-count': {
      const path = pick(allPaths(value, (_x, p) => COUNTISH.has(String(p[p.length - 1]))), e.at);
      if (!path) return { value, path: [] };
      const v = HUGE_POOL[e.variant % HUGE_POOL.length];
      return { value: set(value, path, v), path, note: String(v) };
    }
    case 'deep-nest': {
      // Deeper nesting than this is written as text (deep-nest-text): the YAML writer recurses too.
      const depth = [20, 100, 400][e.variant % 3];
      return { value: set(value, anyPath, nested(depth, e.variant % 8 >= 4)), path: anyPath, note: `depth ${depth}` };
    }
    case 'long-string': {
      const path = pick(allPaths(value, (x) => typeof x === 'string'), e.at) ?? anyPath;
      const length = [1000, 100_000, 1_000_000][e.variant % 3];
      const old = String(get(value, path) ?? 'x');
      const v = old.repeat(Math.ceil(length / Math.max(1, old.length))).slice(0, length);
      return { value: set(value, path, v), path, note: `${length} chars` };
    }
    case 'on-invalid': {
      if (!isMap(value)) return { value, path: [] };
      const v = ['warn', 'null', 'error', 'ignore', 3][e.variant % 5];
      value.on_invalid = v;
      return { value, path: ['on_invalid'], note: String(v) };
    }
    case 'limits': {
      if (!isMap(value)) return { value, path: [] };
      const v = [{ max_rows: 0 }, { max_rows: 10 }, { max_bytes: 100 }, { max_rows: -1 }, 'none', { max_rows: 1e30 }, { nope: 1 }][e.variant % 7];
      value.limits = v;
      // Only the keys written count as touched: the tiny run's other caps still apply.
      const key = typeof v === 'object' ? Object.keys(v)[0] : undefined;
      return { value, path: key ? ['limits', key] : ['limits'], note: JSON.stringify(v) };
    }
    default:
      return { value, path: [] };
  }
}

function applyTextEdit(text: string, e: Edit): { text: string; note: string } {
  const lines = text.split('\n');
  const i = e.at % Math.max(1, lines.length);
  switch (e.op) {
    case 'delete-line':
      lines.splice(i, 1);
      return { text: lines.join('\n'), note: `line ${i + 1}` };
    case 'duplicate-line':
      lines.splice(i, 0, lines[i]);
      return { text: lines.join('\n'), note: `line ${i + 1}` };
    case 'swap-lines': {
      const j = e.variant % lines.length;
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return { text: lines.join('\n'), note: `lines ${i + 1} and ${j + 1}` };
    }
    case 'indent': {
      const d = (e.variant % 9) - 4;
      lines[i] = d >= 0 ? ' '.repeat(d) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-d}}`), '');
      return { text: lines.join('\n'), note: `line ${i + 1} by ${d}` };
    }
    case 'insert-chars': {
      const at = e.variant % (text.length + 1);
      const chars = String.fromCodePoint(...[e.at % 0x2fff, (e.at >> 3) % 128, (e.variant >> 2) % 0x10ffff].map((c) => (c >= 0xd800 && c <= 0xdfff ? 0x41 : c)));
      return { text: text.slice(0, at) + chars + text.slice(at), note: `${JSON.stringify(chars)} at ${at}` };
    }
    case 'insert-token': {
      const at = e.variant % (text.length + 1);
      const token = TOKENS[e.at % TOKENS.length];
      return { text: text.slice(0, at) + token + text.slice(at), note: `${JSON.stringify(token)} at ${at}` };
    }
    case 'truncate': {
      const at = e.variant % (text.length + 1);
      return { text: text.slice(0, at), note: `at ${at}` };
    }
    case 'deep-nest-text': {
      // Thousands of levels, as flow brackets after the line or as block maps below it.
      const depth = [500, 3000, 10000][e.variant % 3];
      const indent = /^ */.exec(lines[i])![0].length;
      const nest =
        e.variant % 2 === 0
          ? [`${lines[i]} ${'['.repeat(depth)}${']'.repeat(depth)}`]
          : [lines[i], ...Array.from({ length: depth }, (_, k) => `${' '.repeat(indent + 2 + k)}k${k}:`), `${' '.repeat(indent + 2 + depth)}v: 1`];
      lines.splice(i, 1, ...nest);
      return { text: lines.join('\n'), note: `${depth} levels at line ${i + 1}` };
    }
    default:
      return { text, note: '' };
  }
}
