import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { isUnmetered } from './edge-meter.ts';
import type { UsageMeter } from './usage-meter.ts';

const readOperations = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const writeOperations = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

interface Consumed {
  CapacityUnits?: number;
}

const unitsOf = (consumed: unknown): number =>
  (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
    (sum: number, c: Consumed) => sum + (c.CapacityUnits ?? 0),
    0,
  );

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * Proxies a DynamoDB request to dynalite and counts the request units it consumed, as on-demand
 * tables bill them (a write per 1 KB of item, the larger of before and after; a read per 4 KB,
 * half for an eventually consistent one: https://aws.amazon.com/dynamodb/pricing/on-demand/).
 * dynalite sizes items as DynamoDB does, so it is asked for ReturnConsumedCapacity; when the
 * caller had not asked, the figure is taken out of the reply again (and its CRC32 made anew,
 * which the SDK checks), so the caller sees what it would have seen.
 */
export async function proxyMeteringCapacity(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  meter: UsageMeter,
): Promise<void> {
  const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
  const isRead = readOperations.has(operation);
  const metered = !isUnmetered(req) && (isRead || writeOperations.has(operation));
  let body = await readAll(req);
  let askedForCapacity = true;
  if (metered) {
    const request = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    askedForCapacity =
      request.ReturnConsumedCapacity !== undefined && request.ReturnConsumedCapacity !== 'NONE';
    if (!askedForCapacity)
      body = Buffer.from(JSON.stringify({ ...request, ReturnConsumedCapacity: 'TOTAL' }));
  }
  const [hostname, port] = target.split(':');
  const upstream = httpRequest(
    {
      hostname,
      port: Number(port),
      method: req.method,
      path: req.url,
      headers: { ...req.headers, 'content-length': String(body.length) },
    },
    (response) => {
      void readAll(response).then((raw) => {
        let reply = raw;
        const headers = { ...response.headers };
        if (metered && response.statusCode === 200) {
          const parsed = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
          const units = unitsOf(parsed.ConsumedCapacity);
          meter.dynamodbCapacity(isRead ? { read: units, write: 0 } : { read: 0, write: units });
          if (!askedForCapacity) {
            delete parsed.ConsumedCapacity;
            reply = Buffer.from(JSON.stringify(parsed));
            headers['x-amz-crc32'] = String(crc32(reply));
          }
        }
        headers['content-length'] = String(reply.length);
        res.writeHead(response.statusCode ?? 502, headers);
        res.end(reply);
      });
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`local cloud: ${error.message}`);
  });
  upstream.end(body);
}
