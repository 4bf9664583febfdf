/** Names of the pipeline's resources, shared by the CDK stack and the local cloud. */
export const ResourceNames = {
  bucket: 'chute',
  stateMachine: 'chute-pipeline',
  ledgerTable: 'chute-files',
  deadLetterQueue: 'chute-dead-letters',
  topic: 'chute-notifications',
  rule: 'chute-file-uploaded',
  failureRule: 'chute-execution-failed',
  functions: {
    validate: 'chute-validate',
    clean: 'chute-clean',
    transform: 'chute-transform',
    enrich: 'chute-enrich',
    load: 'chute-load',
    notify: 'chute-notify',
  },
  /** Sends failed batches to the dead-letter queue and clears them once a redrive loaded them. */
  deadLetterFunction: 'chute-dead-letter',
} as const;

export type StageName = keyof typeof ResourceNames.functions;

/**
 * Where uploads go, where the Distributed Map writes its results, and where dead letters too big
 * for the queue are kept (the queue holds a pointer).
 */
export const Prefixes = { input: 'input/', results: 'results/', deadLetters: 'dead-letters/' } as const;

/** The file suffixes the pipeline reads, per ItemReader InputType. */
export const FileFormats = { csv: 'CSV', json: 'JSON', jsonl: 'JSONL' } as const;
