import { useMemo, useState } from 'preact/hooks';
import { formatDate } from '../format.ts';
import type { HistoryEvent } from '../sfn-types.ts';

const PAGE = 100;

function detailsOf(event: HistoryEvent): Record<string, unknown> | undefined {
  const key = Object.keys(event).find((k) => k.endsWith('EventDetails'));
  return key ? (event[key] as Record<string, unknown>) : undefined;
}

// One line of what an event is about: its state, its error, or its resource.
function summary(event: HistoryEvent): string {
  const details = detailsOf(event);
  if (!details) return '';
  const parts = [details.name, details.error, details.resource, details.mapRunArn].filter(
    (part): part is string => typeof part === 'string',
  );
  return parts.join(' · ');
}

/** AWS's events of an execution: filter by type, 100 a page, each expandable to its details. */
export function EventsTable(props: { events: readonly HistoryEvent[]; complete: boolean }) {
  const [type, setType] = useState('');
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const types = useMemo(() => [...new Set(props.events.map((e) => e.type))].sort(), [props.events]);
  const shown = useMemo(
    () => (type ? props.events.filter((e) => e.type === type) : props.events),
    [props.events, type],
  );
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const current = Math.min(page, pages - 1);
  const start = props.events[0]?.timestamp ?? 0;
  const toggle = (id: number) =>
    setOpen((was) => {
      const next = new Set(was);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <section class="panel" aria-labelledby="events-heading">
      <div class="toolbar">
        <h3 id="events-heading">
          Events ({props.events.length.toLocaleString('en')}
          {props.complete ? '' : ' so far'})
        </h3>
        <label>
          Type{' '}
          <select
            aria-label="Event type"
            value={type}
            onChange={(e) => {
              setType(e.currentTarget.value);
              setPage(0);
            }}
          >
            <option value="">All types</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <Pager page={current} pages={pages} onPage={setPage} label="Events pages" />
      </div>
      <table class="events">
        <thead>
          <tr>
            <th>ID</th>
            <th>Type</th>
            <th>Step</th>
            <th>Elapsed (ms)</th>
            <th>Time</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {shown.slice(current * PAGE, current * PAGE + PAGE).flatMap((event) => {
            const details = detailsOf(event);
            const rows = [
              <tr key={event.id} class={/Failed|TimedOut|Aborted/.test(event.type) ? 'failed-row' : ''}>
                <td>{event.id}</td>
                <td>{event.type}</td>
                <td>{summary(event)}</td>
                <td>{Math.round((event.timestamp - start) * 1000)}</td>
                <td>{formatDate(event.timestamp)}</td>
                <td>
                  {details ? (
                    <button
                      type="button"
                      class="link-button"
                      aria-expanded={open.has(event.id)}
                      onClick={() => toggle(event.id)}
                    >
                      {open.has(event.id) ? 'Hide' : 'Show'}
                    </button>
                  ) : null}
                </td>
              </tr>,
            ];
            if (details && open.has(event.id))
              rows.push(
                <tr key={`${event.id}-details`} class="details-row">
                  <td colSpan={6}>
                    <pre>{JSON.stringify(details, null, 2)}</pre>
                  </td>
                </tr>,
              );
            return rows;
          })}
        </tbody>
      </table>
    </section>
  );
}

/** Previous / next page buttons with "page n of m". */
export function Pager(props: { page: number; pages: number; onPage: (page: number) => void; label: string }) {
  return (
    <nav class="pager" aria-label={props.label}>
      <button type="button" disabled={props.page === 0} onClick={() => props.onPage(props.page - 1)}>
        Previous
      </button>
      <span>
        Page {props.page + 1} of {props.pages}
      </span>
      <button
        type="button"
        disabled={props.page >= props.pages - 1}
        onClick={() => props.onPage(props.page + 1)}
      >
        Next
      </button>
    </nav>
  );
}
