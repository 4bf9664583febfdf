import { ErrorBox } from '../components/error-box.tsx';
import { formatDate } from '../format.ts';
import { hrefOf } from '../routes.ts';
import { Link } from '../router.tsx';
import { sfn } from '../sfn-client.ts';
import { useData } from '../use-data.ts';

/** The list of state machines. */
export function StateMachinesPage() {
  const machines = useData('state-machines', sfn.listStateMachines);
  return (
    <main>
      <h2>State machines</h2>
      {machines.error ? (
        <ErrorBox title="Could not list the state machines" cause={machines.error.message} />
      ) : null}
      <table class="panel">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {(machines.data ?? []).map((m) => (
            <tr key={m.stateMachineArn}>
              <td>
                <Link href={hrefOf.stateMachine(m.stateMachineArn)}>{m.name}</Link>
              </td>
              <td>{m.type}</td>
              <td>{formatDate(m.creationDate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {machines.data?.length === 0 ? <p class="muted">No state machines yet.</p> : null}
    </main>
  );
}
