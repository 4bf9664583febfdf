/**
 * Values a row may hold that PostgreSQL cannot store, or that are no longer what the file said.
 * PostgreSQL text (and so json → text and jsonb) refuses U+0000 (SQLSTATE 22P05 / 22021) and
 * lone UTF-16 surrogates (22P02); U+FFFD is what a decoder leaves where the bytes were not valid
 * UTF-8; a number that is not finite has lost the digits the file had. validate rejects such
 * rows with {@link findUnstorable}'s reasons; load stores the raw record of a reject through
 * {@link escapeUnstorable}, so the rejects table can hold whatever a file contains.
 */

const NUL = '\u0000';
const REPLACEMENT = '\ufffd';

// With the u flag a surrogate pair is one code point, so a surrogate range matches lone ones only.
const loneSurrogate = /[\ud800-\udfff]/u;
// eslint-disable-next-line no-control-regex -- NUL is what this looks for
const unstorableCharacter = /[\u0000\ud800-\udfff]/gu;
// One scan for the common case of a clean string.
// eslint-disable-next-line no-control-regex -- NUL is what this looks for
const suspicious = /[\u0000\ud800-\udfff\ufffd]/u;

const hex = (character: string): string =>
  character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/** The problems of one string, as the end of a reason ("contains …"), none when it is storable. */
function textProblems(text: string): string[] {
  if (!suspicious.test(text)) return [];
  const problems: string[] = [];
  if (text.includes(NUL)) problems.push('contains a NUL character (U+0000), which PostgreSQL cannot store');
  const lone = loneSurrogate.exec(text)?.[0];
  if (lone) {
    problems.push(`contains a lone UTF-16 surrogate (U+${hex(lone)}), which is not a Unicode character`);
  }
  if (text.includes(REPLACEMENT)) {
    problems.push(
      'contains U+FFFD: the file has bytes that are not valid UTF-8 (is it UTF-16, compressed or binary?)',
    );
  }
  return problems;
}

// A JSON number that overflowed reaches a Lambda as ±Infinity (the runtime's JSON.parse), and the
// JSON between stages would carry it on as null. (The local readers keep such a number as its
// text; whether a large but finite number is plausible is the dataset's business.)
function numberProblem(value: number): string | undefined {
  return Number.isFinite(value) ? undefined : `${value} is not a finite number`;
}

/** True when every string (and field name) of `value` is storable and every number finite. */
function isStorable(value: unknown): boolean {
  if (typeof value === 'string') return !suspicious.test(value);
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(isStorable);
  // A plain loop without copies: this runs for every field of every row of every file.
  for (const key in value) {
    if (suspicious.test(key) || !isStorable((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * Reasons why `value` (a raw record, any JSON value) cannot be loaded faithfully, one per field
 * and problem, each starting with the field's path as the rejects table groups them; empty when
 * every string is storable text and every number finite. A field name that is not storable is
 * reported once per object (a UTF-16 file makes every name so), and its value not looked at.
 */
export function findUnstorable(value: unknown, path = 'record'): string[] {
  if (isStorable(value)) return [];
  if (typeof value === 'string') return textProblems(value).map((problem) => `${path}: ${problem}`);
  if (typeof value === 'number') {
    const problem = numberProblem(value);
    return problem ? [`${path}: ${problem}`] : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  const reasons = new Set<string>();
  const prefix = path === 'record' ? '' : `${path}.`;
  const entries = Array.isArray(value)
    ? value.map((item, i) => [String(i), item] as const)
    : Object.entries(value);
  for (const [key, item] of entries) {
    const nameProblems = textProblems(key);
    for (const problem of nameProblems) reasons.add(`${prefix}field names: one ${problem}`);
    if (nameProblems.length > 0) continue;
    for (const reason of findUnstorable(item, `${prefix}${key}`)) reasons.add(reason);
  }
  return [...reasons];
}

/** `text` with NUL and lone surrogates written as the six characters `\uXXXX`; other text unchanged. */
export function escapeUnstorableText(text: string): string {
  return text.includes(NUL) || loneSurrogate.test(text)
    ? text.replace(unstorableCharacter, (character) => `\\u${hex(character).toLowerCase()}`)
    : text;
}

/**
 * A copy of `value` that PostgreSQL can store as jsonb or text: NUL and lone surrogates in strings
 * and field names become the text `\u0000`, `\ud83d` (as JSON would escape them), and a number
 * that JSON cannot carry (±Infinity, NaN) its text, where JSON.stringify would write null.
 */
export function escapeUnstorable(value: unknown): unknown {
  if (typeof value === 'string') return escapeUnstorableText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(escapeUnstorable);
  // fromEntries defines own properties: a field called __proto__ stays a field.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [escapeUnstorableText(key), escapeUnstorable(item)]),
  );
}
