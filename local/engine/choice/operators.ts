/** The comparison operators of a Choice rule, as a table: name → test(value, operand). */
type Test = (value: unknown, operand: unknown) => boolean;

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const isTimestamp = (v: unknown): v is string =>
  typeof v === 'string' && rfc3339.test(v) && !Number.isNaN(Date.parse(v));
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const strings =
  (test: (a: string, b: string) => boolean): Test =>
  (a, b) =>
    typeof a === 'string' && typeof b === 'string' && test(a, b);
const numbers =
  (test: (a: number, b: number) => boolean): Test =>
  (a, b) =>
    isNumber(a) && isNumber(b) && test(a, b);
const timestamps =
  (test: (a: number, b: number) => boolean): Test =>
  (a, b) =>
    isTimestamp(a) && isTimestamp(b) && test(Date.parse(a), Date.parse(b));

const patterns = new Map<string, RegExp>();
/** StringMatches: `*` matches anything; `\*` and `\\` are a literal star and backslash. */
function wildcard(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) source += `\\${pattern[++i]}`;
      else if (c === '*') source += '[\\s\\S]*';
      else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    patterns.set(pattern, (regex = new RegExp(`^${source}$`)));
  }
  return regex;
}

const comparisons = {
  StringEquals: strings((a, b) => a === b),
  StringLessThan: strings((a, b) => a < b),
  StringGreaterThan: strings((a, b) => a > b),
  StringLessThanEquals: strings((a, b) => a <= b),
  StringGreaterThanEquals: strings((a, b) => a >= b),
  StringMatches: strings((a, b) => wildcard(b).test(a)),
  NumericEquals: numbers((a, b) => a === b),
  NumericLessThan: numbers((a, b) => a < b),
  NumericGreaterThan: numbers((a, b) => a > b),
  NumericLessThanEquals: numbers((a, b) => a <= b),
  NumericGreaterThanEquals: numbers((a, b) => a >= b),
  BooleanEquals: (a, b) => typeof a === 'boolean' && a === b,
  TimestampEquals: timestamps((a, b) => a === b),
  TimestampLessThan: timestamps((a, b) => a < b),
  TimestampGreaterThan: timestamps((a, b) => a > b),
  TimestampLessThanEquals: timestamps((a, b) => a <= b),
  TimestampGreaterThanEquals: timestamps((a, b) => a >= b),
} satisfies Record<string, Test>;

/** Type tests: the operand is `true` or `false` (e.g. `"IsNull": false`). */
const typeTests = {
  IsNull: (v: unknown) => v === null,
  IsNumeric: (v: unknown) => isNumber(v),
  IsString: (v: unknown) => typeof v === 'string',
  IsBoolean: (v: unknown) => typeof v === 'boolean',
  IsTimestamp: (v: unknown) => isTimestamp(v),
} satisfies Record<string, (v: unknown) => boolean>;

export type ComparisonName = keyof typeof comparisons;
export type TypeTestName = keyof typeof typeTests;

export const comparisonOperators: Readonly<Record<string, Test>> = comparisons;
export const typeTestOperators: Readonly<Record<string, (v: unknown) => boolean>> = typeTests;

/** Every operator key a Choice rule may carry (with the `…Path` forms of comparisons). */
export const operatorKeys: readonly string[] = [
  ...Object.keys(comparisons),
  ...Object.keys(comparisons).map((name) => `${name}Path`),
  ...Object.keys(typeTests),
  'IsPresent',
];
