import type { IncomingMessage } from 'node:http';
import type { S3RequestClass, UsageMeter } from './usage-meter.ts';

/**
 * The user agent of requests the local cloud makes for itself (reading an object back to build
 * its S3 event) or that measure it: nothing AWS would bill, so the edge does not count them.
 */
export const UNMETERED_USER_AGENT = 'chute-unmetered';

/** Whether a request was made by the local cloud for itself (see UNMETERED_USER_AGENT). */
export const isUnmetered = (req: IncomingMessage): boolean =>
  String(req.headers['user-agent'] ?? '').includes(UNMETERED_USER_AGENT);

/**
 * An S3 REST request's price class (https://aws.amazon.com/s3/pricing/, "Requests & data
 * retrievals"): PUT, COPY, POST and LIST at one price, GET and the other reads at another, DELETE free.
 */
export function s3RequestClass(method: string, target: string): S3RequestClass {
  const [path = '/', query = ''] = target.split('?', 2);
  const isObject = /^\/[^/]+\/.+/.test(path);
  if (method === 'DELETE') return 'free';
  if (method === 'PUT' || method === 'POST') return 'writeOrList';
  // GET on a bucket (or on the service) lists: ListObjects(V2), ListBuckets, ListMultipartUploads…
  if (method === 'GET' && !isObject && !/(^|&)(location|policy|acl|tagging|versioning)(=|&|$)/.test(query))
    return 'writeOrList';
  return 'read';
}

function whenRead(req: IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
}

/**
 * Counts one request through the edge to fauxqs (S3, SQS, SNS), by the protocol each speaks:
 * SQS's JSON protocol names its action in X-Amz-Target, SNS's query protocol in a form body,
 * everything else is S3 REST. The body is read alongside the proxy, never instead of it.
 */
export function meterFauxqsRequest(req: IncomingMessage, meter: UsageMeter): void {
  if (isUnmetered(req)) return;
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target.startsWith('AmazonSQS.')) {
    // A SendMessage(Batch) is billed per 64 KB of its messages; every other action is one request.
    whenRead(req, (body) => {
      const sent = /SendMessage/.test(target) ? Buffer.byteLength(body) : 0;
      meter.sqsRequest(sent);
    });
    return;
  }
  const form = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  if (req.method === 'POST' && form && (req.url ?? '/').split('?')[0] === '/') {
    whenRead(req, (body) => {
      const params = new URLSearchParams(body);
      if (params.get('Action') === 'Publish')
        meter.snsPublish(Buffer.byteLength(params.get('Message') ?? ''));
    });
    return;
  }
  meter.s3Request(s3RequestClass(req.method ?? 'GET', req.url ?? '/'));
}
