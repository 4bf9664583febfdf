import { useState } from 'preact/hooks';
import { hrefOf } from '../routes.ts';
import { navigate } from '../router.tsx';
import { sfn } from '../sfn-client.ts';

/** The "New execution" form: a name and an input editor, prefilled with `input`. */
export function NewExecution(props: { stateMachineArn: string; input: string; onClose: () => void }) {
  const [input, setInput] = useState(props.input);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const start = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { executionArn } = await sfn.startExecution(
        props.stateMachineArn,
        input,
        name.trim() || undefined,
      );
      props.onClose();
      navigate(hrefOf.execution(executionArn));
    } catch (thrown) {
      setError((thrown as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel new-execution" aria-label="New execution" onSubmit={start}>
      <h3>New execution</h3>
      <label>
        Name (optional)
        <input
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          placeholder="generated if empty"
        />
      </label>
      <label>
        Input
        <textarea
          rows={10}
          spellcheck={false}
          value={input}
          onInput={(e) => setInput(e.currentTarget.value)}
        />
      </label>
      {error ? (
        <p class="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" disabled={busy}>
          Start execution
        </button>
        <button type="button" class="secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
