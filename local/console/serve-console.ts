import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { buildConsole, consoleIsStale, consolePaths } from './build-console.ts';

/** The console's URL prefix on the local cloud's endpoint and on `chute stepfunctions`. */
export const CONSOLE_PATH = '/console/';
/** Where the local cloud adds its read-only JSON views (`chute up`; none under `chute stepfunctions`). */
export const CONSOLE_API_PATH = `${CONSOLE_PATH}api/`;

const assetTypes: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};
// The bundle's own file names (app.js, app.css, chunk-<hash>.js): nothing else is served.
const assetName = /^(?:app|chunk-[A-Z0-9]+)\.(js|css)$/;

/**
 * A browser asking for the console: a GET under /console with no AWS signature. (An S3 GET of a
 * bucket called `console` is signed, so it still reaches S3.)
 */
export function isConsoleRequest(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = new URL(req.url ?? '/', 'http://local');
  if (url.pathname !== '/console' && !url.pathname.startsWith(CONSOLE_PATH)) return false;
  return !req.headers.authorization && !url.searchParams.has('X-Amz-Signature');
}

let ready: Promise<void> | undefined;

// Built once per process when the bundle is missing or older than the sources (a fresh clone
// has it from `npm ci`; someone editing the UI gets their change on the next start).
function ensureBuilt(): Promise<void> {
  ready ??= consoleIsStale().then((stale) => (stale ? buildConsole() : undefined));
  ready.catch(() => (ready = undefined));
  return ready;
}

function sendText(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

/** Answers JSON, never cached (the views change as executions run). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

/**
 * Serves the console: its two bundled assets, and index.html for every other path under
 * /console/ so that deep links (`/console/executions/<arn>`) work when pasted.
 */
export function serveConsole(req: IncomingMessage, res: ServerResponse): void {
  void (async () => {
    const { pathname } = new URL(req.url ?? '/', 'http://local');
    if (pathname === '/console') {
      res.writeHead(308, { location: CONSOLE_PATH });
      res.end();
      return;
    }
    // The pipeline's views are the local cloud's (it answers them before this is reached).
    if (pathname.startsWith(CONSOLE_API_PATH))
      return sendJson(res, 404, { message: 'There is no pipeline here: its views come with `chute up`' });
    try {
      await ensureBuilt();
      const asset = pathname.startsWith(`${CONSOLE_PATH}assets/`)
        ? pathname.slice(`${CONSOLE_PATH}assets/`.length)
        : undefined;
      if (asset !== undefined) {
        const type = assetTypes[assetName.exec(asset)?.[1] ?? ''];
        if (!type) return sendText(res, 404, 'text/plain', 'Not found');
        return sendText(res, 200, type, await readFile(join(consolePaths.dist, asset)));
      }
      sendText(res, 200, 'text/html; charset=utf-8', await readFile(join(consolePaths.dist, 'index.html')));
    } catch (error) {
      sendText(res, 500, 'text/plain', `The console could not be built: ${(error as Error).message}`);
    }
  })();
}
