/**
 * How AWS bills a STANDARD execution's history, one event at a time
 * (https://aws.amazon.com/step-functions/pricing/,
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-transitions.html):
 * - a transition each time a state is entered, inside inline Map iterations and Parallel
 *   branches too (the iteration itself is not one);
 * - a retry is one more transition;
 * - a redrive is one, and every state it runs again counts as above;
 * - a Distributed Map bills its parent one transition per child execution it starts.
 */
export interface TransitionCount {
  /** Task states entered so far in this execution. */
  tasksEntered: number;
  /** Work scheduled so far (a Task's first attempt and each retry). */
  scheduled: number;
}

const scheduledEvents = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);

/**
 * The transitions one event of a STANDARD execution adds. A retry shows in the history as work
 * scheduled again without the state being entered again, so it is counted as work scheduled
 * beyond the Task states entered (a Task that fails before scheduling anything hides one later
 * retry from this count: such a Task fails the state, it is not retried).
 */
export function transitionsOfEvent(eventType: string, count: TransitionCount): number {
  if (eventType === 'TaskStateEntered') count.tasksEntered++;
  if (eventType.endsWith('StateEntered')) return 1;
  if (eventType === 'ExecutionRedriven') return 1;
  if (scheduledEvents.has(eventType)) {
    count.scheduled++;
    return count.scheduled > count.tasksEntered ? 1 : 0;
  }
  return 0;
}
