import { readFileSync } from 'node:fs';
import { InvalidDefinitionError, parseDefinition } from '../local/engine/definition/parse-definition.ts';
import { datasets } from './datasets/index.ts';
import { ErrorNames, RetryableErrorNames } from './error-names.ts';
import type { FileFormats } from './resource-names.ts';
import { composeRowStages } from './row-stages.ts';

export const pipelineAslPath = new URL('../asl/pipeline.asl.json', import.meta.url);

/**
 * The pipeline's ASL with its `${Placeholders}`: asl/pipeline.asl.json with each processor's
 * `RowStages` replaced by the row stages' states (workflow/row-stages.ts, their one source).
 */
export const readPipelineAsl = (): string =>
  JSON.stringify(composeRowStages(JSON.parse(readFileSync(pipelineAslPath, 'utf8'))), null, 2);

/** Every `${Name}` placeholder of an ASL text. */
export function placeholdersOf(asl: string): string[] {
  return [...new Set([...asl.matchAll(/\$\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((m) => m[1]!))].sort();
}

/**
 * The placeholder values that come from the code, not from deployed resources: the datasets per
 * format, as JSONata arrays of single-quoted names (they sit inside JSON strings).
 */
export function datasetSubstitutions(): Record<string, string> {
  const byFormat = (format: keyof typeof FileFormats) => {
    const names = Object.values(datasets)
      .filter((d) => (d.formats as readonly string[]).includes(format))
      .map((d) => `'${d.name}'`);
    return `[${names.join(', ')}]`;
  };
  return { CsvDatasets: byFormat('csv'), JsonDatasets: byFormat('json'), JsonlDatasets: byFormat('jsonl') };
}

/** Replaces every placeholder; a missing or unused value is an error, never a silent `${X}`. */
export function substitute(asl: string, values: Record<string, string>): string {
  const wanted = placeholdersOf(asl);
  const missing = wanted.filter((name) => values[name] === undefined);
  const unused = Object.keys(values).filter((name) => !wanted.includes(name));
  if (missing.length || unused.length) {
    throw new Error(
      [
        missing.length && `missing values for ${missing.join(', ')}`,
        unused.length && `unused values ${unused.join(', ')}`,
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  return asl.replace(/\$\{([A-Za-z][A-Za-z0-9]*)\}/g, (_, name: string) => values[name]!);
}

const known = new Set<string>([...Object.values(ErrorNames), ...RetryableErrorNames]);

/** Every ErrorEquals name in a definition, with where it is. */
export function errorEqualsOf(node: unknown, path = ''): { name: string; at: string }[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => errorEqualsOf(item, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'ErrorEquals' && Array.isArray(value)
      ? value.map((name) => ({ name: String(name), at: path }))
      : errorEqualsOf(value, `${path}/${key}`),
  );
}

/** Names ErrorEquals may use: `States.*`, a service's `Lambda.*`/`DynamoDB.*`…, or ours. */
export const isKnownErrorName = (name: string): boolean =>
  known.has(name) || /^(States|Lambda|DynamoDB|SQS|SNS|S3)\.[A-Za-z]+$/.test(name);

/**
 * The pipeline definition, ready to deploy: placeholders substituted, validated by the engine's
 * validator (AWS's schema, transitions and reachability) and our checks (known error names).
 */
export function pipelineDefinition(values: Record<string, string>): string {
  const text = substitute(readPipelineAsl(), { ...datasetSubstitutions(), ...values });
  parseDefinition(text);
  const unknown = errorEqualsOf(JSON.parse(text)).filter((e) => !isKnownErrorName(e.name));
  if (unknown.length) {
    throw new InvalidDefinitionError(
      unknown.map((e) => `UNKNOWN_ERROR_NAME: '${e.name}' at ${e.at} is not in workflow/error-names.ts`),
    );
  }
  return text;
}
