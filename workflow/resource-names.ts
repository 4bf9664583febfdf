/** Names of the pipeline's resources, shared by the CDK stack and the local cloud. */
export const ResourceNames = {
  bucket: 'chute',
  stateMachine: 'chute-pipeline',
  /** The state machine's CloudWatch Logs group: its EXPRESS children keep no history but this log. */
  stateMachineLogGroup: '/aws/vendedlogs/states/chute-pipeline',
  ledgerTable: 'chute-files',
  deadLetterQueue: 'chute-dead-letters',
  topic: 'chute-notifications',
  /** Big files (or every file, when batching is off): one execution each. */
  rule: 'chute-file-uploaded',
  /** Small files: to the buffer queue, which the pipe reads in batches. */
  smallFileRule: 'chute-small-file-uploaded',
  bufferQueue: 'chute-small-files',
  bufferDeadLetterQueue: 'chute-small-files-dead-letters',
  pipe: 'chute-small-files',
  failureRule: 'chute-execution-failed',
} as const;

/**
 * The pipeline's Lambda functions, the one list everything else derives from: the function's
 * name, its handler folder under functions/, the ASL placeholder of its ARN, and whether it is a
 * row stage (a Task of the item processor, named in a rejected row's `stage`).
 */
export const PipelineLambdas = {
  validate: {
    name: 'chute-validate',
    folder: 'validate',
    arnPlaceholder: 'ValidateFunctionArn',
    rowStage: true,
  },
  clean: { name: 'chute-clean', folder: 'clean', arnPlaceholder: 'CleanFunctionArn', rowStage: true },
  transform: {
    name: 'chute-transform',
    folder: 'transform',
    arnPlaceholder: 'TransformFunctionArn',
    rowStage: true,
  },
  enrich: { name: 'chute-enrich', folder: 'enrich', arnPlaceholder: 'EnrichFunctionArn', rowStage: true },
  load: { name: 'chute-load', folder: 'load', arnPlaceholder: 'LoadFunctionArn', rowStage: true },
  notify: { name: 'chute-notify', folder: 'notify', arnPlaceholder: 'NotifyFunctionArn', rowStage: false },
  /** Sends failed batches to the dead-letter queue and clears them once a redrive loaded them. */
  deadLetter: {
    name: 'chute-dead-letter',
    folder: 'dead-letter',
    arnPlaceholder: 'DeadLetterFunctionArn',
    rowStage: false,
  },
} as const;

/**
 * How every pipeline function is configured on AWS: infra deploys it so, the local runner reports
 * its memory to the functions, and `chute cost` prices their GB-seconds by it.
 */
export const PipelineLambdaConfig = { memoryMb: 1024, architecture: 'arm64' } as const;

type Functions = typeof PipelineLambdas;
export type FunctionKey = keyof Functions;
/** The functions the item processor runs on every batch, in order. */
export type RowStageName = {
  [K in FunctionKey]: Functions[K]['rowStage'] extends true ? K : never;
}[FunctionKey];

/** Every function's key, in the order of PipelineLambdas. */
// Object.keys types its result string[]; the keys are exactly those of the const object.
export const functionKeys = Object.keys(PipelineLambdas) as FunctionKey[];

/** The row stages in pipeline order, as a non-empty tuple (what z.enum takes). */
// The filter keeps exactly the keys RowStageName names; TypeScript cannot narrow through it.
export const RowStageNames = functionKeys.filter((key) => PipelineLambdas[key].rowStage) as [
  RowStageName,
  ...RowStageName[],
];

/** The ASL's function-ARN placeholders with their values, given how to find a function's ARN. */
export const functionArnValues = (arnOf: (key: FunctionKey) => string): Record<string, string> =>
  Object.fromEntries(functionKeys.map((key) => [PipelineLambdas[key].arnPlaceholder, arnOf(key)]));

/**
 * Where uploads go, where the Distributed Map writes its results, and where dead letters too big
 * for the queue are kept (the queue holds a pointer).
 */
export const Prefixes = { input: 'input/', results: 'results/', deadLetters: 'dead-letters/' } as const;

/** The file suffixes the pipeline reads, per ItemReader InputType. */
export const FileFormats = { csv: 'CSV', json: 'JSON', jsonl: 'JSONL' } as const;
