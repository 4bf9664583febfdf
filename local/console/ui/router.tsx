import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

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

const listeners = new Set<() => void>();

/** Goes to a console path without reloading the page. */
export function navigate(href: string): void {
  history.pushState(null, '', href);
  listeners.forEach((listener) => listener());
}

/** The current route, following links and the browser's back and forward buttons. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** A real link (open in a new tab works) that navigates in place on a plain click. */
export function Link(props: { href: string; children: ComponentChildren; class?: string }) {
  return (
    <a
      href={props.href}
      class={props.class}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}
