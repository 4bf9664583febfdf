/** The item or execution counts of DescribeMapRun. */
export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable: number;
  pendingRedrive: number;
}

export const emptyCounts = (): MapRunCounts => ({
  pending: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  timedOut: 0,
  aborted: 0,
  total: 0,
  resultsWritten: 0,
  failuresNotRedrivable: 0,
  pendingRedrive: 0,
});

export type ChildStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

const countKey = {
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  TIMED_OUT: 'timedOut',
  ABORTED: 'aborted',
} as const;

/** Live counts of a Map Run: children (executions) and the items they carry. */
export class MapRunTally {
  readonly items = emptyCounts();
  readonly executions = emptyCounts();

  /**
   * A child for `itemCount` items is queued behind MaxConcurrency: a new one (`pending`), or on a
   * redrive one that did not succeed before (`pendingRedrive`, "unsuccessful child workflow
   * executions currently waiting to be redriven",
   * https://docs.aws.amazon.com/step-functions/latest/apireference/API_MapRunExecutionCounts.html).
   */
  queued(itemCount: number, redrive = false): void {
    const waiting = redrive ? 'pendingRedrive' : 'pending';
    this.items.total += itemCount;
    this.items[waiting] += itemCount;
    this.executions.total += 1;
    this.executions[waiting] += 1;
  }

  started(itemCount: number, redrive = false): void {
    const waiting = redrive ? 'pendingRedrive' : 'pending';
    this.items[waiting] -= itemCount;
    this.items.running += itemCount;
    this.executions[waiting] -= 1;
    this.executions.running += 1;
  }

  finished(itemCount: number, status: ChildStatus): void {
    this.items.running -= itemCount;
    this.items[countKey[status]] += itemCount;
    this.executions.running -= 1;
    this.executions[countKey[status]] += 1;
  }

  /** A child that succeeded in an earlier run and is reused by a redrive. */
  reused(itemCount: number): void {
    this.items.total += itemCount;
    this.items.succeeded += itemCount;
    this.executions.total += 1;
    this.executions.succeeded += 1;
  }

  /** Items that failed or timed out: what the tolerated failure threshold counts. */
  get failedItems(): number {
    return this.items.failed + this.items.timedOut;
  }
}
