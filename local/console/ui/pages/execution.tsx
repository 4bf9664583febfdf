import { useMemo, useState } from 'preact/hooks';
import { ErrorBox } from '../components/error-box.tsx';
import { EventsTable } from '../components/events-table.tsx';
import { ExecutionLogPanel } from '../components/execution-log.tsx';
import { IoProcessing } from '../components/io-processing.tsx';
import { JsonBlock } from '../components/json-block.tsx';
import { NewExecution } from '../components/new-execution.tsx';
import { DeadLettersPanel, FilePanels, LogsPanel } from '../components/pipeline-panels.tsx';
import { StateGraph } from '../components/state-graph.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { arnName, formatDate, formatDuration, isExpressExecution } from '../format.ts';
import { fileOf } from '../pipeline-file.ts';
import { hrefOf } from '../routes.ts';
import { Link } from '../router.tsx';
import { sfn } from '../sfn-client.ts';
import type { Execution, MapRunListItem, StateMachine } from '../sfn-types.ts';
import { stateDefinition, type StateDataFields } from '../state-definition.ts';
import { readStateProgress, type StateEntry, type StateProgress } from '../state-progress.ts';
import { useData } from '../use-data.ts';
import { useHistory } from '../use-history.ts';

interface ExecutionView {
  execution: Execution;
  machine: StateMachine;
  mapRuns: MapRunListItem[];
  /** Counts the reads, so that each one (a poll while running) reads the history again. */
  read: number;
}

let reads = 0;

async function loadExecution(arn: string): Promise<ExecutionView> {
  const [execution, machine, mapRuns] = await Promise.all([
    sfn.describeExecution(arn),
    sfn.describeStateMachineForExecution(arn),
    sfn.listMapRuns(arn),
  ]);
  return { execution, machine, mapRuns, read: ++reads };
}

/** Execution details: summary, actions, graph, states, events; live while it runs. */
export function ExecutionPage(props: { arn: string }) {
  const view = useData(props.arn, () => loadExecution(props.arn), {
    pollMs: 1000,
    poll: (v) => v.execution.status === 'RUNNING',
  });
  const [selected, setSelected] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const [tab, setTab] = useState<'graph' | 'states' | 'events'>('graph');
  const v = view.data;
  // AWS keeps no history of an EXPRESS execution (GetExecutionHistory answers InvalidArn): the
  // page shows what DescribeExecution gives. Otherwise the history is read again each time the
  // execution is (every second while it runs).
  const express = isExpressExecution(props.arn);
  const history = useHistory(props.arn, express ? undefined : v?.read);
  // What each state did is read from the whole history only (a part would mislead).
  const progress = useMemo(
    () => (v && history.complete ? readStateProgress(history.events, v.execution.status) : undefined),
    [history.events, history.complete, v?.execution.status],
  );
  if (view.error && !v) return <ErrorBox title="Could not read the execution" cause={view.error.message} />;
  if (!v) return <p class="muted">Loading the execution…</p>;
  const e = v.execution;
  const file = fileOf(e.input);
  const act = async (action: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await action();
    } catch (thrown) {
      setActionError((thrown as Error).message);
    }
    await view.reload();
  };
  const redrivable = e.redriveStatus === 'REDRIVABLE';
  // The pipeline's views change when the execution does: read again when it ends or is redriven.
  const pipelineVersion = `${e.status} ${e.redriveCount ?? 0}`;
  const exportJson = () => {
    const blob = new Blob([JSON.stringify({ execution: e, events: history.events }, null, 2)], {
      type: 'application/json',
    });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${e.name}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <main>
      <nav class="crumbs" aria-label="Breadcrumbs">
        <Link href="/console/">State machines</Link> /{' '}
        <Link href={hrefOf.stateMachine(e.stateMachineArn)}>{arnName(e.stateMachineArn)}</Link>
        {e.mapRunArn ? (
          <>
            {' '}
            / <Link href={hrefOf.mapRun(e.mapRunArn)}>Map Run</Link>
          </>
        ) : null}{' '}
        / <span>{e.name}</span>
      </nav>
      <div class="title-row">
        <h2>
          {e.name} <StatusBadge status={e.status} />
        </h2>
        <div class="actions">
          <button
            type="button"
            disabled={!redrivable}
            aria-describedby="redrive-reason"
            onClick={() => act(() => sfn.redriveExecution(e.executionArn))}
          >
            Redrive
          </button>
          <button
            type="button"
            disabled={e.status !== 'RUNNING' || express}
            onClick={() => act(() => sfn.stopExecution(e.executionArn))}
          >
            Stop
          </button>
          <button type="button" onClick={() => setStarting(true)}>
            New execution
          </button>
          <button type="button" class="secondary" onClick={exportJson}>
            Export JSON
          </button>
        </div>
      </div>
      {!redrivable && e.redriveStatusReason ? (
        <p id="redrive-reason" class="muted">
          Redrive: {e.redriveStatusReason}
        </p>
      ) : null}
      {actionError ? <ErrorBox title="The action failed" cause={actionError} /> : null}
      {history.error ? <ErrorBox title="Could not read the history" cause={history.error.message} /> : null}
      {starting ? (
        <NewExecution
          stateMachineArn={e.stateMachineArn}
          input={e.input ?? '{}'}
          onClose={() => setStarting(false)}
        />
      ) : null}
      {e.error || e.cause ? <ErrorBox title="Execution error" error={e.error} cause={e.cause} /> : null}
      <dl class="summary">
        <dt>Status</dt>
        <dd data-testid="execution-status">{e.status}</dd>
        <dt>Execution ARN</dt>
        <dd class="mono">{e.executionArn}</dd>
        {file ? (
          <>
            <dt>File</dt>
            <dd class="mono">{file}</dd>
          </>
        ) : null}
        <dt>State machine</dt>
        <dd>
          <Link href={hrefOf.stateMachine(e.stateMachineArn)}>{arnName(e.stateMachineArn)}</Link>
        </dd>
        <dt>Started</dt>
        <dd>{formatDate(e.startDate)}</dd>
        <dt>Ended</dt>
        <dd>{formatDate(e.stopDate)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(e.startDate, e.stopDate)}</dd>
        {express ? null : (
          <>
            <dt>History events</dt>
            <dd data-testid="event-count">
              {history.events.length.toLocaleString('en')}
              {history.complete ? '' : ' so far (reading the history…)'}
            </dd>
            <dt>State transitions</dt>
            <dd>{progress ? progress.entries.length.toLocaleString('en') : '…'}</dd>
          </>
        )}
        <dt>Redrive count</dt>
        <dd>{e.redriveCount ?? 0}</dd>
        <dt>Last redriven</dt>
        <dd>{formatDate(e.redriveDate)}</dd>
        <dt>Redrive status</dt>
        <dd>{e.redriveStatus ?? '–'}</dd>
        {v.mapRuns.length ? (
          <>
            <dt>Map Runs</dt>
            <dd>
              {v.mapRuns.map((run) => (
                <div key={run.mapRunArn}>
                  <Link href={hrefOf.mapRun(run.mapRunArn)}>{arnName(run.mapRunArn)}</Link>
                </div>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
      <div class="io">
        <JsonBlock title="Input" text={e.input} />
        <JsonBlock title="Output" text={e.output} />
      </div>
      <div class="pipeline">
        {file ? (
          <>
            <FilePanels executionArn={e.executionArn} version={pipelineVersion} />
            <DeadLettersPanel executionArn={e.executionArn} version={pipelineVersion} />
          </>
        ) : null}
        <LogsPanel executionArn={e.executionArn} version={pipelineVersion} />
      </div>
      {express ? null : (
        <div class="tabs" role="tablist">
          {(['graph', 'states', 'events'] as const).map((t) => (
            <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
              {{ graph: 'Graph view', states: 'Table view', events: 'Events' }[t]}
            </button>
          ))}
        </div>
      )}
      {express ? (
        <>
          <p class="muted" data-testid="no-history">
            AWS keeps no execution history for Express executions: there are no states or events to show, only
            what DescribeExecution returns above, and what its state machine logged to CloudWatch Logs.
          </p>
          <ExecutionLogPanel
            executionArn={e.executionArn}
            logging={v.machine.loggingConfiguration}
            version={pipelineVersion}
          />
          <section class="panel" aria-label="Graph">
            <StateGraph definition={v.machine.definition} />
          </section>
        </>
      ) : tab === 'graph' ? (
        <div class="graph-view">
          <section class="panel" aria-label="Graph">
            <StateGraph
              definition={v.machine.definition}
              progress={progress}
              selected={selected}
              onSelect={setSelected}
            />
          </section>
          {progress ? (
            <StateDetails name={selected} progress={progress} definition={v.machine.definition} />
          ) : (
            <aside class="panel state-details" aria-label="State details">
              <p class="muted">Reading the history…</p>
            </aside>
          )}
        </div>
      ) : tab === 'states' ? (
        !progress ? (
          <p class="muted">Reading the history…</p>
        ) : (
          <StatesTable
            progress={progress}
            onSelect={(name) => {
              setSelected(name);
              setTab('graph');
            }}
          />
        )
      ) : (
        <EventsTable events={history.events} complete={history.complete} />
      )}
    </main>
  );
}

function StateDetails(props: { name: string | undefined; progress: StateProgress; definition: string }) {
  if (!props.name)
    return (
      <aside class="panel state-details" aria-label="State details">
        <p class="muted">Select a state to see its input, output and error.</p>
      </aside>
    );
  const state = props.progress.byName.get(props.name);
  return (
    <aside class="panel state-details" aria-label="State details">
      <h3>
        {props.name} <StatusBadge status={state?.status ?? 'not reached'} />
      </h3>
      {state ? (
        <StateEntries
          key={props.name}
          entries={state.entries}
          retries={state.retries}
          fields={stateDefinition(props.definition, props.name)}
        />
      ) : (
        <p class="muted">This state was not reached.</p>
      )}
    </aside>
  );
}

// A state entered more than once (a Map's item states, a loop) shows one entry at a time, the
// latest first; the number picks another.
function StateEntries(props: {
  entries: StateEntry[];
  retries: number;
  fields: StateDataFields | undefined;
}) {
  const [chosen, setChosen] = useState(props.entries.length);
  const index = Math.min(Math.max(1, chosen), props.entries.length);
  const entry = props.entries[index - 1]!;
  return (
    <>
      <dl class="summary">
        <dt>Entered</dt>
        <dd>{props.entries.length.toLocaleString('en')} time(s)</dd>
        <dt>Retries</dt>
        <dd>{props.retries}</dd>
      </dl>
      {props.entries.length > 1 ? (
        <label class="entry-picker">
          Entry{' '}
          <input
            type="number"
            aria-label="Entry"
            min={1}
            max={props.entries.length}
            value={index}
            onInput={(event) => setChosen(Number(event.currentTarget.value))}
          />{' '}
          of {props.entries.length.toLocaleString('en')} <StatusBadge status={entry.status} />
        </label>
      ) : null}
      <dl class="summary">
        <dt>Started</dt>
        <dd>{formatDate(entry.startDate)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(entry.startDate, entry.stopDate)}</dd>
        <dt>Attempts</dt>
        <dd>{entry.attempts}</dd>
      </dl>
      {entry.error ? <ErrorBox title="Error" error={entry.error} cause={entry.cause} /> : null}
      <IoProcessing entry={entry} fields={props.fields} />
    </>
  );
}

function StatesTable(props: { progress: StateProgress; onSelect: (name: string) => void }) {
  return (
    <section class="panel" aria-label="States entered">
      <table>
        <thead>
          <tr>
            <th>State</th>
            <th>Type</th>
            <th>Status</th>
            <th>Started</th>
            <th>Duration</th>
          </tr>
        </thead>
        <tbody>
          {props.progress.entries.slice(0, 1000).map((entry) => (
            <tr key={entry.enteredEventId}>
              <td>
                <button type="button" class="link-button" onClick={() => props.onSelect(entry.name)}>
                  {entry.name}
                </button>
              </td>
              <td>{entry.type}</td>
              <td>
                <StatusBadge status={entry.status} />
              </td>
              <td>{formatDate(entry.startDate)}</td>
              <td>{formatDuration(entry.startDate, entry.stopDate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.progress.entries.length > 1000 ? (
        <p class="muted">
          The first 1,000 of {props.progress.entries.length.toLocaleString('en')} states entered.
        </p>
      ) : null}
    </section>
  );
}
