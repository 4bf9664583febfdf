/** What EventBridge's `Step Functions Execution Status Change` event says about an execution. */
export interface ExecutionStatus {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  /** Seconds since the epoch, as the API's records keep them. */
  startDate: number;
  stopDate?: number | undefined;
  input?: string | undefined;
  output?: string | undefined;
  error?: string | undefined;
  cause?: string | undefined;
}

/**
 * The `Step Functions Execution Status Change` event Step Functions sends to EventBridge
 * (https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html): dates in
 * milliseconds, absent values null.
 */
export function executionStatusChangeEvent(
  execution: ExecutionStatus,
  account: { region: string; accountId: string },
) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: account.accountId,
    time: new Date().toISOString(),
    region: account.region,
    resources: [execution.executionArn],
    detail: {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: Math.round(execution.startDate * 1000),
      stopDate: execution.stopDate === undefined ? null : Math.round(execution.stopDate * 1000),
      input: execution.input ?? null,
      output: execution.output ?? null,
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    },
  };
}
