/**
 * Checks a parsed scenario against the JSON Schema with ajv, then turns ajv's errors into
 * diagnostics placed at the YAML node they concern. anyOf branches are collapsed into one
 * finding so a user sees the real problem, not every alternative that failed.
 */
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diag } from '../../diagnostics/make.js';
import { loadValidator, type Validator } from '../../schema/standalone.js';
import type { Path, SourceMap } from '../1-parse/index.js';

let validator: Validator | undefined;

// verbose (see standalone.ts): errors carry their parentSchema, which toDiagnostics reads
// for allowed keys, anyOf alternatives and the one-kind rule.
function getValidator(): Validator {
  validator ??= loadValidator();
  return validator;
}

export function checkSchema(value: unknown, map: SourceMap): Diagnostic[] {
  const validate = getValidator();
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => !isPropertyNameDetail(e));
  return toDiagnostics(collapseAnyOf(errors), value, map);
}

/**
 * A bad map key yields two errors: the failed pattern (placed on the map, so it would read
 * "actors is not a valid name") and the propertyNames error naming the key. Keep the latter.
 */
function isPropertyNameDetail(e: ErrorObject): boolean {
  return e.keyword !== 'propertyNames' && e.schemaPath.includes('/propertyNames/');
}

function pathOf(instancePath: string): Path {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function dataAt(value: unknown, path: Path): unknown {
  let v: any = value;
  for (const p of path) v = v == null ? undefined : v[p];
  return v;
}

function collapseAnyOf(errors: ErrorObject[]): ErrorObject[] {
  let out = errors;
  for (const e of errors.filter((x) => x.keyword === 'anyOf')) {
    const branchPrefix = e.schemaPath + '/';
    // Errors inside a `$ref` alternative carry the referenced schema's path, not the anyOf's.
    const refPrefixes = ((e.parentSchema?.anyOf as { $ref?: string }[] | undefined) ?? []).flatMap((b) => (b.$ref ? [b.$ref + '/'] : []));
    const inside = (x: ErrorObject) => x.instancePath === e.instancePath || x.instancePath.startsWith(e.instancePath + '/');
    const isBranch = (x: ErrorObject) =>
      (x.schemaPath.startsWith(branchPrefix) && x.instancePath.startsWith(e.instancePath)) || (refPrefixes.some((r) => x.schemaPath.startsWith(r)) && inside(x));
    // A branch that failed on something other than the value's own type is the one the user
    // meant (e.g. a distribution missing a key, or count: -5 against an integer >= 0): report
    // its errors. When every branch failed on type, report the anyOf as a whole.
    const kept = out.filter((x) => isBranch(x) && !(x.keyword === 'type' && x.instancePath === e.instancePath));
    out = out.filter((x) => x !== e && !isBranch(x));
    out.push(...(kept.length > 0 ? kept : [e]));
  }
  // ajv may report the same finding twice (e.g. through two schema paths): keep one.
  const seen = new Set<string>();
  return out.filter((x) => {
    const key = `${x.instancePath}|${x.keyword}|${JSON.stringify(x.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One anyOf alternative in words, e.g. "an integer" or "an expression". */
function describeBranch(branch: { $ref?: string; type?: string | string[] }): string {
  if (branch.$ref) return branch.$ref.endsWith('/param') ? 'a param mapping' : 'a distribution mapping';
  if (Array.isArray(branch.type)) return branch.type.map((t) => (t === 'string' ? 'a string' : describeBranch({ type: t }))).join(' or ');
  if (branch.type === 'string') return 'an expression';
  return /^[aeiou]/.test(String(branch.type)) ? `an ${branch.type}` : `a ${branch.type}`;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string "${v.length > 40 ? v.slice(0, 40) + '...' : v}"`;
  return `${typeof v} ${String(v)}`;
}

function where(path: Path): string {
  return path.length === 0 ? 'the scenario' : path.join('.');
}

function toDiagnostics(errors: ErrorObject[], value: unknown, map: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const path = pathOf(e.instancePath);
    const place = (p: Path, key = false) => ({ file: map.file, path: p, ...(key ? map.keyAt(p) : map.at(p)) });
    const data = dataAt(value, path);
    const schema = e.parentSchema as Record<string, any> | undefined;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = schema?.properties ? Object.keys(schema.properties).join(', ') : '';
        out.push(diag('schema-unknown-key', place([...path, key], true), { key, where: where(path), allowed }));
        break;
      }
      case 'required': {
        const key = (e.params as { missingProperty: string }).missingProperty;
        out.push(diag('schema-missing-key', place(path, true), { key, where: where(path) }));
        break;
      }
      case 'type':
        out.push(diag('schema-type', place(path), { where: where(path), expected: `${(e.params as any).type}`.replace(',', ' or '), found: describeType(data) }));
        break;
      case 'anyOf': {
        const kinds = (schema?.anyOf as any[] | undefined)?.map(describeBranch) ?? [];
        out.push(diag('schema-type', place(path), { where: where(path), expected: kinds.join(', or '), found: describeType(data) }));
        break;
      }
      case 'minProperties':
      case 'maxProperties':
        if (schema?.maxProperties === 1 && schema?.properties) {
          out.push(diag('schema-one-kind', place(path, true), { where: where(path), allowed: Object.keys(schema.properties).join(', ') }));
        } else {
          out.push(diag('schema-value', place(path), { where: where(path), detail: e.message ?? 'is invalid' }));
        }
        break;
      case 'enum':
        out.push(diag('schema-value', place(path), { where: where(path), detail: `must be one of: ${[...new Set<string>((e.params as any).allowedValues.map(String))].join(', ')}`, hint: `Found ${describeType(data)}.` }));
        break;
      case 'propertyNames': {
        const key = (e.params as { propertyName: string }).propertyName;
        out.push(diag('schema-value', place([...path, key], true), { where: `name "${key}" in ${where(path)}`, detail: 'is not a valid name', hint: 'Names use letters, digits and _, and do not start with a digit.' }));
        break;
      }
      case 'pattern':
        if (path[path.length - 1] === 'file') {
          out.push(diag('schema-value', place(path), { where: where(path), detail: 'must be a relative path that stays inside the output folder', hint: 'Use a plain file name such as sessions.csv; no "..", no leading "/".' }));
        } else if (path.length === 0 || (e.params as any).pattern?.startsWith('^[A-Za-z_]')) {
          out.push(diag('schema-value', place(path), { where: where(path), detail: 'is not a valid name', hint: 'Names use letters, digits, _ and -, and do not start with a digit.' }));
        } else {
          out.push(diag('schema-value', place(path), { where: where(path), detail: `must match ${(e.params as any).pattern}`, hint: `Found ${describeType(data)}.` }));
        }
        break;
      default:
        out.push(diag('schema-value', place(path), { where: where(path), detail: e.message ?? 'is invalid', hint: `Found ${describeType(data)}.` }));
    }
  }
  return out;
}
