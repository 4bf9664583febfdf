import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { formatTemplate } from './format-template.ts';
import { hashAlgorithmNames, hashText } from './hash.ts';
import { JavaRandom } from './java-random.ts';

type ArgType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'any';

/** An intrinsic's contract as data: its argument types (a trailing `rest` repeats) and its body. */
interface IntrinsicFunction {
  args: ArgType[];
  /** Minimum number of arguments when some are optional or repeated. */
  min?: number;
  rest?: ArgType;
  run(args: unknown[]): unknown;
}

const failure = (message: string) => new StatesError(StatesErrorNames.IntrinsicFailure, message);

// AWS's documented limits (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
const MAX_ARRAY_RANGE = 1000;
const MAX_HASH_INPUT = 10_000;
const MAX_BASE64_ENCODE_INPUT = 10_000;
const MAX_BASE64_DECODE_INPUT = 10_000;
// MathAdd takes Java ints. Where AWS takes an integer it rounds any other number to the nearest
// one, halves up (-2.5 → -2, 2.5 → 3: Java's Math.round, which Math.round matches), as recorded on
// AWS: https://github.com/localstack/localstack/blob/main/tests/aws/services/stepfunctions/v2/intrinsic_functions/test_math_operations.snapshot.json
const MIN_INT = -2_147_483_648;
const MAX_INT = 2_147_483_647;

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

function matches(value: unknown, type: ArgType): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'integer':
      return Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeOf(value) === 'object';
    default:
      return typeof value === type;
  }
}

export const intrinsicFunctions: Record<string, IntrinsicFunction> = {
  'States.Format': { args: ['string'], rest: 'any', run: ([t, ...v]) => formatTemplate(t as string, v) },
  'States.StringToJson': {
    args: ['string'],
    run: ([text]) => {
      try {
        return JSON.parse(text as string);
      } catch {
        throw failure(`States.StringToJson: '${String(text)}' is not valid JSON`);
      }
    },
  },
  'States.JsonToString': { args: ['any'], run: ([value]) => JSON.stringify(value) },
  'States.Array': { args: [], rest: 'any', run: (values) => values },
  'States.ArrayPartition': {
    args: ['array', 'number'],
    run: ([array, chunkSize]) => {
      const size = Math.round(chunkSize as number);
      if (size <= 0) throw failure('States.ArrayPartition: the chunk size must be a positive integer');
      const items = array as unknown[];
      const chunks: unknown[][] = [];
      for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
      return chunks;
    },
  },
  'States.ArrayContains': {
    args: ['array', 'any'],
    run: ([array, value]) => (array as unknown[]).some((item) => isDeepStrictEqual(item, value)),
  },
  'States.ArrayRange': {
    args: ['number', 'number', 'number'],
    run: (bounds) => {
      const [a, b, s] = bounds.map((n) => Math.round(n as number)) as [number, number, number];
      if (s === 0) throw failure('States.ArrayRange: the step must not be 0');
      const count = Math.max(0, Math.floor((b - a) / s) + 1);
      if (count > MAX_ARRAY_RANGE) throw failure(`States.ArrayRange: at most ${MAX_ARRAY_RANGE} items`);
      return Array.from({ length: count }, (_, i) => a + i * s);
    },
  },
  'States.ArrayGetItem': {
    args: ['array', 'integer'],
    run: ([array, index]) => {
      const items = array as unknown[];
      if ((index as number) < 0 || (index as number) >= items.length) {
        throw failure(`States.ArrayGetItem: index ${String(index)} is out of bounds`);
      }
      return items[index as number];
    },
  },
  'States.ArrayLength': { args: ['array'], run: ([array]) => (array as unknown[]).length },
  'States.ArrayUnique': {
    args: ['array'],
    run: ([array]) =>
      (array as unknown[]).filter(
        (item, i, all) => all.findIndex((other) => isDeepStrictEqual(other, item)) === i,
      ),
  },
  'States.Base64Encode': {
    args: ['string'],
    run: ([text]) => {
      if ((text as string).length > MAX_BASE64_ENCODE_INPUT) {
        throw failure(`States.Base64Encode: the input is longer than ${MAX_BASE64_ENCODE_INPUT} characters`);
      }
      return Buffer.from(text as string, 'utf8').toString('base64');
    },
  },
  'States.Base64Decode': {
    args: ['string'],
    run: ([text]) => {
      if ((text as string).length > MAX_BASE64_DECODE_INPUT) {
        throw failure(`States.Base64Decode: the input is longer than ${MAX_BASE64_DECODE_INPUT} characters`);
      }
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text as string))
        throw failure('States.Base64Decode: the input is not base64');
      return Buffer.from(text as string, 'base64').toString('utf8');
    },
  },
  'States.Hash': {
    args: ['any', 'string'],
    run: ([data, algorithm]) => {
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      if (text.length > MAX_HASH_INPUT)
        throw failure(`States.Hash: the input is longer than ${MAX_HASH_INPUT} characters`);
      const digest = hashText(text, algorithm as string);
      if (digest === undefined)
        throw failure(
          `States.Hash: unknown algorithm '${String(algorithm)}'; use one of ${hashAlgorithmNames.join(', ')}`,
        );
      return digest;
    },
  },
  'States.JsonMerge': {
    args: ['object', 'object', 'boolean'],
    run: ([a, b, deep]) => {
      if (deep) throw failure('States.JsonMerge: only shallow merge (false) is supported');
      return { ...(a as object), ...(b as object) };
    },
  },
  'States.MathRandom': {
    args: ['number', 'number', 'number'],
    min: 2,
    run: ([start, end, seed]) => {
      const [a, b] = [Math.round(start as number), Math.round(end as number)];
      if (b <= a) throw failure('States.MathRandom: the end must be greater than the start');
      // Seeded: Java's generator, as $random(seed) is on AWS (see java-random.ts).
      if (seed !== undefined) return a + new JavaRandom(Math.round(seed as number)).nextInt(b - a);
      return a + Math.floor(Math.random() * (b - a));
    },
  },
  'States.MathAdd': {
    args: ['number', 'number'],
    run: (operands) => {
      const [a, b] = operands.map((n) => Math.round(n as number)) as [number, number];
      if ([a, b].some((n) => n < MIN_INT || n > MAX_INT))
        throw failure(`States.MathAdd: the arguments must be integers from ${MIN_INT} to ${MAX_INT}`);
      return a + b;
    },
  },
  'States.StringSplit': {
    args: ['string', 'string'],
    run: ([text, delimiters]) => {
      const set = new Set(delimiters as string);
      const parts: string[] = [];
      let current = '';
      for (const c of text as string) {
        if (set.has(c)) {
          if (current) parts.push(current);
          current = '';
        } else current += c;
      }
      if (current) parts.push(current);
      return parts;
    },
  },
  'States.UUID': { args: [], run: () => randomUUID() },
};

/** Checks the arguments against the function's declared types, then runs it. */
export function callIntrinsic(name: string, args: unknown[]): unknown {
  const fn = intrinsicFunctions[name];
  if (!fn) throw failure(`Unknown intrinsic function ${name}`);
  const min = fn.min ?? fn.args.length;
  const max = fn.rest ? Infinity : fn.args.length;
  if (args.length < min || args.length > max) {
    const expected = fn.rest ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
    throw failure(`${name} takes ${expected} argument(s), got ${args.length}`);
  }
  args.forEach((arg, i) => {
    const type = fn.args[i] ?? fn.rest!;
    if (!matches(arg, type)) throw failure(`${name}: argument ${i + 1} must be ${type}, got ${typeOf(arg)}`);
  });
  return fn.run(args);
}
