import { ApiError } from './api-error.ts';
import { parseQualifiedArn } from './arns.ts';
import { aliasOf, routeAlias } from './actions/aliases.ts';
import type { ApiServices } from './services.ts';
import type { MachineRecord } from './store/records.ts';

/** What StartExecution runs: a machine's current revision, a version, or a version an alias picked. */
export interface StartTarget {
  machine: Pick<MachineRecord, 'arn' | 'name' | 'definition' | 'roleArn' | 'type'>;
  versionArn?: string;
  aliasArn?: string;
  testCase?: string;
}

const doesNotExist = (arn: string) =>
  new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);

/**
 * Resolves StartExecution's `stateMachineArn`: `…:stateMachine:NAME`, a version ARN
 * (`…:NAME:1`) or an alias ARN (`…:NAME:ALIAS`). The execution belongs to the machine; the
 * version and alias are said beside it (DescribeExecution's stateMachineVersionArn and
 * stateMachineAliasArn, https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html).
 */
export function startTargetOf(arn: string, services: ApiServices): StartTarget {
  const { name, qualifier, testCase } = parseQualifiedArn(arn);
  const machine = services.store.machines.get(name);
  if (!machine) throw doesNotExist(arn);
  const tested = testCase ? { testCase } : {};
  if (qualifier === undefined) return { machine, ...tested };
  const aliasArn = /^\d+$/.test(qualifier) ? undefined : `${machine.arn}:${qualifier}`;
  const versionArn = aliasArn ? routeAlias(aliasOf(aliasArn, services)) : `${machine.arn}:${qualifier}`;
  const version = services.store.versions.get(versionArn);
  if (!version) throw doesNotExist(arn);
  return {
    machine: { ...machine, definition: version.definition, roleArn: version.roleArn },
    versionArn,
    ...(aliasArn ? { aliasArn } : {}),
    ...tested,
  };
}
