/**
 * Sample folders: test/samples/kernels/<kernel>/scenario.yaml runs and its outputs equal
 * the files in expected/ byte for byte. Set UPDATE_SAMPLES=1 to rewrite expected/ after a
 * deliberate change (then review the diff).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, ROOT, runToTemp } from '../helpers.js';

const SAMPLES = join(ROOT, 'test', 'samples', 'kernels');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => removeDir(dirname(d))));

describe('kernel samples', () => {
  for (const kernel of readdirSync(SAMPLES)) {
    it(`${kernel} sample writes its expected files`, async () => {
      const { dir, manifest } = await runToTemp(join(SAMPLES, kernel, 'scenario.yaml'));
      dirs.push(dir);
      const expectedDir = join(SAMPLES, kernel, 'expected');
      for (const f of manifest.files) {
        const actual = readFileSync(join(dir, f.file), 'utf8');
        const expectedFile = join(expectedDir, f.file);
        if (process.env.UPDATE_SAMPLES || !existsSync(expectedFile)) {
          mkdirSync(expectedDir, { recursive: true });
          writeFileSync(expectedFile, actual);
        }
        expect(actual, `${kernel}/${f.file}`).toBe(readFileSync(expectedFile, 'utf8'));
      }
    });
  }
});
