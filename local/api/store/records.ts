import type { MapRunCounts } from '../../engine/distributed-map/map-run-counts.ts';
import type { FinishedWork } from '../../engine/redrive-reuse.ts';
import type { LoggingConfiguration } from '../state-machine-logging.ts';

/** What the API keeps about a state machine. */
export interface MachineRecord {
  name: string;
  arn: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: number;
  updateDate?: number;
  tags: { key: string; value: string }[];
  /** Changes with each update of the definition or role; absent in records of older versions. */
  revisionId?: string;
  /** The highest version number published: a deleted version's number is never given again. */
  lastVersion?: number;
  /** Where and what its executions log (absent: OFF). */
  loggingConfiguration?: LoggingConfiguration;
}

/** A published version: an immutable copy of one revision of a machine. */
export interface VersionRecord {
  arn: string;
  machineName: string;
  version: number;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  revisionId: string;
  description?: string;
  creationDate: number;
}

/** An alias: a name that routes executions to one or two versions by weight. */
export interface AliasRecord {
  arn: string;
  machineName: string;
  name: string;
  description?: string;
  routingConfiguration: { stateMachineVersionArn: string; weight: number }[];
  creationDate: number;
  updateDate?: number;
}

/** An activity: a name workers poll (GetActivityTask) for the Tasks that name its ARN. */
export interface ActivityRecord {
  activityArn: string;
  name: string;
  creationDate: number;
  tags: { key: string; value: string }[];
}

export type ExecutionStatus =
  'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/** What the API keeps about an execution (its history lives in its own file). */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  /** The definition it runs (a Distributed Map child runs the ItemProcessor, not a stored machine). */
  definition: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  testCase?: string;
  roleArn: string;
  redriveCount: number;
  redriveDate?: number;
  mapRunArn?: string;
  /** The version it runs, when started from a version or an alias ARN. */
  stateMachineVersionArn?: string;
  /** The alias it was started through. */
  stateMachineAliasArn?: string;
  /** A Map Run child's items (a batch's `Items`, else 1): ListExecutions' `itemCount`. */
  itemCount?: number;
  lastEventId: number;
  /** Input and output left on disk only (finished Map Run children: thousands of batches). */
  offloaded?: boolean;
  /** The iterations or branches the failed inline Map or Parallel finished: a redrive reuses them. */
  finishedWork?: FinishedWork;
}

/** A Distributed Map run: its counts for DescribeMapRun and its children for a redrive. */
export interface MapRunRecord {
  mapRunArn: string;
  executionArn: string;
  stateName: string;
  /** The Map's Label, or the UUID that stands for it (absent in records of older versions). */
  label?: string;
  /** The children's state machine: `<machine ARN>/<label>`. */
  stateMachineArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: number;
  stopDate?: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  itemCounts: MapRunCounts;
  executionCounts: MapRunCounts;
  redriveCount: number;
  redriveDate?: number;
  /** Slim records of the children by index (status, ARN, error): what a redrive reuses. */
  children: unknown[];
}
