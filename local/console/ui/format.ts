/** A date from the API (epoch seconds) as local date and time. */
export function formatDate(seconds: number | undefined): string {
  if (seconds === undefined) return '–';
  const date = new Date(seconds * 1000);
  return `${date.toLocaleDateString('en-CA')} ${date.toLocaleTimeString('en-GB')}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** The time between two API dates (epoch seconds), to now when it has not stopped. */
export function formatDuration(start: number | undefined, stop: number | undefined): string {
  if (start === undefined) return '–';
  const ms = Math.max(0, Math.round(((stop ?? Date.now() / 1000) - start) * 1000));
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** JSON text pretty-printed when it parses, as it is otherwise. */
export function prettyJson(text: string | undefined): string {
  if (text === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** An EXPRESS execution's ARN names the resource type `express` (`arn:aws:states:…:express:…`). */
export function isExpressExecution(arn: string): boolean {
  return arn.split(':')[5] === 'express';
}

/** The last part of an ARN, what a person calls the resource. */
export function arnName(arn: string): string {
  return arn.split(':').pop() ?? arn;
}
