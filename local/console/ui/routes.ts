/** A page of the console, read from the location: deep links are plain paths under /console/. */
export type Route =
  | { page: 'state-machines' }
  | { page: 'state-machine'; arn: string }
  | { page: 'execution'; arn: string }
  | { page: 'map-run'; arn: string }
  | { page: 'not-found'; path: string };

const prefixes = {
  'state-machines/': 'state-machine',
  'executions/': 'execution',
  'map-runs/': 'map-run',
} as const;

/** Parses a pathname; the ARN is the rest of the path (map run ARNs contain '/'). */
export function parseRoute(pathname: string): Route {
  const rest = pathname.replace(/^\/console\/?/, '');
  if (rest === '' || rest === 'state-machines') return { page: 'state-machines' };
  for (const [prefix, page] of Object.entries(prefixes)) {
    if (rest.startsWith(prefix)) return { page, arn: decodeURIComponent(rest.slice(prefix.length)) };
  }
  return { page: 'not-found', path: pathname };
}

/** The console path of a resource, its ARN kept readable (encodeURI leaves ':' and '/'). */
export const hrefOf = {
  stateMachine: (arn: string) => `/console/state-machines/${encodeURI(arn)}`,
  execution: (arn: string) => `/console/executions/${encodeURI(arn)}`,
  mapRun: (arn: string) => `/console/map-runs/${encodeURI(arn)}`,
};
