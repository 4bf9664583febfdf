import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { fileEtag } from '../../../local/cli/file-etag.ts';
import { startLocalCloud, type LocalCloud } from '../../../local/services/cloud.ts';
import { PART_BYTES, uploadFile } from '../../../local/services/upload-file.ts';

// `chute run` names a file's ledger entry by the ETag it computes before uploading (file-etag.ts),
// then waits for that entry: the uploader's parts must be exactly the ones fileEtag assumes.

let dataDir: string;
let cloud: LocalCloud;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'chute-upload-file-'));
  cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
  await cloud.clients.s3.send(new CreateBucketCommand({ Bucket: 'files' }));
}, 60_000);
afterAll(async () => {
  await cloud.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('uploadFile', () => {
  it.each([
    ['empty', 0],
    ['small', 1_000],
    ['exactly one part', PART_BYTES],
    ['one byte over a part', PART_BYTES + 1],
    ['two parts and some', 2 * PART_BYTES + 12_345],
  ])(
    '%s (%i bytes): the object gets the ETag fileEtag computed beforehand',
    async (name, bytes) => {
      // Prepare
      const path = join(dataDir, `${bytes}.bin`);
      await writeFile(path, randomBytes(bytes));
      const key = `upload/${bytes}.bin`;

      // Act
      await uploadFile(cloud.clients.s3, 'files', key, path);

      // Assess
      const head = await cloud.clients.s3.send(new HeadObjectCommand({ Bucket: 'files', Key: key }));
      expect(head.ContentLength).toBe(bytes);
      expect(head.ETag).toBe(`"${await fileEtag(path)}"`);
    },
    60_000,
  );
});
