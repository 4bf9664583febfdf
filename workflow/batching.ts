/**
 * How small files are batched into one execution (S3 → EventBridge → SQS → EventBridge Pipes →
 * StartExecution with an array of SQS records). Shared by infra/, the local cloud's Pipes and the
 * state machine's batch path.
 */
export const Batching = {
  /** A file up to this size (bytes) goes to the SQS buffer and a batch; a bigger one gets its own execution. */
  smallFileMaxBytes: 64 * 1024,
  /** Pipes' batch size: the most files (SQS records) one batch execution receives. */
  filesPerExecution: 100,
  /** Pipes' batching window: the longest a file waits in the buffer for its batch to fill. */
  windowSeconds: 60,
  /** ItemBatcher MaxItemsPerBatch of the files Map: the files one EXPRESS child loads. */
  filesPerChild: 10,
} as const;
