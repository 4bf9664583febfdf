import { z } from 'zod';
import { ApiError } from '../api-error.ts';
import { parseQualifiedArn } from '../arns.ts';
import { pageFields, paginate } from '../pagination.ts';
import { defineAction, type ApiServices } from '../services.ts';
import type { AliasRecord } from '../store/records.ts';
import { machineOf } from './state-machines.ts';
import { parseVersionArn } from './versions.ts';

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_RoutingConfigurationListItem.html:
// one or two versions of the same machine, weights 0–100 that add up to 100.
const RoutingSchema = z
  .array(z.object({ stateMachineVersionArn: z.string(), weight: z.number().int().min(0).max(100) }))
  .min(1)
  .max(2);
type Routing = z.infer<typeof RoutingSchema>;

/** Alias names: like machine names, and not a number (that would read as a version). */
const aliasName = /^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]{1,80}$/;

function checkRouting(routing: Routing, machineName: string, services: ApiServices): void {
  if (routing.reduce((sum, r) => sum + r.weight, 0) !== 100)
    throw new ApiError('ValidationException', 'Sum of routing configuration weights must be equal to 100');
  if (new Set(routing.map((r) => r.stateMachineVersionArn)).size !== routing.length)
    throw new ApiError('ValidationException', 'Routing configuration must contain distinct version ARNs');
  for (const { stateMachineVersionArn } of routing) {
    if (parseVersionArn(stateMachineVersionArn).name !== machineName)
      throw new ApiError(
        'ValidationException',
        'All versions of an alias must belong to the same state machine',
      );
    if (!services.store.versions.has(stateMachineVersionArn))
      throw new ApiError('ResourceNotFound', `Resource not found: '${stateMachineVersionArn}'`);
  }
}

/** An alias ARN (`…:stateMachine:NAME:ALIAS`) → its alias; InvalidArn or ResourceNotFound otherwise. */
export function aliasOf(arn: string, services: ApiServices): AliasRecord {
  const { qualifier } = parseQualifiedArn(arn);
  if (!qualifier || !aliasName.test(qualifier))
    throw new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  const alias = services.store.aliases.get(arn);
  if (!alias) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
  return alias;
}

/** The version an execution started through the alias runs: picked at random by weight. */
export function routeAlias(alias: AliasRecord, random = Math.random): string {
  let point = random() * 100;
  for (const route of alias.routingConfiguration) {
    if (point < route.weight) return route.stateMachineVersionArn;
    point -= route.weight;
  }
  return alias.routingConfiguration.findLast((r) => r.weight > 0)!.stateMachineVersionArn;
}

const sameRouting = (a: Routing, b: Routing) =>
  a.length === b.length &&
  a.every((r, i) => r.stateMachineVersionArn === b[i]!.stateMachineVersionArn && r.weight === b[i]!.weight);

/**
 * Creates an alias of the machine its versions belong to; the same request again is answered as
 * the first, a different one for an existing name is a ConflictException.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachineAlias.html
 */
export const createStateMachineAlias = defineAction({
  schema: z
    .object({
      name: z.string(),
      description: z.string().max(256).optional(),
      routingConfiguration: RoutingSchema,
    })
    .loose(),
  async run(input, services) {
    if (!aliasName.test(input.name))
      throw new ApiError('ValidationException', `Invalid alias name: '${input.name}'`);
    const machineName = parseVersionArn(input.routingConfiguration[0]!.stateMachineVersionArn).name;
    checkRouting(input.routingConfiguration, machineName, services);
    const machine = services.store.machines.get(machineName)!;
    const arn = `${machine.arn}:${input.name}`;
    const existing = services.store.aliases.get(arn);
    if (existing) {
      if (
        existing.description === input.description &&
        sameRouting(existing.routingConfiguration, input.routingConfiguration)
      )
        return { stateMachineAliasArn: arn, creationDate: existing.creationDate };
      throw new ApiError('ConflictException', `Alias ${arn} already exists with a different configuration`);
    }
    const record: AliasRecord = {
      arn,
      machineName,
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      routingConfiguration: input.routingConfiguration,
      creationDate: services.now(),
    };
    services.store.saveAlias(record);
    return { stateMachineAliasArn: arn, creationDate: record.creationDate };
  },
});

export const describeStateMachineAlias = defineAction({
  schema: z.object({ stateMachineAliasArn: z.string() }).loose(),
  async run(input, services) {
    const alias = aliasOf(input.stateMachineAliasArn, services);
    return {
      stateMachineAliasArn: alias.arn,
      name: alias.name,
      ...(alias.description !== undefined ? { description: alias.description } : {}),
      routingConfiguration: alias.routingConfiguration,
      creationDate: alias.creationDate,
      ...(alias.updateDate !== undefined ? { updateDate: alias.updateDate } : {}),
    };
  },
});

export const updateStateMachineAlias = defineAction({
  schema: z
    .object({
      stateMachineAliasArn: z.string(),
      description: z.string().max(256).optional(),
      routingConfiguration: RoutingSchema.optional(),
    })
    .loose(),
  async run(input, services) {
    const alias = aliasOf(input.stateMachineAliasArn, services);
    if (input.description === undefined && input.routingConfiguration === undefined)
      throw new ApiError(
        'ValidationException',
        'Either the description or the routingConfiguration must be specified',
      );
    if (input.routingConfiguration) checkRouting(input.routingConfiguration, alias.machineName, services);
    const updated: AliasRecord = {
      ...alias,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.routingConfiguration ? { routingConfiguration: input.routingConfiguration } : {}),
      updateDate: services.now(),
    };
    services.store.saveAlias(updated);
    return { updateDate: updated.updateDate };
  },
});

export const deleteStateMachineAlias = defineAction({
  schema: z.object({ stateMachineAliasArn: z.string() }).loose(),
  async run(input, services) {
    await services.store.deleteAlias(aliasOf(input.stateMachineAliasArn, services).arn);
    return {};
  },
});

export const listStateMachineAliases = defineAction({
  schema: z
    .object({
      stateMachineArn: z.string(),
      ...pageFields,
    })
    .loose(),
  async run(input, services) {
    const machine = machineOf(input.stateMachineArn, services);
    const all = [...services.store.aliases.values()]
      .filter((a) => a.machineName === machine.name)
      .sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return {
      stateMachineAliases: page.map((a) => ({ stateMachineAliasArn: a.arn, creationDate: a.creationDate })),
      ...(nextToken ? { nextToken } : {}),
    };
  },
});
