import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LedgerItem } from '../../workflow/ledger-item.ts';
import type { DeadLetterEntry } from '../services/dead-letters.ts';
import type { FileRows } from '../services/file-rows.ts';
import type { FunctionInvocationLog } from '../services/function-logs.ts';
import { CONSOLE_API_PATH, isConsoleRequest, sendJson } from './serve-console.ts';

/** Where the console's read-only views of the pipeline are served (GET, JSON). */
export const PIPELINE_VIEWS_PATH = `${CONSOLE_API_PATH}pipeline/`;

/** Where each view reads from: the local cloud's ledger, database, queue and function logs. */
export interface PipelineViewSources {
  ledger(executionArn: string): Promise<LedgerItem[]>;
  rows(file: string, limit: number): Promise<FileRows>;
  deadLetters(executionArn: string): Promise<DeadLetterEntry[]>;
  logs(executionArn: string): readonly FunctionInvocationLog[];
}

/** A request for one of the pipeline views (or anything else under their path: it gets its 4xx). */
export function isPipelineViewRequest(req: IncomingMessage): boolean {
  return isConsoleRequest(req) && (req.url ?? '').startsWith(PIPELINE_VIEWS_PATH);
}

class BadRequest extends Error {
  override readonly name = 'BadRequest';
}

const MAX_URL_LENGTH = 4096;
// An execution ARN as Step Functions makes them (Map Run children's included); a file as the
// ledger names it: s3://bucket/key#etag. Both bounded, checked before anything reads them.
const executionArnPattern =
  /^arn:aws[a-z-]{0,16}:states:[a-z0-9-]{1,32}:\d{12}:(?:execution|express):[^\s]{1,600}$/;
const filePattern = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,62}\/[^\s#][^#]{0,1023}#[0-9a-f]{32}(?:-\d{1,5})?$/;

function param(query: URLSearchParams, name: string, pattern: RegExp): string {
  const values = query.getAll(name);
  if (values.length !== 1) throw new BadRequest(`Give one ${name}`);
  if (!pattern.test(values[0]!)) throw new BadRequest(`${name} is not valid`);
  return values[0]!;
}

function limitOf(query: URLSearchParams): number {
  const values = query.getAll('limit');
  if (values.length === 0) return 20;
  const limit = Number(values[0]);
  if (values.length > 1 || !/^\d{1,4}$/.test(values[0]!) || limit > 1000)
    throw new BadRequest('limit is a whole number from 0 to 1000');
  return limit;
}

const views: Record<string, (query: URLSearchParams, sources: PipelineViewSources) => Promise<unknown>> = {
  ledger: async (query, sources) => ({
    entries: await sources.ledger(param(query, 'executionArn', executionArnPattern)),
  }),
  rows: (query, sources) => sources.rows(param(query, 'file', filePattern), limitOf(query)),
  'dead-letters': async (query, sources) => ({
    deadLetters: await sources.deadLetters(param(query, 'executionArn', executionArnPattern)),
  }),
  logs: async (query, sources) => ({
    invocations: sources.logs(param(query, 'executionArn', executionArnPattern)),
  }),
};

/**
 * The console's views of the pipeline, for an execution: the ledger entries of its files, a
 * file's rows loaded and rejected by reason, its dead letters, and its functions' log lines.
 * Read-only (GET), parameters checked before use: anything else is a 4xx, a source that fails
 * (PostgreSQL down) a 503 that says why.
 */
export function servePipelineViews(
  sources: PipelineViewSources,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      try {
        if (req.method !== 'GET') {
          res.setHeader('allow', 'GET');
          return sendJson(res, 405, { message: 'The pipeline views are read with GET' });
        }
        if ((req.url ?? '').length > MAX_URL_LENGTH) throw new BadRequest('The URL is too long');
        const url = new URL(req.url ?? '/', 'http://local');
        const name = url.pathname.slice(PIPELINE_VIEWS_PATH.length);
        const view = Object.hasOwn(views, name) ? views[name] : undefined;
        if (!view) return sendJson(res, 404, { message: `No view at ${url.pathname}` });
        sendJson(res, 200, await view(url.searchParams, sources));
      } catch (error) {
        if (error instanceof BadRequest) return sendJson(res, 400, { message: error.message });
        if (!res.headersSent)
          sendJson(res, 503, { message: `Could not read it: ${(error as Error).message}` });
      }
    })();
  };
}
