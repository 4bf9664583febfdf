import { z } from 'zod';
import { MAX_PAYLOAD_BYTES } from '../../engine/limits.ts';
import { ApiError } from '../api-error.ts';
import {
  checkExecutionArn,
  checkName,
  executionArn,
  parseQualifiedArn,
  parseStateMachineArn,
} from '../arns.ts';
import { pageFields, paginate } from '../pagination.ts';
import { loggingMachineNameOf, loggingOff } from '../state-machine-logging.ts';
import { defineAction, type ApiServices } from '../services.ts';
import type { ExecutionRecord } from '../store/records.ts';
import type { StoredEvent } from '../store/state-store.ts';
import { startTargetOf } from '../start-target.ts';
import { machineOf } from './state-machines.ts';

export function executionOf(arn: string, services: ApiServices): ExecutionRecord {
  checkExecutionArn(arn);
  const record = services.store.executions.get(arn);
  if (!record) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  return record;
}

/**
 * An execution that the action may look at: AWS answers InvalidArn for an EXPRESS one (as
 * recorded against AWS in LocalStack's test_sfn_api_express.snapshot.json), except that
 * DescribeExecution and DescribeStateMachineForExecution take the children a Map Run dispatched
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html).
 */
export function standardExecutionOf(
  arn: string,
  services: ApiServices,
  allow: { mapRunChildren: boolean } = { mapRunChildren: false },
): ExecutionRecord {
  const record = executionOf(arn, services);
  if (record.type === 'EXPRESS' && !(allow.mapRunChildren && record.mapRunArn))
    throw new ApiError('InvalidArn', "Invalid Arn: 'Resource type not valid in this context: express'");
  return record;
}

function checkInput(input: string | undefined): string {
  const text = input ?? '{}';
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: '${(error as Error).message}'`,
    );
  }
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
    throw new ApiError(
      'InvalidExecutionInput',
      `The execution input is larger than ${MAX_PAYLOAD_BYTES} bytes`,
    );
  }
  return text;
}

function redriveStatus(record: ExecutionRecord, services: ApiServices) {
  if (record.status === 'RUNNING')
    return {
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is RUNNING and cannot be redriven',
    };
  const refusal = services.executions.redriveRefusal(record);
  return refusal
    ? { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: refusal }
    : { redriveStatus: 'REDRIVABLE' };
}

export function describeRecord(record: ExecutionRecord, services: ApiServices) {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: record.startDate,
    ...(record.stopDate !== undefined ? { stopDate: record.stopDate } : {}),
    input: record.input,
    inputDetails: { included: true },
    ...(record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(record.cause !== undefined ? { cause: record.cause } : {}),
    ...(record.mapRunArn ? { mapRunArn: record.mapRunArn } : {}),
    ...(record.stateMachineVersionArn ? { stateMachineVersionArn: record.stateMachineVersionArn } : {}),
    ...(record.stateMachineAliasArn ? { stateMachineAliasArn: record.stateMachineAliasArn } : {}),
    redriveCount: record.redriveCount,
    ...(record.redriveDate !== undefined ? { redriveDate: record.redriveDate } : {}),
    ...redriveStatus(record, services),
  };
}

const StartExecutionInput = z
  .object({
    stateMachineArn: z.string(),
    name: z.string().optional(),
    input: z.string().optional(),
    traceHeader: z.string().optional(),
  })
  .loose();

/** StartExecution's work, shared with the `states:startExecution` integration. */
export async function startExecutionOf(
  input: z.infer<typeof StartExecutionInput>,
  services: ApiServices,
): Promise<{ executionArn: string; startDate: number }> {
  const { machine, testCase, versionArn, aliasArn } = startTargetOf(input.stateMachineArn, services);
  const text = checkInput(input.input);
  if (input.name !== undefined) {
    checkName(input.name, 'execution');
    const arn = executionArn(services.account, machine.name, input.name, machine.type === 'EXPRESS');
    const existing = services.store.executions.get(arn);
    if (existing) {
      // Name idempotency: the same name and input while it runs returns the same execution.
      if (existing.status === 'RUNNING' && existing.input === text)
        return { executionArn: arn, startDate: existing.startDate };
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
  }
  const record = await services.executions.start({
    machine,
    input: text,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(testCase ? { testCase } : {}),
    ...(versionArn ? { versionArn } : {}),
    ...(aliasArn ? { aliasArn } : {}),
  });
  return { executionArn: record.executionArn, startDate: record.startDate };
}

export const startExecution = defineAction({ schema: StartExecutionInput, run: startExecutionOf });

export const startSyncExecution = defineAction({
  schema: z
    .object({ stateMachineArn: z.string(), name: z.string().optional(), input: z.string().optional() })
    .loose(),
  async run(input, services) {
    const machine = machineOf(input.stateMachineArn, services);
    if (machine.type !== 'EXPRESS') {
      throw new ApiError(
        'StateMachineTypeNotSupported',
        'This operation is not supported by this type of state machine',
      );
    }
    const { testCase } = parseStateMachineArn(input.stateMachineArn);
    const started = await services.executions.start({
      machine,
      input: checkInput(input.input),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(testCase ? { testCase } : {}),
    });
    const record = await services.executions.wait(started.executionArn);
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      startDate: record.startDate,
      stopDate: record.stopDate,
      status:
        record.status === 'SUCCEEDED' ? 'SUCCEEDED' : record.status === 'TIMED_OUT' ? 'TIMED_OUT' : 'FAILED',
      input: record.input,
      inputDetails: { included: true },
      ...(record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
      ...(record.error !== undefined ? { error: record.error } : {}),
      ...(record.cause !== undefined ? { cause: record.cause } : {}),
    };
  },
});

export const describeExecution = defineAction({
  schema: z.object({ executionArn: z.string() }).loose(),
  async run(input, services) {
    standardExecutionOf(input.executionArn, services, { mapRunChildren: true });
    return describeRecord((await services.store.loadExecution(input.executionArn))!, services);
  },
});

export const describeStateMachineForExecution = defineAction({
  schema: z.object({ executionArn: z.string() }).loose(),
  async run(input, services) {
    const record = standardExecutionOf(input.executionArn, services, { mapRunChildren: true });
    const name = record.stateMachineArn.slice(record.stateMachineArn.lastIndexOf(':') + 1);
    const machine = services.store.machines.get(name);
    const mapRun = record.mapRunArn ? services.store.mapRuns.get(record.mapRunArn) : undefined;
    // A Map Run child's is its parent machine's: the one it logs under.
    const logging = services.store.machines.get(
      loggingMachineNameOf(record.stateMachineArn),
    )?.loggingConfiguration;
    return {
      stateMachineArn: record.stateMachineArn,
      name,
      definition: record.definition,
      roleArn: record.roleArn,
      updateDate: machine?.updateDate ?? machine?.creationDate ?? record.startDate,
      loggingConfiguration: logging ?? loggingOff,
      ...(record.mapRunArn ? { mapRunArn: record.mapRunArn } : {}),
      ...(mapRun?.label ? { label: mapRun.label } : {}),
    };
  },
});

const Status = z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

export const listExecutions = defineAction({
  schema: z
    .object({
      stateMachineArn: z.string().optional(),
      mapRunArn: z.string().optional(),
      statusFilter: Status.optional(),
      redriveFilter: z.enum(['REDRIVEN', 'NOT_REDRIVEN']).optional(),
      ...pageFields,
    })
    .loose(),
  async run(input, services) {
    if (!input.stateMachineArn === !input.mapRunArn) {
      throw new ApiError('ValidationException', 'Exactly one of stateMachineArn and mapRunArn must be given');
    }
    // AWS lists no EXPRESS executions but a Map Run's (recorded against AWS in LocalStack's
    // test_sfn_api_express.snapshot.json, list_executions_error).
    // A version or alias ARN lists the executions started through it (API_ListExecutions.html).
    const qualifier = input.stateMachineArn ? parseQualifiedArn(input.stateMachineArn).qualifier : undefined;
    const machineArn = qualifier
      ? input.stateMachineArn!.slice(0, -qualifier.length - 1)
      : input.stateMachineArn;
    if (machineArn && machineOf(machineArn, services).type === 'EXPRESS')
      throw new ApiError(
        'StateMachineTypeNotSupported',
        'This operation is not supported by this type of state machine',
      );
    const all = [...services.store.executions.values()]
      .filter((e) =>
        input.mapRunArn
          ? e.mapRunArn === input.mapRunArn
          : e.stateMachineArn === machineArn &&
            !e.mapRunArn &&
            (!qualifier ||
              e.stateMachineVersionArn === input.stateMachineArn ||
              e.stateMachineAliasArn === input.stateMachineArn),
      )
      .filter((e) => !input.statusFilter || e.status === input.statusFilter)
      .filter((e) => !input.redriveFilter || (input.redriveFilter === 'REDRIVEN') === e.redriveCount > 0)
      .sort((a, b) => b.startDate - a.startDate || a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return {
      executions: page.map((e) => ({
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: e.startDate,
        ...(e.stopDate !== undefined ? { stopDate: e.stopDate } : {}),
        ...(e.mapRunArn ? { mapRunArn: e.mapRunArn } : {}),
        ...(e.stateMachineVersionArn ? { stateMachineVersionArn: e.stateMachineVersionArn } : {}),
        ...(e.stateMachineAliasArn ? { stateMachineAliasArn: e.stateMachineAliasArn } : {}),
        // "returned only if mapRunArn was specified" (API_ExecutionListItem.html).
        ...(input.mapRunArn && e.itemCount !== undefined ? { itemCount: e.itemCount } : {}),
        redriveCount: e.redriveCount,
        ...(e.redriveDate !== undefined ? { redriveDate: e.redriveDate } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  },
});

const dataFields = new Set(['input', 'output', 'parameters']);

/** An event without its input, output and parameters (`includeExecutionData: false`). */
const withoutData = (event: StoredEvent): StoredEvent =>
  Object.fromEntries(
    Object.entries(event).map(([key, value]) =>
      key.endsWith('EventDetails') && value && typeof value === 'object'
        ? [key, Object.fromEntries(Object.entries(value).filter(([field]) => !dataFields.has(field)))]
        : [key, value],
    ),
  ) as StoredEvent;

export const getExecutionHistory = defineAction({
  schema: z
    .object({
      executionArn: z.string(),
      ...pageFields,
      reverseOrder: z.boolean().optional(),
      includeExecutionData: z.boolean().optional(),
    })
    .loose(),
  async run(input, services) {
    standardExecutionOf(input.executionArn, services);
    const history = await services.store.readHistory(input.executionArn);
    // The store's events are shared: reversed as a copy, and only the page is stripped of data.
    const events = input.reverseOrder ? history.toReversed() : history;
    const { page, nextToken } = paginate(events, input.maxResults, input.nextToken);
    return {
      events: input.includeExecutionData === false ? page.map(withoutData) : page,
      ...(nextToken ? { nextToken } : {}),
    };
  },
});

export const stopExecution = defineAction({
  schema: z
    .object({ executionArn: z.string(), error: z.string().optional(), cause: z.string().optional() })
    .loose(),
  async run(input, services) {
    standardExecutionOf(input.executionArn, services);
    return { stopDate: await services.executions.stop(input.executionArn, input.error, input.cause) };
  },
});

export const redriveExecution = defineAction({
  schema: z.object({ executionArn: z.string(), clientToken: z.string().optional() }).loose(),
  async run(input, services) {
    executionOf(input.executionArn, services);
    const record = await services.executions.redrive(input.executionArn);
    return { redriveDate: record.redriveDate };
  },
});
