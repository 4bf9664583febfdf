import { useState } from 'preact/hooks';
import { formatDate, formatDuration } from '../format.ts';
import { hrefOf } from '../routes.ts';
import { Link } from '../router.tsx';
import { sfn } from '../sfn-client.ts';
import { executionStatuses, type ExecutionStatus } from '../sfn-types.ts';
import { useData } from '../use-data.ts';
import { useFiles } from '../use-files.ts';
import { ErrorBox } from './error-box.tsx';
import { Pager } from './events-table.tsx';
import { StatusBadge } from './status-badge.tsx';

const PAGE = 25;

/**
 * Executions of a state machine or of a Map Run: status (and redrive) filters asked of the API,
 * search by name and paging in the page. Refreshes every 2 s while one is running.
 */
export function ExecutionsList(props: {
  of: { stateMachineArn: string } | { mapRunArn: string };
  title: string;
}) {
  const [status, setStatus] = useState<ExecutionStatus | ''>('');
  const [redriven, setRedriven] = useState<'' | 'REDRIVEN' | 'NOT_REDRIVEN'>('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const key = JSON.stringify([props.of, status, redriven]);
  const list = useData(
    key,
    () =>
      sfn.listExecutions({
        ...props.of,
        ...(status ? { statusFilter: status } : {}),
        ...(redriven ? { redriveFilter: redriven } : {}),
      }),
    { pollMs: 2000, poll: (executions) => executions.some((e) => e.status === 'RUNNING') },
  );
  const needle = search.trim().toLowerCase();
  const shown = (list.data ?? []).filter((e) => !needle || e.name.toLowerCase().includes(needle));
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const current = Math.min(page, pages - 1);
  const visible = shown.slice(current * PAGE, current * PAGE + PAGE);
  const files = useFiles(visible.map((e) => e.executionArn));
  const withFiles = visible.some((e) => files.get(e.executionArn));
  return (
    <section class="panel" aria-labelledby="executions-heading">
      <div class="toolbar">
        <h3 id="executions-heading">
          {props.title} ({list.data ? shown.length : '…'})
        </h3>
        <label>
          Status{' '}
          <select
            aria-label="Status filter"
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as ExecutionStatus | '');
              setPage(0);
            }}
          >
            <option value="">Any status</option>
            {executionStatuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Redrive{' '}
          <select
            aria-label="Redrive filter"
            value={redriven}
            onChange={(e) => {
              setRedriven(e.currentTarget.value as typeof redriven);
              setPage(0);
            }}
          >
            <option value="">Any</option>
            <option value="REDRIVEN">Redriven</option>
            <option value="NOT_REDRIVEN">Not redriven</option>
          </select>
        </label>
        <label>
          Search{' '}
          <input
            type="search"
            aria-label="Search by name"
            placeholder="name contains"
            value={search}
            onInput={(e) => {
              setSearch(e.currentTarget.value);
              setPage(0);
            }}
          />
        </label>
        <Pager page={current} pages={pages} onPage={setPage} label="Executions pages" />
      </div>
      {list.error ? <ErrorBox title="Could not list the executions" cause={list.error.message} /> : null}
      <table class="executions">
        <thead>
          <tr>
            <th>Name</th>
            {withFiles ? <th>File</th> : null}
            <th>Status</th>
            <th>Started</th>
            <th>Ended</th>
            <th>Duration</th>
            <th>Redrives</th>
          </tr>
        </thead>
        <tbody>
          {visible.map((e) => (
            <tr key={e.executionArn}>
              <td>
                <Link href={hrefOf.execution(e.executionArn)}>{e.name}</Link>
              </td>
              {withFiles ? <td class="mono">{files.get(e.executionArn) ?? ''}</td> : null}
              <td>
                <StatusBadge status={e.status} />
              </td>
              <td>{formatDate(e.startDate)}</td>
              <td>{formatDate(e.stopDate)}</td>
              <td>{formatDuration(e.startDate, e.stopDate)}</td>
              <td>{e.redriveCount ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data && shown.length === 0 ? <p class="muted">No executions match.</p> : null}
    </section>
  );
}
