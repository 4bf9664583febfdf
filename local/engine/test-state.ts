/**
 * TestState: runs ONE compiled state once, as AWS's TestState API does, and reports what its
 * Retry and Catch would decide instead of acting on it (no retry loop, no next state run).
 * https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
 */
import type { CompiledMachine, CompiledMap, CompiledParallel } from './compile/compiled-machine.ts';
import { StatesError, StatesErrorNames } from './errors.ts';
import type { ExecutionContext } from './execution-types.ts';
import {
  executionInput,
  type Frame,
  type Inspection,
  type StateContext,
  type StateOutcome,
} from './frame.ts';
import { History } from './history.ts';
import type { Clock, TaskRunner } from './ports.ts';
import { decideRetry, errorMatches, findCatcher } from './retry.ts';
import { dispatch } from './run-machine.ts';

/** A mocked outcome of the state's work: its result, or the error it fails with. */
export type TestStateMock = { result: unknown } | { error: string; cause?: string };

export interface TestStateRequest {
  /** The (sub)machine that holds the state: a whole definition, a Parallel branch or a Map's processor. */
  machine: CompiledMachine;
  stateName: string;
  input: unknown;
  variables: Record<string, unknown>;
  /** `$$` fields the caller sets (TestState's `context`). */
  context?: Record<string, unknown>;
  mock?: TestStateMock;
  /** Retries already made by the retrier that matches the error (`stateConfiguration.retrierRetryCount`). */
  retrierRetryCount?: number;
  /** Failed iterations of a mocked Map (`stateConfiguration.mapIterationFailureCount`). */
  mapIterationFailureCount?: number;
  /** The items an ItemReader would read (`stateConfiguration.mapItemReaderData`). */
  mapItemReaderData?: unknown[];
  execution: ExecutionContext;
  taskRunner: TaskRunner;
  clock: Clock;
  signal: AbortSignal;
}

/** What TestState's DEBUG inspection data holds beyond a state's processing steps. */
export interface TestStateInspection extends Inspection {
  input: unknown;
  variables: Record<string, unknown>;
  errorDetails?: { catchIndex?: number; retryIndex?: number; retryBackoffIntervalSeconds?: number };
  afterItemsPath?: unknown;
  afterItemSelector?: unknown;
  afterItemBatcher?: unknown;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  maxConcurrency?: number;
}

export type TestStateStatus = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

export interface TestStateResult {
  status: TestStateStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  nextState?: string;
  inspection: TestStateInspection;
}

// The tolerated-failure error as AWS reports it from TestState (LocalStack's recordings of real AWS:
// tests/aws/services/stepfunctions/v2/test_state/test_state_configuration.snapshot.json).
const TOLERANCE_EXCEEDED = 'The specified tolerated failure threshold was exceeded';

/** A task runner that answers with the mock instead of calling the integration. */
function mockedRunner(mock: TestStateMock): TaskRunner {
  return {
    run: async () => {
      if ('result' in mock) return mock.result;
      throw new StatesError(mock.error, mock.cause);
    },
  };
}

/** A clock that never sleeps: TestState returns from a Wait state at once. */
function noWaiting(clock: Clock): Clock {
  return { now: () => clock.now(), sleep: async (_ms, signal) => signal?.throwIfAborted() };
}

function failWith(mock: TestStateMock): void {
  if (!('result' in mock)) throw new StatesError(mock.error, mock.cause);
}

/** A mocked Parallel: its input processing runs, the mock stands for its branches' outputs. */
async function runMockedParallel(
  ctx: StateContext<CompiledParallel>,
  mock: TestStateMock,
): Promise<StateOutcome> {
  await ctx.state.io.effectiveInput(ctx);
  failWith(mock);
  const result = (mock as { result: unknown }).result;
  ctx.inspection!.result = result;
  return { output: await ctx.state.io.finish(ctx, result), next: ctx.state.next };
}

/** A mocked Map: its item processing runs (and is inspected), the mock stands for its iterations. */
async function runMockedMap(
  ctx: StateContext<CompiledMap>,
  mock: TestStateMock,
  request: TestStateRequest,
  inspection: TestStateInspection,
): Promise<StateOutcome> {
  const { state } = ctx;
  const source = state.source;
  if (state.queryLanguage === 'JSONPath') inspection.afterInputPath = state.io.selectInput(ctx);
  const items = source.ItemReader ? request.mapItemReaderData : await state.items(ctx);
  if (items && state.queryLanguage === 'JSONPath' && source.ItemsPath !== undefined)
    inspection.afterItemsPath = items;
  const selector = source.ItemSelector ?? (source as { Parameters?: unknown }).Parameters;
  const selected =
    items && (await Promise.all(items.map((item, index) => state.selectItem(ctx, item, index))));
  if (selected && selector !== undefined) inspection.afterItemSelector = selected;
  if (selected && source.ItemBatcher) inspection.afterItemBatcher = await batched(ctx, selected);
  inspection.maxConcurrency = (await state.maxConcurrency(ctx)) ?? 0;
  const toleratedCount = await state.toleratedFailureCount(ctx);
  const toleratedPercentage = await state.toleratedFailurePercentage(ctx);
  if (toleratedCount !== undefined) inspection.toleratedFailureCount = toleratedCount;
  if (toleratedPercentage !== undefined) inspection.toleratedFailurePercentage = toleratedPercentage;
  failWith(mock);
  const failures = request.mapIterationFailureCount ?? 0;
  const total = items?.length ?? 0;
  if (
    (toleratedCount !== undefined && failures > toleratedCount) ||
    (toleratedPercentage !== undefined && total > 0 && (failures * 100) / total > toleratedPercentage)
  )
    throw new StatesError(StatesErrorNames.ExceedToleratedFailureThreshold, TOLERANCE_EXCEEDED);
  const result = (mock as { result: unknown }).result;
  ctx.inspection!.result = result;
  return { output: await state.io.finish(ctx, result), next: state.next };
}

/** The batches an ItemBatcher makes of the selected items: `{ BatchInput?, Items }` each. */
async function batched(ctx: StateContext<CompiledMap>, items: unknown[]): Promise<unknown[]> {
  const batchInput = await ctx.state.batchInput(ctx);
  const size = (await ctx.state.batcherNumber(ctx, 'MaxItemsPerBatch')) || items.length || 1;
  const batches: unknown[] = [];
  for (let start = 0; start < items.length; start += size)
    batches.push({
      ...(batchInput !== undefined ? { BatchInput: batchInput } : {}),
      Items: items.slice(start, start + size),
    });
  return batches;
}

function work(ctx: StateContext, request: TestStateRequest, inspection: TestStateInspection) {
  const { mock } = request;
  if (mock && ctx.state.type === 'Parallel')
    return runMockedParallel(ctx as StateContext<CompiledParallel>, mock);
  if (mock && ctx.state.type === 'Map')
    return runMockedMap(ctx as StateContext<CompiledMap>, mock, request, inspection);
  return dispatch(ctx);
}

/**
 * Runs one state of a compiled machine once with TestState's options. A failure goes through the
 * state's Retry (RETRIABLE: a retrier would run it again) and Catch (CAUGHT_ERROR: the catcher's
 * output and Next), else FAILED; it never throws for a failure of the state itself.
 */
export async function testState(request: TestStateRequest): Promise<TestStateResult> {
  const { machine, stateName, mock } = request;
  const state = machine.states.get(stateName);
  if (!state) throw new StatesError(StatesErrorNames.Runtime, `The state '${stateName}' does not exist`);
  const history = new History(() => {}, request.clock);
  executionInput.set(history, request.input);
  const frame: Frame = {
    machine,
    history,
    options: {
      context: request.execution,
      taskRunner: mock ? mockedRunner(mock) : request.taskRunner,
      clock: state.type === 'Wait' ? noWaiting(request.clock) : request.clock,
      onEvent: () => {},
      signal: request.signal,
    },
    execution: request.execution,
    variables: { ...request.variables },
    ...(request.context ? { contextOverride: request.context } : {}),
  };
  const startedId = history.emit('ExecutionStarted', 0);
  const enteredId = history.emit(state.events.entered, startedId, { name: state.name });
  const inspection: TestStateInspection = { input: request.input, variables: frame.variables };
  const ctx: StateContext = {
    name: state.name,
    state,
    rawInput: request.input,
    queryLanguage: state.queryLanguage,
    frame,
    entered: history.lastTimestamp,
    enteredEventId: enteredId,
    retryCount: request.retrierRetryCount ?? 0,
    lastEventId: enteredId,
    inspection,
  };
  const done = (result: Omit<TestStateResult, 'inspection'>): TestStateResult => ({
    ...result,
    inspection: { ...inspection, variables: frame.variables },
  });
  try {
    const outcome = await work(ctx, request, inspection);
    return done({ status: 'SUCCEEDED', output: outcome.output, ...next(outcome.next) });
  } catch (thrown) {
    if (!(thrown instanceof StatesError) || request.signal.aborted) throw thrown;
    try {
      return done(await decide(ctx, thrown, request.retrierRetryCount ?? 0, inspection));
    } catch (caught) {
      // A catcher's own failure (its ResultPath, Output or Assign) fails the state.
      if (!(caught instanceof StatesError)) throw caught;
      return done({ status: 'FAILED', ...failureOf(caught) });
    }
  }
}

/** Error and cause as AWS reports them: a Fail state without Error has no error field. */
const failureOf = (error: StatesError) => ({
  ...(error.errorOmitted ? {} : { error: error.error }),
  ...(error.causeText !== undefined ? { cause: error.causeText } : {}),
});

const next = (name: string | undefined) => (name !== undefined ? { nextState: name } : {});

/** What the state's Retry, then its Catch, make of an error. */
async function decide(
  ctx: StateContext,
  error: StatesError,
  retried: number,
  inspection: TestStateInspection,
): Promise<Omit<TestStateResult, 'inspection'>> {
  const { retriers, catchers } = ctx.state;
  const inTask = ctx.state.type === 'Task';
  const failure = failureOf(error);
  const retryIndex = retriers.findIndex((retrier) => errorMatches(retrier.ErrorEquals, error, inTask));
  if (retryIndex >= 0) {
    const counters = retriers.map((_, index) => (index === retryIndex ? retried : 0));
    const decision = decideRetry(retriers, counters, error, inTask);
    if (decision.retry) {
      inspection.errorDetails = {
        retryIndex,
        retryBackoffIntervalSeconds: Math.trunc(decision.delayMs / 1000),
      };
      return { status: 'RETRIABLE', ...failure };
    }
  }
  const catcher = findCatcher(catchers, error, inTask);
  if (!catcher) return { status: 'FAILED', ...failure };
  inspection.errorDetails = { catchIndex: catchers.indexOf(catcher) };
  return {
    status: 'CAUGHT_ERROR',
    ...failure,
    output: await catcher.finish(ctx, error),
    nextState: catcher.next,
  };
}
