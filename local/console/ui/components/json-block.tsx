import { prettyJson } from '../format.ts';

/** JSON text pretty-printed in a scrollable block, with a caption. */
export function JsonBlock(props: { title: string; text: string | undefined }) {
  return (
    <section class="json-block" aria-label={props.title}>
      <h4>{props.title}</h4>
      {props.text === undefined ? <p class="muted">None</p> : <pre>{prettyJson(props.text)}</pre>}
    </section>
  );
}
