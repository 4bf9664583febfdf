import { randomUUID } from 'node:crypto';
import { StatesError, StatesErrorNames } from '../engine/errors.ts';
import type { TaskRequest, TaskRunner } from '../engine/ports.ts';
import { ApiError } from './api-error.ts';
import { describeRecord, startExecutionOf } from './actions/executions.ts';
import type { ApiServices } from './services.ts';
import type { ExecutionRecord } from './store/records.ts';

/**
 * `arn:aws:states:::states:startExecution`, `.sync` and `.sync:2`: Step Functions starting an
 * execution of its own API from a Task state
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html).
 * `.waitForTaskToken` is the generic callback pattern, not this integration's.
 */
const nestedResource = /^arn:aws[\w-]*:states:[^:]*:[^:]*:states:startExecution(\.sync(?::2)?)?$/;

type Pattern = 'request-response' | 'sync' | 'sync:2';

const patternOf = (suffix: string | undefined): Pattern =>
  suffix === '.sync' ? 'sync' : suffix === '.sync:2' ? 'sync:2' : 'request-response';

const millis = (seconds: number) => Math.round(seconds * 1000);

/** `executionArn` → `ExecutionArn`, one level down too (`InputDetails.Included`). */
function pascalCase(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key[0]!.toUpperCase() + key.slice(1),
      inner && typeof inner === 'object' && !Array.isArray(inner)
        ? pascalCase(inner as Record<string, unknown>)
        : inner,
    ]),
  );
}

/**
 * DescribeExecution's answer as the integration returns it: PascalCase, dates in epoch
 * milliseconds, and for `.sync:2` Input and Output as JSON rather than JSON text (as recorded
 * against AWS in LocalStack's test_callback.snapshot.json, test_start_execution_sync/_sync2).
 */
function describedForTask(record: ExecutionRecord, pattern: Pattern, services: ApiServices) {
  const described = describeRecord(record, services);
  const shaped = pascalCase({
    ...described,
    startDate: millis(described.startDate),
    ...(described.stopDate !== undefined ? { stopDate: millis(described.stopDate) } : {}),
  });
  if (pattern === 'sync:2') {
    shaped.Input = JSON.parse(record.input);
    if (record.output !== undefined) shaped.Output = JSON.parse(record.output);
  }
  return shaped;
}

/** The child's input as StartExecution takes it: JSON text; an object is serialised, none is `{}`. */
const inputText = (input: unknown) =>
  typeof input === 'string' ? input : JSON.stringify(input === undefined || input === null ? {} : input);

/**
 * A refused StartExecution fails the task with `StepFunctions.<Code>Exception` and the SDK's
 * wording of the refusal as cause (e.g. `StepFunctions.ExecutionAlreadyExistsException`, the
 * name AWS users retry on).
 */
function refusal(error: ApiError): StatesError {
  return new StatesError(
    `StepFunctions.${error.type}Exception`,
    `${error.message} (Service: AWSStepFunctions; Status Code: ${error.status}; Error Code: ${error.type}; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}

async function runNested(request: TaskRequest, pattern: Pattern, services: ApiServices): Promise<unknown> {
  const parameters = (request.parameters ?? {}) as Record<string, unknown>;
  if (typeof parameters.StateMachineArn !== 'string')
    throw new StatesError(StatesErrorNames.Runtime, 'states:startExecution needs a StateMachineArn');
  let started: { executionArn: string; startDate: number };
  try {
    started = await startExecutionOf(
      {
        stateMachineArn: parameters.StateMachineArn,
        input: inputText(parameters.Input),
        ...(typeof parameters.Name === 'string' ? { name: parameters.Name } : {}),
      },
      services,
    );
  } catch (error) {
    if (error instanceof ApiError) throw refusal(error);
    throw error;
  }
  const response = {
    ExecutionArn: started.executionArn,
    StartDate: millis(started.startDate),
    SdkHttpMetadata: { HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: randomUUID() },
  };
  if (pattern === 'request-response') return response;
  request.submitted?.(response);
  // A task that stops waiting (its execution stopped, its TimeoutSeconds passed) stops the child.
  const stopChild = () => void services.executions.stop(started.executionArn).catch(() => {});
  request.signal.addEventListener('abort', stopChild, { once: true });
  try {
    const ended = await services.executions.wait(started.executionArn);
    const whole = (await services.store.loadExecution(ended.executionArn)) ?? ended;
    const described = describedForTask(whole, pattern, services);
    // A child that did not succeed fails the task with its description as the cause.
    if (whole.status !== 'SUCCEEDED')
      throw new StatesError(StatesErrorNames.TaskFailed, JSON.stringify(described));
    return described;
  } finally {
    request.signal.removeEventListener('abort', stopChild);
  }
}

/**
 * The task runner executions use: nested executions are this API's own (unless the runner mocks
 * them), everything else goes to the runner the API was given. `services` is read when a task runs, once the API is built.
 */
export function withNestedExecutions(runner: TaskRunner, services: () => ApiServices): TaskRunner {
  return {
    run(request) {
      const match = nestedResource.exec(request.resource);
      if (!match || runner.mocks?.(request)) return runner.run(request);
      return runNested(request, patternOf(match[1]), services());
    },
  };
}
