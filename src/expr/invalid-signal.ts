/**
 * The signal for a value that cannot be written: thrown by functions that would otherwise turn
 * a non-finite number (or no value) into text such as "NaN", and by a time outside the
 * calendar. Whoever consumes the value (an output column, a sampler, a kernel) catches it and
 * reports the expression that produced it (see model/invalid.ts). Not an Error: no stack is
 * captured, since only the value matters.
 */
export class InvalidValueSignal {
  constructor(readonly value: unknown) {}
}

/** True for a number that is NaN or infinite: the one check on the hot path. */
export function nonFinite(v: unknown): boolean {
  return typeof v === 'number' && v - v !== 0;
}

/**
 * A value as text for `str`, `pad` and `+` with a string: lists and maps as JSON, never
 * "NaN", "undefined" or "[object Object]": a value that has no text throws the signal.
 */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' ? v - v !== 0 : v === undefined || v === null) throw new InvalidValueSignal(v);
  if (typeof v !== 'object') return String(v);
  let bad = false;
  const text = JSON.stringify(v, (_k, x) => {
    if (typeof x === 'number' && x - x !== 0) bad = true;
    return x;
  });
  if (bad || text === undefined) throw new InvalidValueSignal(v);
  return text;
}

/** `a + b` when one side is text: both sides must have one. */
export function concat(a: unknown, b: unknown): string {
  return (typeof a === 'string' ? a : textOf(a)) + (typeof b === 'string' ? b : textOf(b));
}
