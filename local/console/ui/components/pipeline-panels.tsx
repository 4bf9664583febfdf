import { arnName, formatDate } from '../format.ts';
import { pipeline, type FileRows, type LedgerEntry } from '../pipeline-client.ts';
import { hrefOf } from '../routes.ts';
import { Link } from '../router.tsx';
import { useData } from '../use-data.ts';
import { ErrorBox } from './error-box.tsx';
import { StatusBadge } from './status-badge.tsx';

// Each panel reads its view once per `version` (the execution's status and redrive count: what
// it shows changes when they do) and hides itself where there is no pipeline.

/** The ledger entries of the files an execution claimed, each with its rows from PostgreSQL. */
export function FilePanels(props: { executionArn: string; version: string }) {
  const ledger = useData(`${props.executionArn} ${props.version}`, async () => {
    const read = await pipeline.ledger(props.executionArn);
    if (!read) return undefined;
    return Promise.all(read.entries.map(async (entry) => ({ entry, rows: await rowsOf(entry.pk) })));
  });
  if (ledger.error) return <ErrorBox title="Could not read the ledger" cause={ledger.error.message} />;
  if (!ledger.data?.length) return null;
  return (
    <>
      {ledger.data.map(({ entry, rows }) => (
        <div class="pipeline-file" key={entry.pk}>
          <LedgerPanel entry={entry} />
          <RowsPanel rows={rows} />
        </div>
      ))}
    </>
  );
}

// A database that is down is said in the panel, not as a failure of the page.
const rowsOf = (file: string): Promise<FileRows | Error | undefined> =>
  pipeline.rows(file).catch((error: Error) => error);

function LedgerPanel(props: { entry: LedgerEntry }) {
  const e = props.entry;
  return (
    <section class="panel" aria-labelledby="ledger-heading">
      <h3 id="ledger-heading">Ledger entry</h3>
      <dl class="summary" data-testid="ledger-entry">
        <dt>File</dt>
        <dd class="mono">{e.pk}</dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={e.status ?? '–'} />
        </dd>
        <dt>Claimed</dt>
        <dd>{e.startedAt ?? '–'}</dd>
        <dt>Finished</dt>
        <dd>{e.finishedAt ?? '–'}</dd>
        <dt>Loaded</dt>
        <dd>{e.loaded ?? '–'}</dd>
        <dt>Rejected</dt>
        <dd>{e.rejected ?? '–'}</dd>
        {e.error ? (
          <>
            <dt>Error</dt>
            <dd class="error-text">{e.error}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function RowsPanel(props: { rows: FileRows | Error | undefined }) {
  const rows = props.rows;
  if (!rows) return null;
  return (
    <section class="panel" aria-labelledby="rows-heading">
      <h3 id="rows-heading">Rows in PostgreSQL</h3>
      {rows instanceof Error ? (
        <ErrorBox title="Could not read the rows" cause={rows.message} />
      ) : (
        <>
          <p data-testid="row-counts">
            {rows.loaded.toLocaleString('en')} loaded{rows.table ? ` into ${rows.table}` : ''},{' '}
            {rows.rejected.toLocaleString('en')} rejected
          </p>
          {rows.rejectedByReason.length ? (
            <table aria-label="Rejected by reason">
              <thead>
                <tr>
                  <th>Stage</th>
                  <th>Reason</th>
                  <th>Rows</th>
                </tr>
              </thead>
              <tbody>
                {rows.rejectedByReason.map((r) => (
                  <tr key={`${r.stage} ${r.reason}`}>
                    <td>{r.stage}</td>
                    <td>{r.reason}</td>
                    <td>{r.rows}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      )}
    </section>
  );
}

/** The dead letters of an execution (the pipeline's, or the child's that sent them). */
export function DeadLettersPanel(props: { executionArn: string; version: string }) {
  const letters = useData(`${props.executionArn} ${props.version}`, () =>
    pipeline.deadLetters(props.executionArn),
  );
  if (letters.error)
    return <ErrorBox title="Could not read the dead-letter queue" cause={letters.error.message} />;
  if (!letters.data) return null;
  const list = letters.data.deadLetters;
  return (
    <section class="panel" aria-labelledby="dead-letters-heading">
      <h3 id="dead-letters-heading">Dead letters ({list.length})</h3>
      {list.length === 0 ? (
        <p class="muted">No batch of this execution is in the dead-letter queue.</p>
      ) : (
        <table class="dead-letters">
          <thead>
            <tr>
              <th>Sent</th>
              <th>Stage</th>
              <th>Error</th>
              <th>Rows</th>
              <th>Batch (child execution)</th>
            </tr>
          </thead>
          <tbody>
            {list.map((entry) => (
              <tr key={entry.messageId}>
                <td>{entry.sentAt ? formatDate(Date.parse(entry.sentAt) / 1000) : '–'}</td>
                <td>{entry.letter?.stage ?? '–'}</td>
                <td>
                  <div class="error-name">{entry.letter?.error ?? 'not a dead letter'}</div>
                  <div class="muted cause">{entry.letter?.cause ?? entry.raw}</div>
                </td>
                <td>{entry.rows}</td>
                <td>
                  {entry.letter?.execution ? (
                    <Link href={hrefOf.execution(entry.letter.execution)}>
                      {arnName(entry.letter.execution)}
                    </Link>
                  ) : (
                    '–'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Each Lambda invocation of an execution, with its log lines (what CloudWatch Logs would hold). */
export function LogsPanel(props: { executionArn: string; version: string }) {
  const logs = useData(`${props.executionArn} ${props.version}`, () => pipeline.logs(props.executionArn));
  if (logs.error) return <ErrorBox title="Could not read the Lambda logs" cause={logs.error.message} />;
  if (!logs.data) return null;
  const list = logs.data.invocations;
  return (
    <section class="panel" aria-labelledby="logs-heading">
      <h3 id="logs-heading">Lambda logs ({list.length} invocations)</h3>
      {list.length === 0 ? (
        <p class="muted">
          This execution invoked no function of the local cloud (or its logs are no longer kept).
        </p>
      ) : (
        list.map((invocation) => (
          <details class="invocation" key={invocation.requestId}>
            <summary>
              <span class="mono">{invocation.functionName}</span> · {invocation.stateName ?? '–'} ·{' '}
              {Math.round(invocation.durationMs)} ms{' '}
              {invocation.error ? <StatusBadge status={invocation.error} /> : null}
            </summary>
            <pre>{invocation.lines.join('\n')}</pre>
          </details>
        ))
      )}
    </section>
  );
}
