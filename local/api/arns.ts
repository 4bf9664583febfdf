import { ApiError } from './api-error.ts';

export interface Account {
  region: string;
  accountId: string;
}

export const stateMachineArn = (a: Account, name: string) =>
  `arn:aws:states:${a.region}:${a.accountId}:stateMachine:${name}`;
export const executionArn = (a: Account, machine: string, name: string, express = false) =>
  `arn:aws:states:${a.region}:${a.accountId}:${express ? 'express' : 'execution'}:${machine}:${name}`;

const namePattern = /^[A-Za-z0-9_\-.~]{1,80}$/;

/** Names of machines and executions: 1–80 characters, no whitespace, brackets or wildcards. */
export function checkName(name: string, what: string): void {
  if (!namePattern.test(name))
    throw new ApiError('InvalidName', `Invalid Name: '${name}' is not a valid ${what} name`);
}

/** `arn:…:stateMachine:NAME[#TestCase]` → its parts; anything else is InvalidArn. */
export function parseStateMachineArn(arn: string): { name: string; testCase?: string } {
  const match = /^arn:aws[\w-]*:states:[^:]*:\d*:stateMachine:([^:#]+)(?:#(.+))?$/.exec(arn);
  if (!match)
    throw new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  return { name: match[1]!, ...(match[2] ? { testCase: match[2] } : {}) };
}

export function checkExecutionArn(arn: string): void {
  if (!/^arn:aws[\w-]*:states:[^:]*:\d*:(execution|express):[^:]+:[^:]+(:[^:]+)?$/.test(arn)) {
    throw new ApiError('InvalidArn', `Invalid Arn: '${arn}'`);
  }
}

/**
 * `arn:…:stateMachine:NAME:QUALIFIER` (a version number or an alias name) or the machine's own
 * ARN → its parts (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html).
 */
export function parseQualifiedArn(arn: string): { name: string; qualifier?: string; testCase?: string } {
  const match = /^arn:aws[\w-]*:states:[^:]*:\d*:stateMachine:([^:#]+)(?::([^:#]+))?(?:#(.+))?$/.exec(arn);
  if (!match)
    throw new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  return {
    name: match[1]!,
    ...(match[2] ? { qualifier: match[2] } : {}),
    ...(match[3] ? { testCase: match[3] } : {}),
  };
}
