import { randomUUID } from 'node:crypto';
import { hashAlgorithmNames, hashText } from '../intrinsics/hash.ts';
import { JavaRandom } from '../intrinsics/java-random.ts';

/**
 * The JSONata functions Step Functions adds to the library, the JSONata forms of the intrinsics
 * (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html, "JSONata functions
 * provided by Step Functions"). A thrown error becomes `States.QueryEvaluationError`, as any JSONata
 * error does. As everywhere in JSONata, an undefined argument (a path that matched nothing) gives
 * an undefined result.
 */

// AWS truncates a non-integer where it wants an integer: $range(-1.7, 2, 1) is [-1, 0, 1, 2]
// (measured: https://github.com/floci-io/floci/pull/2676).
const toInteger = (name: string, argument: string, value: unknown): number => {
  if (typeof value !== 'number') throw new Error(`${name}: the ${argument} must be a number`);
  return Math.trunc(value);
};

// Not AWS's limit but the process's: AWS fails such an expression on its evaluation memory limit,
// somewhere between 200,000 and 500,000 items (measured in the pull request above).
const MAX_RANGE_ITEMS = 1_000_000;

function partition(array: unknown, chunkSize: unknown): unknown[][] | undefined {
  if (array === undefined) return undefined;
  if (!Array.isArray(array)) throw new Error('$partition: the first argument must be an array');
  const size = toInteger('$partition', 'chunk size', chunkSize);
  if (size < 1) throw new Error(`$partition: the chunk size must be a positive integer, got ${size}`);
  const chunks: unknown[][] = [];
  for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
  return chunks;
}

function range(start: unknown, end: unknown, step: unknown): number[] {
  const [first, last] = [toInteger('$range', 'start', start), toInteger('$range', 'end', end)];
  const delta = toInteger('$range', 'step', step);
  if (delta === 0) throw new Error('$range: the step must not be 0');
  const count = Math.max(0, Math.floor((last - first) / delta) + 1);
  if (count > MAX_RANGE_ITEMS) throw new Error(`$range: more than ${MAX_RANGE_ITEMS} items`);
  return Array.from({ length: count }, (_, i) => first + i * delta);
}

function hash(value: unknown, algorithm: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error('$hash: the first argument must be a string');
  const digest = typeof algorithm === 'string' ? hashText(value, algorithm) : undefined;
  if (digest === undefined)
    throw new Error(`$hash: the algorithm must be one of ${hashAlgorithmNames.join(', ')}`);
  return digest;
}

/** With a seed, Java's generator: AWS's $random(42) is 0.7275636800328681 (see java-random.ts). */
function random(seed?: unknown): number {
  if (seed === undefined) return Math.random();
  return new JavaRandom(toInteger('$random', 'seed', seed)).nextDouble();
}

function parse(text: unknown): unknown {
  if (text === undefined) return undefined;
  if (typeof text !== 'string') throw new Error('$parse: the argument must be a JSON string');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`$parse: ${(error as Error).message}`, { cause: error });
  }
}

/** AWS has no $eval ("use $parse instead"); calling it fails as calling any non-function does. */
function evalUnavailable(): never {
  throw Object.assign(new Error('Attempted to invoke a non-function'), { code: 'T1006' });
}

/** Bound by name into every evaluation; `random` replaces JSONata's own, which takes no seed. */
export const awsJsonataFunctions = {
  partition,
  range,
  hash,
  random,
  uuid: () => randomUUID(),
  parse,
  eval: evalUnavailable,
} as const;
