import { useState } from 'preact/hooks';
import { ErrorBox } from '../components/error-box.tsx';
import { ExecutionsList } from '../components/executions-list.tsx';
import { NewExecution } from '../components/new-execution.tsx';
import { StateGraph } from '../components/state-graph.tsx';
import { formatDate, prettyJson } from '../format.ts';
import { Link } from '../router.tsx';
import { sfn } from '../sfn-client.ts';
import { useData } from '../use-data.ts';

/** One state machine: its executions, and its definition as a graph and as ASL. */
export function StateMachinePage(props: { arn: string }) {
  const machine = useData(props.arn, () => sfn.describeStateMachine(props.arn));
  const [tab, setTab] = useState<'executions' | 'definition'>('executions');
  const [starting, setStarting] = useState(false);
  const m = machine.data;
  return (
    <main>
      <nav class="crumbs" aria-label="Breadcrumbs">
        <Link href="/console/">State machines</Link> / <span>{m?.name ?? '…'}</span>
      </nav>
      {machine.error ? (
        <ErrorBox title="Could not read the state machine" cause={machine.error.message} />
      ) : null}
      <div class="title-row">
        <h2>{m?.name ?? '…'}</h2>
        <div class="actions">
          <button type="button" disabled={!m} onClick={() => setStarting(true)}>
            New execution
          </button>
        </div>
      </div>
      {m ? (
        <dl class="summary">
          <dt>ARN</dt>
          <dd class="mono">{m.stateMachineArn}</dd>
          <dt>Type</dt>
          <dd>{m.type}</dd>
          <dt>Created</dt>
          <dd>{formatDate(m.creationDate)}</dd>
        </dl>
      ) : null}
      {starting ? (
        <NewExecution stateMachineArn={props.arn} input="{}" onClose={() => setStarting(false)} />
      ) : null}
      <div class="tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'executions'}
          onClick={() => setTab('executions')}
        >
          Executions
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'definition'}
          onClick={() => setTab('definition')}
        >
          Definition
        </button>
      </div>
      {tab === 'executions' ? (
        <ExecutionsList of={{ stateMachineArn: props.arn }} title="Executions" />
      ) : m ? (
        <div class="definition">
          <section class="panel" aria-label="Definition graph">
            <StateGraph definition={m.definition} />
          </section>
          <section class="panel" aria-label="Definition ASL">
            <pre>{prettyJson(m.definition)}</pre>
          </section>
        </div>
      ) : null}
    </main>
  );
}
