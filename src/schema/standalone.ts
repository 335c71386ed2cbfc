/**
 * Compiling the scenario schema with ajv takes about a second, paid by every command and
 * every worker thread. `npm run build` therefore writes the compiled validator as code
 * (ajv's standalone mode) next to this file, stamped with the schema's hash; at run time
 * it is used only when the stamp matches the schema the engine builds, else ajv compiles.
 */
import type AjvPkg from 'ajv';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildScenarioSchema } from './scenario-schema.js';

const require = createRequire(import.meta.url);
/**
 * ajv itself is loaded only when the validator has to be compiled (or written): worker
 * threads never validate, and loading it cost each of them about 40 ms of start-up.
 */
const ajv = () => require('ajv') as { default: typeof AjvPkg.default };
const standaloneCode = (ajvInstance: unknown, validate: unknown): string => {
  const mod = require('ajv/dist/standalone/index.js') as { default?: (a: unknown, v: unknown) => string };
  return (mod.default ?? (mod as unknown as (a: unknown, v: unknown) => string))(ajvInstance, validate);
};

export type Validator = ((data: unknown) => boolean) & { errors?: import('ajv').ErrorObject[] | null };

const GENERATED = fileURLToPath(new URL('./validator.generated.cjs', import.meta.url));
const OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true } as const;

function schemaHash(): string {
  return createHash('sha256').update(JSON.stringify(buildScenarioSchema())).digest('hex');
}

/** The validator: the pre-compiled one when it is current, else compiled now. */
export function loadValidator(): Validator {
  if (existsSync(GENERATED)) {
    const mod = require(GENERATED) as { hash: string; validate: Validator };
    if (mod.hash === schemaHash()) return mod.validate;
  }
  return new (ajv().default)(OPTIONS).compile(buildScenarioSchema()) as Validator;
}

/** Writes the pre-compiled validator (run by `npm run build`). */
export function writeStandalone(): void {
  const compiler = new (ajv().default)({ ...OPTIONS, code: { source: true } });
  const validate = compiler.compile(buildScenarioSchema());
  const code = standaloneCode(compiler, validate);
  writeFileSync(GENERATED, `${code}\nmodule.exports.hash = ${JSON.stringify(schemaHash())};\nmodule.exports.validate = module.exports;\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeStandalone();
