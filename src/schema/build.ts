/** `npm run schema`: writes schema/scenario.schema.json from the builder. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildScenarioSchema } from './scenario-schema.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../../schema/scenario.schema.json', import.meta.url));

export function schemaText(): string {
  return JSON.stringify(buildScenarioSchema(), null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${SCHEMA_FILE.replace(process.cwd() + '/', '')}`);
}
