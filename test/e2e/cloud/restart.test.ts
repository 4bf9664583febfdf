import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startLocalCloud, type LocalCloud } from '../../../local/services/cloud.ts';

// Closing and starting the local cloud again on the same data dir loses nothing that was said done.
describe('closing and restarting the local cloud', () => {
  let dataDir: string;
  let cloud: LocalCloud;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chute-multipart-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  // Parts live on disk only (patches/fauxqs+2.4.1.patch): an upload begun before a restart must
  // still complete after it, with every byte in place.
  it('a multipart upload completes with the parts uploaded before the restart', async () => {
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(1000)];
    cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
    await cloud.clients.s3.send(new CreateBucketCommand({ Bucket: 'parts' }));
    const { UploadId } = await cloud.clients.s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'parts', Key: 'whole.bin' }),
    );
    const etags: string[] = [];
    for (const [i, body] of parts.entries()) {
      const { ETag } = await cloud.clients.s3.send(
        new UploadPartCommand({ Bucket: 'parts', Key: 'whole.bin', UploadId, PartNumber: i + 1, Body: body }),
      );
      etags.push(ETag!);
    }
    await cloud.close();

    cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
    const completed = await cloud.clients.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'parts',
        Key: 'whole.bin',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    expect(completed.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);

    const stored = await cloud.clients.s3.send(new GetObjectCommand({ Bucket: 'parts', Key: 'whole.bin' }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
    const second = await cloud.clients.s3.send(
      new GetObjectCommand({ Bucket: 'parts', Key: 'whole.bin', PartNumber: 2 }),
    );
    expect(Buffer.from(await second.Body!.transformToByteArray()).equals(parts[1]!)).toBe(true);
    await cloud.close();
  }, 120_000);

  it('an object written just before closing still has its Object Created event delivered', async () => {
    cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
    const delivered: unknown[] = [];
    cloud.bus.putRule({
      name: 'all-objects',
      pattern: { source: ['aws.s3'], 'detail-type': ['Object Created'] },
      target: async (event) => void delivered.push(event),
    });
    await cloud.clients.s3.send(new CreateBucketCommand({ Bucket: 'events' }));
    await cloud.clients.s3.send(new PutObjectCommand({ Bucket: 'events', Key: 'last.txt', Body: 'last' }));
    await cloud.close();

    expect(delivered).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ object: expect.objectContaining({ key: 'last.txt' }) }),
      }),
    ]);
  }, 60_000);
});
