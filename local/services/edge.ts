import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { isConsoleRequest } from '../console/serve-console.ts';
import { LOGS_TARGET_PREFIX } from './logs-api.ts';
import { proxyMeteringCapacity } from '../metering/dynamodb-capacity.ts';
import { meterFauxqsRequest } from '../metering/edge-meter.ts';
import type { UsageMeter } from '../metering/usage-meter.ts';
import { pathStyleObject } from './path-style.ts';

export interface EdgeRoutes {
  /** In-process Step Functions API. */
  stepFunctions(req: IncomingMessage, res: ServerResponse): void;
  /** `host:port` of dynalite. */
  dynamodb: string;
  /** `host:port` of fauxqs (S3, SQS, SNS). */
  fauxqs: string;
  /** Answers a GetObject itself (streaming a big object from disk); false leaves it to fauxqs. */
  getObject?(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Called after a request that created an S3 object succeeded (path-style `/bucket/key`). */
  onObjectWritten?(info: {
    bucket: string;
    key: string;
    method: string;
    query: URLSearchParams;
    headers: IncomingMessage['headers'];
    requestId: string;
  }): void;
  /** Counts the S3, SQS, SNS and DynamoDB requests that pass (`chute cost`). */
  meter?: UsageMeter;
}

/** Pipes a request to another local server and its response back, bodies streamed both ways. */
function proxy(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  onDone?: (status: number, headers: IncomingMessage['headers']) => void,
): void {
  const [hostname, port] = target.split(':');
  const upstream = httpRequest(
    { hostname, port: Number(port), method: req.method, path: req.url, headers: req.headers },
    (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
      response.on('end', () => onDone?.(response.statusCode ?? 502, response.headers));
    },
  );
  // A caller that goes away (an aborted long poll) takes its upstream request with it, so that
  // closing the cloud never waits on a request nobody will read.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`local cloud: ${error.message}`);
  });
  req.pipe(upstream);
}

// Writes that create an object: PutObject, CopyObject (PUT with x-amz-copy-source), CompleteMultipartUpload.
function objectWrite(
  req: IncomingMessage,
): { bucket: string; key: string; query: URLSearchParams } | undefined {
  const object = pathStyleObject(req.url);
  if (!object) return undefined;
  const q = new URL(req.url ?? '/', 'http://local').searchParams;
  if (
    req.method === 'PUT' &&
    !q.has('partNumber') &&
    !q.has('uploadId') &&
    !q.has('tagging') &&
    !q.has('acl')
  )
    return { ...object, query: q };
  if (req.method === 'POST' && q.has('uploadId')) return { ...object, query: q };
  return undefined;
}

/**
 * One endpoint for the whole local cloud, routed by protocol: Step Functions and DynamoDB by
 * their `X-Amz-Target`, everything else (S3 REST, SQS, SNS) to fauxqs. Binds to loopback.
 */
export async function startEdge(
  routes: EdgeRoutes,
  port: number,
  host = '127.0.0.1',
): Promise<{ server: Server; url: string; port: number }> {
  const server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    // The console is served by the Step Functions API it is a client of; the state machines'
    // CloudWatch Logs are kept by it too.
    if (
      target.startsWith('AWSStepFunctions.') ||
      target.startsWith(LOGS_TARGET_PREFIX) ||
      isConsoleRequest(req)
    )
      return routes.stepFunctions(req, res);
    if (target.startsWith('DynamoDB_')) {
      if (!routes.meter) return proxy(req, res, routes.dynamodb);
      proxyMeteringCapacity(req, res, routes.dynamodb, routes.meter).catch((error: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`local cloud: ${error.message}`);
      });
      return;
    }
    if (routes.meter) meterFauxqsRequest(req, routes.meter);
    if (req.method === 'GET' && routes.getObject) {
      routes
        .getObject(req, res)
        .then((served) => served || proxy(req, res, routes.fauxqs))
        .catch(() => proxy(req, res, routes.fauxqs));
      return;
    }
    const write = objectWrite(req);
    if (!write || !routes.onObjectWritten) return proxy(req, res, routes.fauxqs);
    proxy(req, res, routes.fauxqs, (status, headers) => {
      if (status === 200) {
        routes.onObjectWritten!({
          ...write,
          method: req.method ?? '',
          headers: req.headers,
          requestId: String(headers['x-amz-request-id'] ?? ''),
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return { server, url: `http://${host}:${actual}`, port: actual };
}
