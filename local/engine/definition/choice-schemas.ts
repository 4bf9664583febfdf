import { z } from 'zod';
import { anyJson, jsonataExpression, jsonObject, jsonPath, text, timestamp } from './field-schemas.ts';

/**
 * Choice rules. JSONPath: a `Variable` with exactly one comparison, or `And` / `Or` / `Not`;
 * only a top-level rule carries `Next`. JSONata: a `Condition`, `true`/`false` or `{% … %}`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */
const bool = z.boolean('Expected value of type [BOOLEAN]');
const num = z.number('Expected value of type [NUMBER]');

const comparisons = {
  StringEquals: text,
  StringLessThan: text,
  StringGreaterThan: text,
  StringLessThanEquals: text,
  StringGreaterThanEquals: text,
  StringMatches: text,
  NumericEquals: num,
  NumericLessThan: num,
  NumericGreaterThan: num,
  NumericLessThanEquals: num,
  NumericGreaterThanEquals: num,
  BooleanEquals: bool,
  TimestampEquals: timestamp,
  TimestampLessThan: timestamp,
  TimestampGreaterThan: timestamp,
  TimestampLessThanEquals: timestamp,
  TimestampGreaterThanEquals: timestamp,
  IsNull: bool,
  IsPresent: bool,
  IsNumeric: bool,
  IsString: bool,
  IsBoolean: bool,
  IsTimestamp: bool,
};
const pathComparisons = Object.fromEntries(
  Object.keys(comparisons)
    .filter(
      (name) =>
        name.startsWith('String') ||
        name.startsWith('Numeric') ||
        name.startsWith('Boolean') ||
        name.startsWith('Timestamp'),
    )
    .filter((name) => name !== 'StringMatches')
    .map((name) => [`${name}Path`, jsonPath]),
);
const comparisonNames = [...Object.keys(comparisons), ...Object.keys(pathComparisons)];
const combinators = ['And', 'Or', 'Not', 'Variable'] as const;

interface Rule {
  [field: string]: unknown;
}

function exactlyOneOperator(rule: Rule, ctx: z.RefinementCtx): void {
  const present = combinators.filter((field) => rule[field] !== undefined);
  if (present.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message:
        present.length > 1
          ? `There should only be one of the following fields: [${present.join(', ')}]`
          : `This object should have only one of the following fields: [${combinators.join(', ')}]`,
    });
    return;
  }
  const compared = comparisonNames.filter((field) => rule[field] !== undefined);
  if (present[0] === 'Variable' ? compared.length !== 1 : compared.length !== 0) {
    ctx.addIssue({
      code: 'custom',
      message:
        present[0] === 'Variable' && compared.length === 0
          ? "A rule with 'Variable' needs one comparison operator"
          : `There should only be one of the following fields: [${[...present, ...compared].join(', ')}]`,
    });
  }
}

const ruleFields = (nested: z.ZodType) => ({
  Variable: jsonPath.optional(),
  And: z.array(nested, 'Expected value of type [ARRAY]').min(1, 'Value cannot be empty').optional(),
  Or: z.array(nested, 'Expected value of type [ARRAY]').min(1, 'Value cannot be empty').optional(),
  Not: nested.optional(),
  ...Object.fromEntries(
    Object.entries({ ...comparisons, ...pathComparisons }).map(([k, v]) => [k, v.optional()]),
  ),
});

// Recursive through z.lazy: each rule is checked once, nested rules included.
const nestedRule: z.ZodType = z.lazy(() =>
  z.strictObject({ ...ruleFields(nestedRule), Comment: text.optional() }).superRefine(exactlyOneOperator),
);

export const jsonPathChoiceRule = z
  .strictObject({
    ...ruleFields(nestedRule),
    Next: text,
    Comment: text.optional(),
    Assign: jsonObject.optional(),
  })
  .superRefine(exactlyOneOperator);

export const jsonataChoiceRule = z.strictObject({
  Condition: z.union([bool, jsonataExpression], 'Expected value of type [BOOLEAN] or a JSONata expression'),
  Next: text,
  Comment: text.optional(),
  Assign: jsonObject.optional(),
  Output: anyJson.optional(),
});
