// The Step Functions API's JSON as it travels (dates are epoch seconds), only the fields the
// console reads. https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html

export const executionStatuses = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: string;
  creationDate: number;
}

export interface StateMachine extends StateMachineListItem {
  definition: string;
  status?: string;
  roleArn?: string;
  /** Where its executions log (a Map Run child's: its parent machine's). */
  loggingConfiguration?: {
    level: 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
    includeExecutionData: boolean;
    destinations?: { cloudWatchLogsLogGroup?: { logGroupArn?: string } }[];
  };
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  mapRunArn?: string;
  redriveCount?: number;
  redriveDate?: number;
}

export interface Execution extends ExecutionListItem {
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveStatus?: 'REDRIVABLE' | 'NOT_REDRIVABLE' | 'REDRIVABLE_BY_MAP_RUN';
  redriveStatusReason?: string;
}

export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

export interface MapRunListItem {
  mapRunArn: string;
  executionArn: string;
  stateMachineArn: string;
  startDate: number;
  stopDate?: number;
}

export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable?: number;
  pendingRedrive?: number;
}

export interface MapRun {
  mapRunArn: string;
  executionArn: string;
  status: string;
  startDate: number;
  stopDate?: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  itemCounts: MapRunCounts;
  executionCounts: MapRunCounts;
  redriveCount?: number;
  redriveDate?: number;
}
