/**
 * Every diagnostic the engine can report: one code, one message builder, one hint.
 * Add new findings here, never inline elsewhere, so codes stay unique and documented
 * (docs/diagnostics.md lists them and a test checks that it is complete).
 */
type Args = Record<string, string | number>;

interface Entry {
  message: (a: Args) => string;
  hint: (a: Args) => string;
  severity?: 'error' | 'warning';
}

export const CATALOGUE = {
  'yaml-syntax': {
    message: (a) => `YAML syntax error: ${a.detail}`,
    hint: () => 'Check indentation and quoting near this line; strings containing ": " or "#" need quotes.',
  },
  'file-unreadable': {
    message: (a) => `cannot read ${a.file}: ${a.detail}`,
    hint: () => 'Check the path and that the file is readable.',
  },
  'schema-unknown-key': {
    message: (a) => `unknown key "${a.key}"${a.where ? ` in ${a.where}` : ''}`,
    hint: (a) => (a.allowed ? `Allowed keys here: ${a.allowed}.` : 'Remove it or check its spelling.'),
  },
  'schema-missing-key': {
    message: (a) => `missing required key "${a.key}"${a.where ? ` in ${a.where}` : ''}`,
    hint: (a) => `Add "${a.key}:" here; see the language reference in docs/reference.md.`,
  },
  'schema-type': {
    message: (a) => `${a.where} must be ${a.expected}`,
    hint: (a) => `Found ${a.found}. ${a.extra ?? ''}`.trim(),
  },
  'schema-value': {
    message: (a) => `${a.where} ${a.detail}`,
    hint: (a) => String(a.hint ?? 'See the language reference in docs/reference.md.'),
  },
  'schema-one-kind': {
    message: (a) => `${a.where} must declare exactly one of: ${a.allowed}`,
    hint: () => 'Write a single key naming the kind, e.g. "normal: { mean: 0, sd: 1 }".',
  },
  'matrix-shape': {
    message: (a) => `matrix "${a.matrix}" row "${a.row}" has ${a.found} entries, expected ${a.expected} (one per state of "${a.states}")`,
    hint: (a) => `States, in order: ${a.order}.`,
  },
  'matrix-missing-row': {
    message: (a) => `matrix "${a.matrix}" has no row for state "${a.row}"`,
    hint: () => 'Every state of the list needs a row, even an absorbing one (e.g. end: [0, 1, 0, ...] or a return to start).',
  },
  'matrix-unknown-row': {
    message: (a) => `matrix "${a.matrix}" has a row for "${a.row}", which is not a state of "${a.states}"`,
    hint: (a) => `States: ${a.order}.`,
  },
  'matrix-row-sum': {
    message: (a) => `matrix "${a.matrix}" row "${a.row}" sums to ${a.sum}, not 1`,
    hint: () => 'Each row is a probability distribution over the next state; make it sum to 1 (within 1e-9).',
  },
  'probability-range': {
    message: (a) => `${a.where} is ${a.value}, outside [0, 1]`,
    hint: () => 'Probabilities must lie between 0 and 1.',
  },
  'weights-invalid': {
    message: (a) => `${a.where}: ${a.detail}`,
    hint: () => 'Give one non-negative weight per value, not all zero.',
  },
  'markov-trap': {
    message: (a) => `with matrix "${a.matrix}", state(s) ${a.states} can be reached from "${a.start}" but never reach "${a.end}"`,
    hint: () => 'Sessions entering these states would never end; give each a path to the end state.',
  },
  'markov-end-unreachable': {
    message: (a) => `with matrix "${a.matrix}", "${a.end}" cannot be reached from "${a.start}"`,
    hint: () => 'Add a transition path from the start state to the end state.',
  },
  'ref-unknown': {
    message: (a) => `${a.what} "${a.name}" is not declared`,
    hint: (a) => (a.known ? `Declared ${a.what}s: ${a.known}.` : `Declare it first.`),
  },
  'ref-mismatch': {
    message: (a) => `${a.detail}`,
    hint: (a) => String(a.hint),
  },
  'expr-syntax': {
    message: (a) => `expression "${a.expr}" does not parse: ${a.detail}`,
    hint: () => 'Expressions are jexl: a.b, f(x), x ? y : z, && ||, == !=, + - * / % ^; see docs/expressions.md.',
  },
  'expr-unknown-identifier': {
    message: (a) => `unknown name "${a.name}" in expression "${a.expr}"`,
    hint: (a) => `Names available here: ${a.known}.`,
  },
  'expr-unknown-function': {
    message: (a) => `unknown function "${a.name}" in expression "${a.expr}"`,
    hint: () => 'See the function table in docs/expressions.md.',
  },
  'expr-arity': {
    message: (a) => `function ${a.name}() takes ${a.expected} argument(s), got ${a.found}`,
    hint: (a) => `Usage: ${a.usage}.`,
  },
  'expr-unsupported': {
    message: (a) => `${a.detail} in expression "${a.expr}"`,
    hint: () => 'See docs/expressions.md for what expressions may contain.',
  },
  'expr-runtime': {
    message: (a) => `expression "${a.expr}" gave ${a.value}${a.context ? ` (${a.context})` : ''}`,
    hint: (a) => String(a.hint ?? 'Guard the expression (e.g. max(x, 0)) or fix its inputs.'),
  },
  'count-cycle': {
    message: (a) => `actor counts depend on each other in a cycle: ${a.cycle}`,
    hint: () => 'Give at least one actor in the cycle a count that does not depend on the others.',
  },
  'count-invalid': {
    message: (a) => `count of "${a.actor}" evaluates to ${a.value}`,
    hint: () => 'A count must be a finite number >= 0; it is rounded down to an integer.',
  },
  'attribute-order': {
    message: (a) => `attribute "${a.name}" is used before it is defined`,
    hint: () => 'Attributes are drawn in the order written; move it above the one that uses it.',
  },
  'set-invalid': {
    message: (a) => `--set ${a.arg}: ${a.detail}`,
    hint: () => 'Use --set path.to.key=value, e.g. --set actors.users.count=2000 or --set seed=7.',
  },
  'compose-missing': {
    message: (a) => `cannot read ${a.what} "${a.target}": ${a.detail}`,
    hint: () => 'Paths in `extends:` and `include:` are relative to the file that names them.',
  },
  'compose-cycle': {
    message: (a) => `${a.what} cycle: ${a.chain}`,
    hint: () => 'A file cannot extend or include itself, directly or through other files; remove one link of the chain.',
  },
  'compose-duplicate': {
    message: (a) => `${a.section} "${a.name}" is defined in both ${a.first} and ${a.second}`,
    hint: () => 'Included files only add names: rename one of them, or use `extends:` when the point is to replace a definition.',
  },
  'compose-invalid': {
    message: (a) => `${a.where} ${a.detail}`,
    hint: (a) => String(a.hint ?? 'See docs/scenarios-as-code.md for `extends:` and `include:`.'),
  },
  'param-unknown': {
    message: (a) => `unknown param "${a.name}" (${a.source})`,
    hint: (a) => (a.known ? `Declared params: ${a.known}.` : 'The scenario declares no params; add a `params:` block first.'),
  },
  'param-type': {
    message: (a) => `param "${a.name}" must be ${a.expected}, got ${a.found}${a.source ? ` (${a.source})` : ''}`,
    hint: (a) => String(a.hint ?? 'Give a value of the declared type.'),
  },
  'param-range': {
    message: (a) => `param "${a.name}" is ${a.value}, ${a.detail}${a.source ? ` (${a.source})` : ''}`,
    hint: (a) => String(a.hint ?? 'Give a value within the declared bounds.'),
  },
  'params-file-invalid': {
    message: (a) => `--params ${a.file}: ${a.detail}`,
    hint: () => 'A params file is a YAML map of name: value, e.g. "users: 2000".',
  },
  'run-limit': {
    message: (a) => `${a.detail}`,
    hint: (a) => String(a.hint),
  },
  'run-failed': {
    message: (a) => `process "${a.process}" failed${a.unit ? ` on ${a.unit}` : ''}: ${a.detail}`,
    hint: () => 'An expression of this process may have read a missing value (check the names it reads); if none explains it, this is an engine bug: please report it with the scenario.',
  },
  'plan-size': {
    message: (a) => `${a.detail}`,
    hint: (a) => String(a.hint),
    severity: 'warning',
  },
} satisfies Record<string, Entry>;

export type DiagnosticCode = keyof typeof CATALOGUE;
