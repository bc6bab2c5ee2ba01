/**
 * How every text surface (the config panel, the page's URL, the CLI's flags) reads numbers
 * and repeated keys, so that they accept exactly the same input.
 *
 * - A number is plain decimal or scientific notation (`0.1`, `-4`, `1e-3`, `1e+23`): no hex,
 *   octal or binary prefixes, no `Infinity`/`NaN`, no empty text, nothing around it.
 * - A whole number is a number in that grammar whose value is a (safe) integer: `1e3` is 1000.
 * - Numbers are written back with `formatNumber`, whose output the grammar always reads back
 *   to the same value.
 * - A key given more than once: the last value counts (as in most command lines); the URL
 *   says so in a notice.
 */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number `text` spells in the grammar above (surrounding spaces allowed), or null. */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  if (!DECIMAL.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** A whole number in the grammar above, or null (also for integers beyond 2^53). */
export function parseWhole(text: string): number | null {
  const n = parseDecimal(text);
  return n !== null && Number.isSafeInteger(n) ? n : null;
}

/** The text for a finite number that `parseDecimal` reads back exactly. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return Object.is(n, -0) ? '0' : String(n);
}

/** Which of a repeated key's values counts. */
export function chosenOfRepeated<T>(values: readonly T[]): T {
  return values[values.length - 1];
}

/** The words the surfaces use for that choice. */
export const REPEATED_KEY_RULE = 'the last value was used';
