/** A failed API call or an execution's error, said plainly. */
export function ErrorBox(props: { title?: string; error?: string; cause?: string | undefined }) {
  return (
    <div class="error-box" role="alert">
      <strong>{props.title ?? 'Error'}</strong>
      {props.error ? <div class="error-name">{props.error}</div> : null}
      {props.cause ? <pre class="cause">{props.cause}</pre> : null}
    </div>
  );
}
