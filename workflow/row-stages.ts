import { RetryableErrorNames } from './error-names.ts';
import { PipelineLambdas, RowStageNames, type RowStageName } from './resource-names.ts';

/**
 * Where a processor in asl/ runs the row stages: `"RowStages": { "Prefix": "Csv", "OnFailure":
 * "CsvBatchFailed" }` on an ItemProcessor. `composeRowStages` replaces it with the stage chain
 * (Validate → Clean → Transform → Enrich → Load, then `Next` or the end) and its dead-letter Task
 * (then `OnFailure`), all named with `Prefix` (state names are unique in a machine).
 */
export interface RowStagesSpec {
  Prefix: string;
  /** The state after LoadRows; none: LoadRows ends the processor. */
  Next?: string;
  /** The state after a failed stage's batch was dead-lettered. */
  OnFailure: string;
}

/** The retrier of every Lambda Task: transient errors only, never States.ALL. */
export const transientRetry = {
  ErrorEquals: [...RetryableErrorNames],
  IntervalSeconds: 2,
  MaxAttempts: 4,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: 'FULL',
} as const;

const capitalised = (stage: string) => `${stage[0]!.toUpperCase()}${stage.slice(1)}`;

/** The name of a row stage's Task under a prefix, e.g. `CsvValidateRows`. */
export const rowStageStateName = (prefix: string, stage: RowStageName): string =>
  `${prefix}${capitalised(stage)}Rows`;

/** The dead-letter Task's name under a prefix. */
export const deadLetterStateName = (prefix: string): string => `${prefix}SendToDeadLetterQueue`;

function stageTask(spec: RowStagesSpec, stage: RowStageName, next: string | undefined) {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Arguments: {
      FunctionName: `\${${PipelineLambdas[stage].arnPlaceholder}}`,
      Payload: '{% $states.input %}',
    },
    Output: '{% $states.result.Payload %}',
    Retry: [transientRetry],
    Catch: [
      {
        ErrorEquals: ['States.ALL'],
        Next: deadLetterStateName(spec.Prefix),
        Assign: {
          failure: `{% {'stage': '${stage}', 'error': $states.errorOutput.Error, 'cause': $states.errorOutput.Cause, 'batch': $states.input} %}`,
        },
      },
    ],
    ...(next === undefined ? { End: true } : { Next: next }),
  };
}

/** The states a RowStages spec stands for, in the order they run. */
export function rowStageStates(spec: RowStagesSpec): Record<string, object> {
  const states: Record<string, object> = {};
  RowStageNames.forEach((stage, i) => {
    const following = RowStageNames[i + 1];
    const next = following === undefined ? spec.Next : rowStageStateName(spec.Prefix, following);
    states[rowStageStateName(spec.Prefix, stage)] = stageTask(spec, stage, next);
  });
  states[deadLetterStateName(spec.Prefix)] = {
    Type: 'Task',
    Comment:
      "The dead-letter function encodes what SQS refuses and keeps a body over the queue's size limit in S3 (functions/dead-letter).",
    Resource: 'arn:aws:states:::lambda:invoke',
    Arguments: {
      FunctionName: `\${${PipelineLambdas.deadLetter.arnPlaceholder}}`,
      Payload:
        "{% {'action': 'send', 'stage': $failure.stage, 'error': $failure.error, 'cause': $failure.cause, 'execution': $states.context.Execution.Id, 'batch': $failure.batch} %}",
    },
    Retry: [transientRetry],
    Next: spec.OnFailure,
  };
  return states;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isSpec(value: unknown): value is RowStagesSpec {
  return (
    isObject(value) &&
    typeof value.Prefix === 'string' &&
    /^[A-Z][A-Za-z0-9]*$/.test(value.Prefix) &&
    typeof value.OnFailure === 'string' &&
    (value.Next === undefined || typeof value.Next === 'string') &&
    Object.keys(value).every((key) => ['Prefix', 'Next', 'OnFailure'].includes(key))
  );
}

/**
 * The definition with every `RowStages` spec replaced by its states (merged into the
 * processor's `States`; a name already there is an error, never silently overwritten).
 */
export function composeRowStages(node: unknown, at = ''): unknown {
  if (Array.isArray(node)) return node.map((item, i) => composeRowStages(item, `${at}[${i}]`));
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'RowStages') out[key] = composeRowStages(value, `${at}/${key}`);
  }
  if ('RowStages' in node) {
    const spec = node.RowStages;
    if (!isSpec(spec))
      throw new Error(
        `${at}: RowStages needs { Prefix (PascalCase), OnFailure, Next? }, got ${JSON.stringify(spec)}`,
      );
    const generated = rowStageStates(spec);
    const own = isObject(out.States) ? out.States : {};
    const clash = Object.keys(generated).filter((name) => name in own);
    if (clash.length) throw new Error(`${at}: RowStages would overwrite ${clash.join(', ')}`);
    out.States = { ...own, ...generated };
  }
  return out;
}
