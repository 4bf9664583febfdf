import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { awsCli } from '../../support/aws-cli.ts';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startLocalCloud, type LocalCloud } from '../../../local/services/cloud.ts';
import { STREAMED_OBJECT_BYTES } from '../../../local/services/object-files.ts';

// Any UTF-8 string of up to 1,024 bytes is a legal key, `..` segments included
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html): every key is its own
// object, stored inside its bucket's directory of the data dir, whatever it holds.

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** A raw GET, so the path reaches the edge exactly as written (`%2f` and all). */
function rawGet(url: string, path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('S3 keys on the local cloud stay inside their bucket', () => {
  let dataDir: string;
  let cloud: LocalCloud;
  const escapeName = `chute-escape-${randomBytes(6).toString('hex')}`;
  // Ten `..` climb from buckets/<bucket>/objects/ past the data dir to / and down into the temp dir.
  const escapingKey = `${'../'.repeat(10)}${tmpdir().slice(1)}/${escapeName}`;
  const cli = async (...args: string[]): Promise<string> => awsCli(cloud.url, ...args);
  const getWithCli = async (bucket: string, key: string): Promise<Buffer> => {
    const out = join(dataDir, `got-${randomBytes(4).toString('hex')}`);
    await cli('s3api', 'get-object', '--bucket', bucket, '--key', key, out);
    const bytes = await readFile(out);
    await rm(out);
    return bytes;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chute-keys-'));
    cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
    await cli('s3', 'mb', 's3://mine');
    await cli('s3', 'mb', 's3://other');
  }, 60_000);
  afterAll(async () => {
    await cloud.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(join(tmpdir(), `${escapeName}.data`), { force: true });
    await rm(join(tmpdir(), `${escapeName}.meta.json`), { force: true });
  });

  it('put-object with a key of `..` segments writes nothing outside the data dir, and the object round-trips', async () => {
    const body = join(dataDir, 'body.txt');
    await writeFile(body, 'climbing\n');

    await cli('s3api', 'put-object', '--bucket', 'mine', '--key', escapingKey, '--body', body);

    expect(existsSync(join(tmpdir(), `${escapeName}.data`))).toBe(false);
    expect(existsSync(join(tmpdir(), `${escapeName}.meta.json`))).toBe(false);
    const stored = await filesUnder(join(dataDir, 's3', 'buckets', 'mine', 'objects'));
    expect(stored.filter((path) => path.includes(escapeName))).toHaveLength(2); // .data and .meta.json
    expect((await getWithCli('mine', escapingKey)).toString()).toBe('climbing\n');
    const listed = JSON.parse(await cli('s3api', 'list-objects-v2', '--bucket', 'mine')) as {
      Contents: { Key: string }[];
    };
    expect(listed.Contents.map((o) => o.Key)).toContain(escapingKey);
  }, 60_000);

  it('`a/../b`, `./b`, `a//b`, `b`, `x.data/y` and `x` are six objects, each with its own bytes (and after a restart)', async () => {
    const keys = ['a/../b', './b', 'a//b', 'b', 'x.data/y', 'x'];
    for (const key of keys)
      await cloud.clients.s3.send(new PutObjectCommand({ Bucket: 'mine', Key: key, Body: `object ${key}` }));
    for (const key of keys) expect((await getWithCli('mine', key)).toString()).toBe(`object ${key}`);

    await cloud.close();
    cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
    for (const key of keys) expect((await getWithCli('mine', key)).toString()).toBe(`object ${key}`);
  }, 60_000);

  it("an encoded `..%2f` GET through the edge's large-object path does not read another bucket's object", async () => {
    const secret = randomBytes(STREAMED_OBJECT_BYTES);
    await cloud.clients.s3.send(new PutObjectCommand({ Bucket: 'other', Key: 'secret.bin', Body: secret }));

    const climbed = await rawGet(cloud.url, '/mine/..%2f..%2fother%2fobjects%2fsecret.bin');
    expect(climbed.status).toBe(404);
    expect(climbed.body.toString()).toContain('<Code>NoSuchKey</Code>');
    expect(climbed.body.equals(secret)).toBe(false);
    const encodedBucket = await rawGet(cloud.url, '/%2e%2e%2fs3%2fbuckets%2fother/objects/secret.bin');
    expect(encodedBucket.body.equals(secret)).toBe(false);
  }, 60_000);

  it('a large object under `a/../big` is its own, not `big` (the edge reads the key as S3 does)', async () => {
    const [mine, theirs] = [randomBytes(STREAMED_OBJECT_BYTES), randomBytes(STREAMED_OBJECT_BYTES)];
    await cloud.clients.s3.send(new PutObjectCommand({ Bucket: 'mine', Key: 'a/../big', Body: mine }));
    await cloud.clients.s3.send(new PutObjectCommand({ Bucket: 'mine', Key: 'big', Body: theirs }));

    const got = await cloud.clients.s3.send(new GetObjectCommand({ Bucket: 'mine', Key: 'a/../big' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(mine)).toBe(true);
    expect((await getWithCli('mine', 'big')).equals(theirs)).toBe(true);
  }, 60_000);
});
