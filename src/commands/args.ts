/** Shared command-line helpers: argument parsing that reports usage errors, not stack traces. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const EXIT = { ok: 0, invalid: 1, usage: 2, interrupted: 130 } as const;

export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function color(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}
