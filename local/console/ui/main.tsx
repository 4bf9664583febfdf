import { render } from 'preact';
import { ExecutionPage } from './pages/execution.tsx';
import { MapRunPage } from './pages/map-run.tsx';
import { StateMachinePage } from './pages/state-machine.tsx';
import { StateMachinesPage } from './pages/state-machines.tsx';
import { Link, useRoute } from './router.tsx';
import './styles.css';

function App() {
  const route = useRoute();
  return (
    <>
      <header class="top">
        <Link href="/console/" class="brand">
          Chute · Step Functions
        </Link>
        <span class="muted">local console</span>
      </header>
      {route.page === 'state-machines' ? (
        <StateMachinesPage />
      ) : route.page === 'state-machine' ? (
        <StateMachinePage key={route.arn} arn={route.arn} />
      ) : route.page === 'execution' ? (
        <ExecutionPage key={route.arn} arn={route.arn} />
      ) : route.page === 'map-run' ? (
        <MapRunPage key={route.arn} arn={route.arn} />
      ) : (
        <main>
          <h2>Not found</h2>
          <p>
            Nothing at {route.path}. <Link href="/console/">State machines</Link>
          </p>
        </main>
      )}
    </>
  );
}

render(<App />, document.getElementById('app')!);
