/** A status as text in a coloured badge: the text says it, the colour only helps. */
export function StatusBadge(props: { status: string }) {
  const key = props.status.toLowerCase().replaceAll(/[^a-z]+/g, '-');
  return <span class={`badge status-${key}`}>{props.status}</span>;
}
