import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  diagnoseDefinition,
  InvalidDefinitionError,
  parseDefinition,
} from '../../engine/definition/parse-definition.ts';
import { ApiError } from '../api-error.ts';
import { checkName, parseQualifiedArn, parseStateMachineArn, stateMachineArn } from '../arns.ts';
import { pageFields, paginate } from '../pagination.ts';
import { defineAction, type ApiServices } from '../services.ts';
import type { MachineRecord } from '../store/records.ts';
import {
  checkLoggingConfiguration,
  LoggingConfigurationSchema,
  loggingOff,
  logGroupNameOf,
  type LoggingConfiguration,
} from '../state-machine-logging.ts';
import { mergeTags, TagSchema } from './tags.ts';
import { publishVersion, versionsOf } from './versions.ts';

function validDefinition(text: string, type: MachineRecord['type']): void {
  try {
    parseDefinition(text, type);
  } catch (error) {
    if (error instanceof InvalidDefinitionError) throw new ApiError('InvalidDefinition', error.message);
    throw error;
  }
}

export function machineOf(arn: string, services: ApiServices): MachineRecord {
  const { name } = parseStateMachineArn(arn);
  const machine = services.store.machines.get(name);
  if (!machine) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  return machine;
}

const describe = (m: MachineRecord) => ({
  stateMachineArn: m.arn,
  name: m.name,
  status: 'ACTIVE',
  definition: m.definition,
  roleArn: m.roleArn,
  type: m.type,
  creationDate: m.creationDate,
  loggingConfiguration: m.loggingConfiguration ?? loggingOff,
  ...(m.revisionId ? { revisionId: m.revisionId } : {}),
});

/** `publish: true` publishes the new revision as a version (`versionDescription` its description). */
const Publish = { publish: z.boolean().optional(), versionDescription: z.string().max(256).optional() };

type PublishInput = { publish?: boolean | undefined; versionDescription?: string | undefined };

/** Checked before anything is saved: a refused request changes nothing. */
function checkPublish(input: PublishInput): void {
  if (input.versionDescription !== undefined && !input.publish)
    throw new ApiError('ValidationException', 'Version description can only be set when publish is true');
}

function publishIfAsked(
  input: PublishInput,
  machine: MachineRecord,
  services: ApiServices,
): { stateMachineVersionArn?: string } {
  if (!input.publish) return {};
  const description = input.versionDescription !== undefined ? { description: input.versionDescription } : {};
  return { stateMachineVersionArn: publishVersion(machine, description, services).arn };
}

const Tags = z.array(TagSchema).optional();

/** The configuration checked, its log group made to exist (the stack creates it on AWS). */
function loggingOf(
  input: z.infer<typeof LoggingConfigurationSchema>,
  services: ApiServices,
): LoggingConfiguration {
  const configuration = checkLoggingConfiguration(input);
  for (const destination of configuration.destinations ?? [])
    services.logGroups.createGroup(logGroupNameOf(destination.cloudWatchLogsLogGroup.logGroupArn)!);
  return configuration;
}

const sameLogging = (a: LoggingConfiguration | undefined, b: LoggingConfiguration | undefined) =>
  JSON.stringify(a ?? loggingOff) === JSON.stringify(b ?? loggingOff);

export const createStateMachine = defineAction({
  schema: z
    .object({
      name: z.string(),
      definition: z.string(),
      roleArn: z.string(),
      type: z.enum(['STANDARD', 'EXPRESS']).optional(),
      loggingConfiguration: LoggingConfigurationSchema.optional(),
      tags: Tags,
      ...Publish,
    })
    .loose(),
  async run(input, services) {
    checkName(input.name, 'state machine');
    checkPublish(input);
    const type = input.type ?? 'STANDARD';
    validDefinition(input.definition, type);
    const logging = input.loggingConfiguration ? loggingOf(input.loggingConfiguration, services) : undefined;
    const existing = services.store.machines.get(input.name);
    if (existing) {
      // Same name and same configuration is idempotent, as on AWS; anything else conflicts.
      if (
        existing.definition === input.definition &&
        existing.roleArn === input.roleArn &&
        existing.type === type &&
        sameLogging(existing.loggingConfiguration, logging)
      ) {
        return { stateMachineArn: existing.arn, creationDate: existing.creationDate };
      }
      throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${existing.arn}'`);
    }
    const record: MachineRecord = {
      name: input.name,
      arn: stateMachineArn(services.account, input.name),
      definition: input.definition,
      roleArn: input.roleArn,
      type,
      creationDate: services.now(),
      tags: mergeTags([], input.tags ?? [], stateMachineArn(services.account, input.name)),
      revisionId: randomUUID(),
      ...(logging ? { loggingConfiguration: logging } : {}),
    };
    services.store.saveMachine(record);
    return {
      stateMachineArn: record.arn,
      creationDate: record.creationDate,
      ...publishIfAsked(input, record, services),
    };
  },
});

/** A machine, or one of its versions: its definition and role as published, its description. */
export const describeStateMachine = defineAction({
  schema: z.object({ stateMachineArn: z.string() }).loose(),
  async run(input, services) {
    const { qualifier } = parseQualifiedArn(input.stateMachineArn);
    if (qualifier === undefined) return describe(machineOf(input.stateMachineArn, services));
    const version = services.store.versions.get(input.stateMachineArn);
    if (!/^\d+$/.test(qualifier))
      throw new ApiError(
        'InvalidArn',
        `Invalid Arn: 'Resource type not valid in this context: ${input.stateMachineArn}'`,
      );
    if (!version)
      throw new ApiError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${input.stateMachineArn}'`,
      );
    return {
      ...describe({ ...services.store.machines.get(version.machineName)!, ...version }),
      stateMachineArn: version.arn,
      creationDate: version.creationDate,
      ...(version.description !== undefined ? { description: version.description } : {}),
    };
  },
});

export const listStateMachines = defineAction({
  schema: z.object(pageFields).loose(),
  async run(input, services) {
    const all = [...services.store.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return {
      stateMachines: page.map((m) => ({
        stateMachineArn: m.arn,
        name: m.name,
        type: m.type,
        creationDate: m.creationDate,
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  },
});

export const updateStateMachine = defineAction({
  schema: z
    .object({
      stateMachineArn: z.string(),
      definition: z.string().optional(),
      roleArn: z.string().optional(),
      loggingConfiguration: LoggingConfigurationSchema.optional(),
      ...Publish,
    })
    .loose(),
  async run(input, services) {
    const machine = machineOf(input.stateMachineArn, services);
    if (
      input.definition === undefined &&
      input.roleArn === undefined &&
      input.loggingConfiguration === undefined
    ) {
      throw new ApiError(
        'MissingRequiredParameter',
        'Either the definition, the roleArn or the loggingConfiguration must be given',
      );
    }
    if (input.definition !== undefined) validDefinition(input.definition, machine.type);
    checkPublish(input);
    const logging = input.loggingConfiguration ? loggingOf(input.loggingConfiguration, services) : undefined;
    const changed =
      (input.definition !== undefined && input.definition !== machine.definition) ||
      (input.roleArn !== undefined && input.roleArn !== machine.roleArn);
    const updated: MachineRecord = {
      ...machine,
      ...(input.definition !== undefined ? { definition: input.definition } : {}),
      ...(input.roleArn !== undefined ? { roleArn: input.roleArn } : {}),
      ...(logging ? { loggingConfiguration: logging } : {}),
      // A new revision only when something changed: publishing it again then finds its version.
      ...(changed || !machine.revisionId ? { revisionId: randomUUID() } : {}),
      updateDate: services.now(),
    };
    services.store.saveMachine(updated);
    return {
      updateDate: updated.updateDate,
      revisionId: updated.revisionId,
      ...publishIfAsked(input, updated, services),
    };
  },
});

export const deleteStateMachine = defineAction({
  schema: z.object({ stateMachineArn: z.string() }).loose(),
  async run(input, services) {
    const { name } = parseStateMachineArn(input.stateMachineArn);
    // Its versions and aliases go with it.
    for (const alias of [...services.store.aliases.values()].filter((a) => a.machineName === name))
      await services.store.deleteAlias(alias.arn);
    for (const version of versionsOf(name, services)) await services.store.deleteVersion(version.arn);
    await services.store.deleteMachine(name);
    return {};
  },
});

/**
 * Diagnostics of a definition without creating anything: `result` FAIL when any ERROR is found,
 * WARNINGs only when `severity` is WARNING, at most `maxResults` (0 or absent: 100) with
 * `truncated` saying whether more were found.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
 */
export const validateStateMachineDefinition = defineAction({
  schema: z
    .object({
      definition: z.string().max(1_048_576),
      type: z.enum(['STANDARD', 'EXPRESS']).optional(),
      severity: z.enum(['ERROR', 'WARNING']).optional(),
      maxResults: z.number().int().min(0).max(100).optional(),
    })
    .loose(),
  async run(input) {
    const all = diagnoseDefinition(input.definition, input.type);
    const shown = input.severity === 'WARNING' ? all : all.filter((d) => d.severity === 'ERROR');
    const limit = input.maxResults || 100;
    return {
      result: all.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK',
      diagnostics: shown.slice(0, limit),
      truncated: shown.length > limit,
    };
  },
});
