/**
 * JSON numbers a JavaScript number cannot hold. `JSON.parse('1e400')` is Infinity, which the
 * JSON between states then writes as null; `1e-400` is 0; `12345678901234567890` comes back as
 * 12345678901234567000. Each would reach a stage as a different value with nothing to say so.
 * The readers keep such a number as its source text (a string) instead, so the value is the
 * file's and a dataset's number parsing can refuse it with a reason. Every other number is the
 * double JSON.parse gives, as before.
 */

const literal = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** The exact decimal a number literal denotes, as `[sign]digits e exponent` with no zeros to spare. */
function exactDecimal(text: string): string | undefined {
  const match = literal.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  let scale = Number(exponent) - fraction.length;
  const trailing = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trailing);
  scale += trailing;
  return digits === '' ? '0' : `${sign}${digits}e${scale}`;
}

/**
 * True when `value` (what JSON.parse made of `text`) is not the number `text` says: it overflowed
 * to ±Infinity, a non-zero underflowed to 0, or beyond ±(2^53 − 1) its digits differ from the
 * text's (which is what the JSON written back would say). Inside ±(2^53 − 1) a double is the
 * usual reading of a JSON number, rounding of long fractions included, and is kept.
 */
export function losesDigits(value: number, text: string): boolean {
  if (!Number.isFinite(value)) return true;
  if (value === 0) return /[1-9]/.test(text.split(/[eE]/)[0]!);
  if (Math.abs(value) <= Number.MAX_SAFE_INTEGER) return false;
  return exactDecimal(text) !== exactDecimal(String(value).replace('e+', 'e'));
}

/** A JSON number literal as an item value: the number, or its text when the number would lose it. */
export function decodeJsonNumber(text: string): number | string {
  const value = Number(text);
  return losesDigits(value, text) ? text : value;
}

/** Context JSON.parse gives a reviver for primitive values (Node 22: JSON.parse source text access). */
interface ReviverContext {
  source?: string;
}

/**
 * A JSON.parse reviver keeping numbers that would lose digits as their source text. The third
 * argument is optional in the type because TypeScript's lib does not know it yet.
 */
export function keepUnfaithfulNumbers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value !== 'number' || context?.source === undefined) return value;
  return losesDigits(value, context.source) ? context.source : value;
}
