import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';

export interface RunOptions {
  stateMachineArn: string;
  /** Serialised to JSON; `{}` when absent. */
  input?: unknown;
  /** A MockConfigFile test case: the execution starts on `stateMachineArn#testCase`. */
  testCase?: string;
  name?: string;
  /** How long to wait for the execution to end (default 30 s). */
  timeoutMs?: number;
}

export interface ExecutionResult {
  executionArn: string;
  status: NonNullable<DescribeExecutionCommandOutput['status']>;
  /** The output, parsed from JSON (undefined unless SUCCEEDED). */
  output: unknown;
  error: string | undefined;
  cause: string | undefined;
  /** Every history event, oldest first. */
  history: HistoryEvent[];
  /** The names of the states entered, in order (Map and Parallel branches' states included). */
  statesEntered: string[];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function fullHistory(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Starts an execution and waits for its end: its status, output, error and history. */
export async function runExecution(client: SFNClient, options: RunOptions): Promise<ExecutionResult> {
  const { executionArn } = await client.send(
    new StartExecutionCommand({
      stateMachineArn: options.testCase
        ? `${options.stateMachineArn}#${options.testCase}`
        : options.stateMachineArn,
      input: JSON.stringify(options.input ?? {}),
      ...(options.name ? { name: options.name } : {}),
    }),
  );
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let described = await client.send(new DescribeExecutionCommand({ executionArn }));
  while (described.status === 'RUNNING' || described.status === 'PENDING_REDRIVE') {
    if (Date.now() > deadline)
      throw new Error(`${executionArn} is still ${described.status} after ${options.timeoutMs ?? 30_000} ms`);
    await pause(20);
    described = await client.send(new DescribeExecutionCommand({ executionArn }));
  }
  const history = await fullHistory(client, executionArn!);
  return {
    executionArn: executionArn!,
    status: described.status!,
    output: described.output === undefined ? undefined : JSON.parse(described.output),
    error: described.error,
    cause: described.cause,
    history,
    statesEntered: history.flatMap((event) =>
      event.stateEnteredEventDetails?.name ? [event.stateEnteredEventDetails.name] : [],
    ),
  };
}
