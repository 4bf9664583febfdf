import { StatesError, StatesErrorNames } from '../errors.ts';

const failure = (message: string) => new StatesError(StatesErrorNames.IntrinsicFailure, message);

/**
 * A value as States.Format interpolates it. AWS prints objects and arrays the way Java prints a
 * Map and a List (`{Arg1=1, Arg2=[]}`, `[x, 2]`), strings bare, other values as JSON
 * (recorded on AWS: https://github.com/localstack/localstack/blob/main/tests/aws/services/stepfunctions/v2/intrinsic_functions/test_generic.snapshot.json).
 */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${key}=${render(item)}`);
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(value);
}

/**
 * States.Format: each `{}` takes the next value; `\{` and `\}` are literal braces. There must be as
 * many values as placeholders (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
 */
export function formatTemplate(template: string, values: unknown[]): string {
  let next = 0;
  const text = template.replace(/\\\{|\\\}|\{\}/g, (token) => {
    if (token !== '{}') return token.slice(1);
    if (next >= values.length) throw failure('States.Format has more placeholders than arguments');
    return render(values[next++]);
  });
  if (next !== values.length) throw failure('States.Format has more arguments than placeholders');
  return text;
}
