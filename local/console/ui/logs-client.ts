/** One event of a state machine's log, as Step Functions writes it to CloudWatch Logs. */
export interface StateMachineLogEvent {
  id: string;
  type: string;
  details: { name?: string; error?: string; cause?: string; [field: string]: unknown };
  previous_event_id: string;
  event_timestamp: string;
  execution_arn: string;
  redrive_count: string;
}

/** The most events the console reads of one execution's log. */
export const MAX_LOG_EVENTS = 1000;

/** `arn:aws:logs:…:log-group:NAME:*` → NAME. */
export const logGroupNameOf = (arn: string): string | undefined => /:log-group:(.+):\*$/.exec(arn)?.[1];

/**
 * An execution's events in its state machine's log group, read as the AWS console reads an
 * Express execution's: CloudWatch Logs' FilterLogEvents (AWS JSON 1.1) on this page's origin,
 * the execution's ARN as the filter term. At most MAX_LOG_EVENTS, oldest first.
 */
export async function readExecutionLog(
  logGroupName: string,
  executionArn: string,
): Promise<StateMachineLogEvent[]> {
  const response = await fetch('/', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Logs_20140328.FilterLogEvents',
    },
    body: JSON.stringify({ logGroupName, filterPattern: `"${executionArn}"`, limit: MAX_LOG_EVENTS }),
  });
  const json = (await response.json().catch(() => ({}))) as {
    events?: { message: string }[];
    message?: string;
  };
  if (!response.ok) throw new Error(json.message ?? `HTTP ${response.status}`);
  return (json.events ?? [])
    .map((event) => JSON.parse(event.message) as StateMachineLogEvent)
    .filter((event) => event.execution_arn === executionArn);
}
