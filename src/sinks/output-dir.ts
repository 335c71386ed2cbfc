/**
 * Atomic output folders: a run writes into a hidden sibling folder and renames it into place
 * only when every file and the manifest are complete, so an interrupted or failed run never
 * leaves something that looks finished.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export class OutputDirError extends Error {}

export class OutputDir {
  readonly final: string;
  readonly temp: string;
  private done = false;

  constructor(out: string, private readonly force: boolean) {
    this.final = resolve(out);
    this.temp = join(dirname(this.final), `.${basename(this.final)}.partial-${process.pid}`);
  }

  /** Creates the temporary folder; refuses to replace existing output without `force`. */
  open(): void {
    if (existsSync(this.final) && !this.force) {
      const empty = readdirSync(this.final).length === 0;
      if (!empty) throw new OutputDirError(`${this.final} already exists; use --force to replace it or --out to write elsewhere`);
    }
    mkdirSync(dirname(this.final), { recursive: true });
    rmSync(this.temp, { recursive: true, force: true });
    mkdirSync(this.temp);
  }

  /** Path of a file inside the temporary folder (names were checked to stay inside). */
  file(name: string): string {
    const p = resolve(this.temp, name);
    if (!p.startsWith(this.temp + '/')) throw new OutputDirError(`output file ${name} would escape the output folder`);
    mkdirSync(dirname(p), { recursive: true });
    return p;
  }

  /** Moves the finished folder into place (replacing old output only now, with --force). */
  commit(): void {
    if (existsSync(this.final)) {
      const old = `${this.temp}-old`;
      renameSync(this.final, old);
      renameSync(this.temp, this.final);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(this.temp, this.final);
    }
    this.done = true;
  }

  /** Removes the temporary folder after a failure; safe to call twice. */
  discard(): void {
    if (!this.done) rmSync(this.temp, { recursive: true, force: true });
  }
}
