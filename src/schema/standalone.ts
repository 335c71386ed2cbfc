/**
 * Compiling the scenario schema with ajv takes about a second, paid by every command and
 * every worker thread. `npm run build` therefore writes the compiled validator as code
 * (ajv's standalone mode) next to this file, stamped with the schema's hash; at run time
 * it is used only when the stamp matches the schema the engine builds, else ajv compiles.
 */
import AjvPkg from 'ajv';
import standalonePkg from 'ajv/dist/standalone/index.js';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildScenarioSchema } from './scenario-schema.js';

const Ajv = AjvPkg as unknown as typeof AjvPkg.default;
const standaloneCode = (standalonePkg as unknown as { default: (ajv: unknown, v: unknown) => string }).default ?? standalonePkg;

export type Validator = ((data: unknown) => boolean) & { errors?: import('ajv').ErrorObject[] | null };

const GENERATED = fileURLToPath(new URL('./validator.generated.cjs', import.meta.url));
const OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true } as const;

function schemaHash(): string {
  return createHash('sha256').update(JSON.stringify(buildScenarioSchema())).digest('hex');
}

/** The validator: the pre-compiled one when it is current, else compiled now. */
export function loadValidator(): Validator {
  if (existsSync(GENERATED)) {
    const mod = createRequire(import.meta.url)(GENERATED) as { hash: string; validate: Validator };
    if (mod.hash === schemaHash()) return mod.validate;
  }
  return new Ajv(OPTIONS).compile(buildScenarioSchema()) as Validator;
}

/** Writes the pre-compiled validator (run by `npm run build`). */
export function writeStandalone(): void {
  const ajv = new Ajv({ ...OPTIONS, code: { source: true } });
  const validate = ajv.compile(buildScenarioSchema());
  const code = standaloneCode(ajv, validate) as string;
  writeFileSync(GENERATED, `${code}\nmodule.exports.hash = ${JSON.stringify(schemaHash())};\nmodule.exports.validate = module.exports;\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeStandalone();
