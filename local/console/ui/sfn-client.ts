import type {
  Execution,
  ExecutionListItem,
  ExecutionStatus,
  MapRun,
  MapRunListItem,
  StateMachine,
  StateMachineListItem,
} from './sfn-types.ts';

/** An error answered by the Step Functions API, with AWS's error type (`ExecutionDoesNotExist`, …). */
export class SfnError extends Error {
  override name = 'SfnError' as const;
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

/** One AWS JSON 1.0 call to the Step Functions API on this page's own origin. */
export async function callSfn<T>(action: string, body: object): Promise<T> {
  const response = await fetch('/', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AWSStepFunctions.${action}`,
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const type =
      String(json.__type ?? `HTTP ${response.status}`)
        .split('#')
        .pop() ?? '';
    throw new SfnError(type, String(json.message ?? json.Message ?? response.statusText));
  }
  return json as T;
}

// Follows nextToken until the end (the console shows local data: pages of 1,000 are cheap).
async function all<T>(action: string, body: object, field: string): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callSfn<Record<string, unknown>>(action, {
      ...body,
      maxResults: 1000,
      ...(nextToken ? { nextToken } : {}),
    });
    items.push(...((page[field] as T[] | undefined) ?? []));
    nextToken = page.nextToken as string | undefined;
  } while (nextToken);
  return items;
}

/** The console's calls, named after the API actions they make. */
export const sfn = {
  listStateMachines: () => all<StateMachineListItem>('ListStateMachines', {}, 'stateMachines'),
  describeStateMachine: (stateMachineArn: string) =>
    callSfn<StateMachine>('DescribeStateMachine', { stateMachineArn }),
  describeStateMachineForExecution: (executionArn: string) =>
    callSfn<StateMachine>('DescribeStateMachineForExecution', { executionArn }),
  listExecutions: (
    filter: ({ stateMachineArn: string } | { mapRunArn: string }) & {
      statusFilter?: ExecutionStatus;
      redriveFilter?: 'REDRIVEN' | 'NOT_REDRIVEN';
    },
  ) => all<ExecutionListItem>('ListExecutions', filter, 'executions'),
  describeExecution: (executionArn: string) => callSfn<Execution>('DescribeExecution', { executionArn }),
  listMapRuns: (executionArn: string) => all<MapRunListItem>('ListMapRuns', { executionArn }, 'mapRuns'),
  describeMapRun: (mapRunArn: string) => callSfn<MapRun>('DescribeMapRun', { mapRunArn }),
  startExecution: (stateMachineArn: string, input: string, name?: string) =>
    callSfn<{ executionArn: string }>('StartExecution', {
      stateMachineArn,
      input,
      ...(name ? { name } : {}),
    }),
  stopExecution: (executionArn: string) => callSfn<object>('StopExecution', { executionArn }),
  redriveExecution: (executionArn: string) => callSfn<object>('RedriveExecution', { executionArn }),
};
