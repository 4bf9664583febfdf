import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from '../api-error.ts';
import { parseQualifiedArn } from '../arns.ts';
import { pageFields, paginate } from '../pagination.ts';
import { defineAction, type ApiServices } from '../services.ts';
import type { MachineRecord, VersionRecord } from '../store/records.ts';
import { machineOf } from './state-machines.ts';

/** "You can publish up to 1000 versions for each state machine" (API_PublishStateMachineVersion.html). */
const MAX_VERSIONS = 1000;

export const versionsOf = (machineName: string, services: ApiServices): VersionRecord[] =>
  [...services.store.versions.values()].filter((v) => v.machineName === machineName);

/**
 * Publishes the machine's current revision as a version, or returns the version that already has
 * it: the API is idempotent on the revision. A `revisionId` that is not the current one is a
 * ConflictException.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_PublishStateMachineVersion.html
 */
export function publishVersion(
  machine: MachineRecord,
  options: { description?: string; revisionId?: string },
  services: ApiServices,
): VersionRecord {
  // Records written before revisions were kept get one now.
  const current = machine.revisionId ? machine : { ...machine, revisionId: randomUUID() };
  if (options.revisionId !== undefined && options.revisionId !== current.revisionId)
    throw new ApiError(
      'ConflictException',
      `Failed to publish the State Machine version for revision ${options.revisionId}. The current State Machine revision is ${current.revisionId}.`,
    );
  const versions = versionsOf(machine.name, services);
  const existing = versions.find((v) => v.revisionId === current.revisionId);
  if (existing) return existing;
  if (versions.length >= MAX_VERSIONS)
    throw new ApiError(
      'ServiceQuotaExceededException',
      `The state machine ${machine.arn} already has ${MAX_VERSIONS} versions`,
    );
  const version = (current.lastVersion ?? 0) + 1;
  const record: VersionRecord = {
    arn: `${machine.arn}:${version}`,
    machineName: machine.name,
    version,
    definition: current.definition,
    roleArn: current.roleArn,
    type: current.type,
    revisionId: current.revisionId!,
    ...(options.description !== undefined ? { description: options.description } : {}),
    creationDate: services.now(),
  };
  services.store.saveMachine({ ...current, lastVersion: version });
  services.store.saveVersion(record);
  return record;
}

/** A version ARN (`…:stateMachine:NAME:N`) → its version; InvalidArn for any other ARN. */
export function parseVersionArn(arn: string): { name: string; version: number } {
  const { name, qualifier } = parseQualifiedArn(arn);
  if (!qualifier || !/^[1-9]\d*$/.test(qualifier))
    throw new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  return { name, version: Number(qualifier) };
}

export const publishStateMachineVersion = defineAction({
  schema: z
    .object({
      stateMachineArn: z.string(),
      description: z.string().max(256).optional(),
      revisionId: z.string().optional(),
    })
    .loose(),
  async run(input, services) {
    const version = publishVersion(machineOf(input.stateMachineArn, services), input, services);
    return { stateMachineVersionArn: version.arn, creationDate: version.creationDate };
  },
});

export const listStateMachineVersions = defineAction({
  schema: z
    .object({
      stateMachineArn: z.string(),
      ...pageFields,
    })
    .loose(),
  async run(input, services) {
    const machine = machineOf(input.stateMachineArn, services);
    // Newest first, as AWS lists them.
    const all = versionsOf(machine.name, services).sort((a, b) => b.version - a.version);
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return {
      stateMachineVersions: page.map((v) => ({
        stateMachineVersionArn: v.arn,
        creationDate: v.creationDate,
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  },
});

/**
 * Deletes a version; one that does not exist is already deleted. A version an alias routes to
 * cannot go (ConflictException).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachineVersion.html
 */
export const deleteStateMachineVersion = defineAction({
  schema: z.object({ stateMachineVersionArn: z.string() }).loose(),
  async run(input, services) {
    parseVersionArn(input.stateMachineVersionArn);
    const referencing = [...services.store.aliases.values()].filter((a) =>
      a.routingConfiguration.some((r) => r.stateMachineVersionArn === input.stateMachineVersionArn),
    );
    if (referencing.length > 0)
      throw new ApiError(
        'ConflictException',
        `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${referencing.map((a) => a.name).join(', ')}]`,
      );
    await services.store.deleteVersion(input.stateMachineVersionArn);
    return {};
  },
});
