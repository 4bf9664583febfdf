// Chute's pipeline starts an execution with EventBridge's S3 "Object Created" event (or, through
// Pipes, a batch of them); a Map Run child gets its file in BatchInput. Other machines: nothing.

type Json = Record<string, unknown> | undefined;

const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Json)?.[key], value);

function fileOfValue(value: unknown): string | undefined {
  const bucket = at(value, 'detail', 'bucket', 'name') ?? at(value, 'BatchInput', 'file', 'bucket');
  const key = at(value, 'detail', 'object', 'key') ?? at(value, 'BatchInput', 'file', 'key');
  return typeof bucket === 'string' && typeof key === 'string' ? `s3://${bucket}/${key}` : undefined;
}

/** The file an execution of the pipeline is for, read from its input; undefined for others. */
export function fileOf(input: string | undefined): string | undefined {
  if (!input) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(input);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return fileOfValue(value);
  const files = value.map(fileOfValue).filter((file): file is string => file !== undefined);
  if (files.length <= 1) return files[0];
  return `${files[0]} and ${files.length - 1} more`;
}
