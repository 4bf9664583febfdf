/**
 * Value normalisers the dataset clean rules share. Each returns the clean value or a reason
 * string for the rejects table; none throws, because a bad value is data, not an error.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (reason: string): Parsed<never> => ({ ok: false, reason });

/** Trims and collapses runs of whitespace (including non-breaking spaces) into one space. */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u2000-\u200b\u3000\ufeff]+/gu, ' ').trim();
}

/** True for `undefined`, `null` and strings that are blank after trimming. */
export function isBlank(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === 'string' && collapseWhitespace(value) === '')
  );
}

// 1234 · 1,234 · 1,234.50 · -0.5 · 1e3 (not 1,23 or 12,34,567: a comma must group thousands).
const decimalPattern = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?$|^[+-]?\.\d+$/;

/** Parses a number written as a JSON number or as text with optional thousands separators. */
export function parseDecimal(value: unknown, field: string): Parsed<number> {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? ok(value) : fail(`${field}: ${value} is not a finite number`);
  }
  if (typeof value !== 'string') return fail(`${field}: expected a number, got ${typeof value}`);
  const text = collapseWhitespace(value).replace(/^\+/, '');
  if (!decimalPattern.test(text)) return fail(`${field}: '${value}' is not a number`);
  const number = Number(text.replaceAll(',', ''));
  // 1e400 overflows to Infinity and 1e-400 underflows to 0: neither is what the file said.
  const underflow = number === 0 && /[1-9]/.test(text.split(/e/i)[0]!);
  return Number.isFinite(number) && !underflow ? ok(number) : fail(`${field}: '${value}' is out of range`);
}

/** A decimal that must also lie within [min, max], and be whole when `integer` is set. */
export function parseBoundedNumber(
  value: unknown,
  field: string,
  bounds: { min: number; max: number; integer?: boolean },
): Parsed<number> {
  const parsed = parseDecimal(value, field);
  if (!parsed.ok) return parsed;
  const n = parsed.value;
  if (bounds.integer && !Number.isInteger(n)) return fail(`${field}: ${n} is not a whole number`);
  if (n < bounds.min || n > bounds.max) {
    return fail(`${field}: ${n} is outside the allowed range ${bounds.min}..${bounds.max}`);
  }
  return ok(n);
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthNumber(name: string): number | undefined {
  const index = months.indexOf(name.slice(0, 3).toLowerCase());
  return index < 0 ? undefined : index + 1;
}

function calendarDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real && year >= 1900 && year <= 2200 ? date.toISOString().slice(0, 10) : undefined;
}

/** Date formats we accept, tried in order; each returns [year, month, day] or undefined. */
const dateFormats: ((text: string) => [number, number, number] | 'ambiguous' | undefined)[] = [
  // 2024-01-31, 2024/01/31, 2024.01.31
  (t) => {
    const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
  },
  // 31.01.2024 is day-first by convention wherever dots are used.
  (t) => {
    const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
    return m ? [Number(m[3]), Number(m[2]), Number(m[1])] : undefined;
  },
  // 31/01/2024 or 01/31/2024: decided by whichever part cannot be a month; refused when both can.
  (t) => {
    const m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(t);
    if (!m) return undefined;
    const [a, b, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (a > 12 && b <= 12) return [year, b, a];
    if (b > 12 && a <= 12) return [year, a, b];
    if (a === b) return [year, a, b];
    return 'ambiguous';
  },
  // Jan 31 2024, January 31, 2024
  (t) => {
    const m = /^([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/i.exec(t);
    const month = m ? monthNumber(m[1]!) : undefined;
    return m && month ? [Number(m[3]), month, Number(m[2])] : undefined;
  },
  // 31 Jan 2024, 31 January 2024
  (t) => {
    const m = /^(\d{1,2}) ([a-z]{3,9})\.?,? (\d{4})$/i.exec(t);
    const month = m ? monthNumber(m[2]!) : undefined;
    return m && month ? [Number(m[3]), month, Number(m[1])] : undefined;
  },
];

/**
 * Parses a calendar date to `YYYY-MM-DD`. Slash dates are read day-first or month-first only when
 * one part is over 12; `03/04/2024` is refused as ambiguous rather than guessed.
 */
export function parseDate(value: unknown, field: string): Parsed<string> {
  if (typeof value !== 'string') return fail(`${field}: expected a date, got ${typeof value}`);
  const text = collapseWhitespace(value);
  const timestamp = parseTimestamp(text, field);
  if (timestamp.ok && /[T ]\d/.test(text)) return ok(timestamp.value.slice(0, 10));
  for (const format of dateFormats) {
    const parts = format(text);
    if (parts === 'ambiguous') return fail(`${field}: '${value}' is ambiguous (day/month order unknown)`);
    if (parts) {
      const date = calendarDate(...parts);
      return date ? ok(date) : fail(`${field}: '${value}' is not a real date`);
    }
  }
  return fail(`${field}: '${value}' is not a date in a known format`);
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an instant to ISO 8601 UTC: ISO/RFC 3339 text (no zone means UTC), or epoch seconds
 * (10 digits) or milliseconds (13 digits) as a number or digit string.
 */
export function parseTimestamp(value: unknown, field: string): Parsed<string> {
  let millis: number | undefined;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d{10}(\d{3})?$/.test(value.trim()))) {
    const n = Number(value);
    millis = n >= 1e12 ? n : n * 1000;
  } else if (typeof value === 'string') {
    const text = collapseWhitespace(value);
    if (!isoTimestamp.test(text)) return fail(`${field}: '${value}' is not an ISO 8601 timestamp`);
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
    millis = Date.parse(zoned.replace(' ', 'T'));
  } else {
    return fail(`${field}: expected a timestamp, got ${typeof value}`);
  }
  const date = new Date(millis);
  const year = date.getUTCFullYear();
  // Written as a positive range test so an invalid Date (year NaN) fails it too.
  if (!(year >= 1970 && year <= 2200)) {
    return fail(`${field}: '${String(value)}' is not a plausible timestamp`);
  }
  return ok(date.toISOString());
}
