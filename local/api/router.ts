import { ApiError } from './api-error.ts';
import * as activities from './actions/activities.ts';
import * as executions from './actions/executions.ts';
import * as mapRuns from './actions/map-runs.ts';
import * as stateMachines from './actions/state-machines.ts';
import * as taskTokens from './actions/task-tokens.ts';
import * as tags from './actions/tags.ts';
import * as aliases from './actions/aliases.ts';
import * as versions from './actions/versions.ts';
import { testStateAction } from './actions/test-state.ts';
import type { Action, ApiServices } from './services.ts';

/** X-Amz-Target action name → its handler. */
const actions = {
  CreateStateMachine: stateMachines.createStateMachine,
  DescribeStateMachine: stateMachines.describeStateMachine,
  ListStateMachines: stateMachines.listStateMachines,
  UpdateStateMachine: stateMachines.updateStateMachine,
  DeleteStateMachine: stateMachines.deleteStateMachine,
  ValidateStateMachineDefinition: stateMachines.validateStateMachineDefinition,
  StartExecution: executions.startExecution,
  StartSyncExecution: executions.startSyncExecution,
  DescribeExecution: executions.describeExecution,
  DescribeStateMachineForExecution: executions.describeStateMachineForExecution,
  ListExecutions: executions.listExecutions,
  GetExecutionHistory: executions.getExecutionHistory,
  StopExecution: executions.stopExecution,
  RedriveExecution: executions.redriveExecution,
  DescribeMapRun: mapRuns.describeMapRun,
  ListMapRuns: mapRuns.listMapRuns,
  TestState: testStateAction,
  CreateActivity: activities.createActivity,
  DescribeActivity: activities.describeActivity,
  ListActivities: activities.listActivities,
  DeleteActivity: activities.deleteActivity,
  GetActivityTask: activities.getActivityTask,
  SendTaskSuccess: taskTokens.sendTaskSuccess,
  SendTaskFailure: taskTokens.sendTaskFailure,
  SendTaskHeartbeat: taskTokens.sendTaskHeartbeat,
  TagResource: tags.tagResource,
  UntagResource: tags.untagResource,
  ListTagsForResource: tags.listTagsForResource,
  PublishStateMachineVersion: versions.publishStateMachineVersion,
  ListStateMachineVersions: versions.listStateMachineVersions,
  DeleteStateMachineVersion: versions.deleteStateMachineVersion,
  CreateStateMachineAlias: aliases.createStateMachineAlias,
  DescribeStateMachineAlias: aliases.describeStateMachineAlias,
  UpdateStateMachineAlias: aliases.updateStateMachineAlias,
  DeleteStateMachineAlias: aliases.deleteStateMachineAlias,
  ListStateMachineAliases: aliases.listStateMachineAliases,
} as unknown as Record<string, Action<unknown>>;

/** Routes one AWS JSON 1.0 request (`AWSStepFunctions.<Action>`) to its action. */
export async function route(
  target: string | undefined,
  body: unknown,
  services: ApiServices,
): Promise<unknown> {
  const name = target?.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : undefined;
  // Own keys only: `constructor`, `__proto__` or `toString` are the table's prototype, not actions.
  const action = name && Object.hasOwn(actions, name) ? actions[name] : undefined;
  if (!action)
    throw new ApiError('UnknownOperationException', `Unknown operation: ${target ?? '(no X-Amz-Target)'}`);
  const parsed = action.schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError(
      'ValidationException',
      `1 validation error detected: Value at '${issue.path.join('.')}' failed to satisfy constraint: ${issue.message}`,
    );
  }
  return action.run(parsed.data, services);
}
