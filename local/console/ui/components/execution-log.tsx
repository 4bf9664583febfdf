import { formatDate } from '../format.ts';
import { logGroupNameOf, MAX_LOG_EVENTS, readExecutionLog } from '../logs-client.ts';
import type { StateMachine } from '../sfn-types.ts';
import { useData } from '../use-data.ts';
import { ErrorBox } from './error-box.tsx';

/**
 * What an Express execution has instead of a history: its events in its state machine's
 * CloudWatch Logs group, at the level the machine logs (a Map Run child: its parent's).
 */
export function ExecutionLogPanel(props: {
  executionArn: string;
  logging: StateMachine['loggingConfiguration'];
  version: string;
}) {
  const { logging } = props;
  const logGroupArn = logging?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
  const logGroupName =
    logging && logging.level !== 'OFF' && logGroupArn ? logGroupNameOf(logGroupArn) : undefined;
  const log = useData(`${props.executionArn} ${props.version} ${logGroupName}`, () =>
    logGroupName ? readExecutionLog(logGroupName, props.executionArn) : Promise.resolve([]),
  );
  if (!logGroupName)
    return (
      <section class="panel" aria-labelledby="execution-log-heading">
        <h3 id="execution-log-heading">Execution log</h3>
        <p class="muted">Its state machine does not log to CloudWatch Logs (logging level OFF).</p>
      </section>
    );
  if (log.error) return <ErrorBox title="Could not read the execution log" cause={log.error.message} />;
  if (!log.data) return null;
  const events = log.data;
  return (
    <section class="panel" aria-labelledby="execution-log-heading">
      <h3 id="execution-log-heading">
        Execution log ({events.length} events, level {logging!.level},{' '}
        <span class="mono">{logGroupName}</span>)
      </h3>
      {events.length === 0 ? (
        <p class="muted">No events of this execution at this level (or they are no longer kept).</p>
      ) : (
        <table class="events">
          <thead>
            <tr>
              <th>ID</th>
              <th>Type</th>
              <th>Time</th>
              <th>State</th>
              <th>Error</th>
              <th>Cause</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td>{event.id}</td>
                <td>{event.type}</td>
                <td>{formatDate(Number(event.event_timestamp) / 1000)}</td>
                <td>{event.details.name ?? ''}</td>
                <td>{event.details.error ?? ''}</td>
                <td class="mono cause">{event.details.cause ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {events.length === MAX_LOG_EVENTS ? (
        <p class="muted">Showing the first {MAX_LOG_EVENTS} events.</p>
      ) : null}
    </section>
  );
}
