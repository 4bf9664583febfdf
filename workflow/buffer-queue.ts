/**
 * The small-file buffer queue's settings, shared by infra/ and the local cloud. A message stays
 * invisible while the pipe holds it: the whole batching window, then StartExecution. Pipes
 * documentation asks for a visibility timeout above what the pipe needs
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-sqs.html); a minute on top
 * of the window leaves room for a slow StartExecution before the message is received again.
 */
export const bufferVisibilityTimeoutSeconds = (windowSeconds: number): number => windowSeconds + 60;

/** Receives before a message goes to the buffer's dead-letter queue (the pipe could not start it). */
export const bufferMaxReceiveCount = 5;
