import { ErrorBox } from '../components/error-box.tsx';
import { ExecutionsList } from '../components/executions-list.tsx';
import { DeadLettersPanel } from '../components/pipeline-panels.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { arnName, formatDate, formatDuration } from '../format.ts';
import { hrefOf } from '../routes.ts';
import { Link } from '../router.tsx';
import { sfn } from '../sfn-client.ts';
import type { MapRunCounts } from '../sfn-types.ts';
import { useData } from '../use-data.ts';

const counters: [keyof MapRunCounts, string][] = [
  ['pending', 'Pending'],
  ['running', 'Running'],
  ['succeeded', 'Succeeded'],
  ['failed', 'Failed'],
  ['timedOut', 'Timed out'],
  ['aborted', 'Aborted'],
  ['total', 'Total'],
];

/** A Map Run: its counters for executions and items, its limits, and its child executions. */
export function MapRunPage(props: { arn: string }) {
  const run = useData(props.arn, () => sfn.describeMapRun(props.arn), {
    pollMs: 1000,
    poll: (r) => r.status === 'RUNNING',
  });
  const r = run.data;
  if (run.error && !r) return <ErrorBox title="Could not read the Map Run" cause={run.error.message} />;
  if (!r) return <p class="muted">Loading the Map Run…</p>;
  return (
    <main>
      <nav class="crumbs" aria-label="Breadcrumbs">
        <Link href="/console/">State machines</Link> /{' '}
        <Link href={hrefOf.execution(r.executionArn)}>{arnName(r.executionArn)}</Link> / <span>Map Run</span>
      </nav>
      <h2>
        Map Run {arnName(r.mapRunArn)} <StatusBadge status={r.status} />
      </h2>
      <dl class="summary">
        <dt>Status</dt>
        <dd data-testid="map-run-status">{r.status}</dd>
        <dt>Map Run ARN</dt>
        <dd class="mono">{r.mapRunArn}</dd>
        <dt>Execution</dt>
        <dd>
          <Link href={hrefOf.execution(r.executionArn)}>{arnName(r.executionArn)}</Link>
        </dd>
        <dt>Started</dt>
        <dd>{formatDate(r.startDate)}</dd>
        <dt>Ended</dt>
        <dd>{formatDate(r.stopDate)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(r.startDate, r.stopDate)}</dd>
        <dt>Max concurrency</dt>
        <dd>{r.maxConcurrency === 0 ? '0 (no limit)' : r.maxConcurrency}</dd>
        <dt>Tolerated failure</dt>
        <dd>
          {r.toleratedFailurePercentage}% · {r.toleratedFailureCount} item(s)
        </dd>
        <dt>Redrive count</dt>
        <dd>{r.redriveCount ?? 0}</dd>
      </dl>
      <section class="panel" aria-labelledby="counts-heading">
        <h3 id="counts-heading">Counts</h3>
        <table class="counts">
          <thead>
            <tr>
              <th />
              {counters.map(([, label]) => (
                <th key={label}>{label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(
              [
                ['Child executions', r.executionCounts],
                ['Items', r.itemCounts],
              ] as const
            ).map(([label, counts]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {counters.map(([key]) => (
                  <td key={key}>{counts[key] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <ExecutionsList of={{ mapRunArn: props.arn }} title="Child executions" />
      <DeadLettersPanel executionArn={r.executionArn} version={`${r.status} ${r.redriveCount ?? 0}`} />
    </main>
  );
}
