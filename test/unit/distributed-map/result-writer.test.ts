import { describe, expect, it } from '@jest/globals';
import type { ObjectStore } from '../../../local/engine/item-readers/object-store.ts';
import {
  writeMapRunResults,
  type ChildExecutionRecord,
} from '../../../local/engine/distributed-map/result-writer.ts';

const mapRunArn = 'arn:aws:states:us-east-1:000000000000:mapRun:pipeline/ProcessRows:5f0c1a2b';

function recordingStore(): ObjectStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    async putObject(bucket, key, body) {
      objects.set(`${bucket}/${key}`, body);
    },
    getObject: () => Promise.reject(new Error('not used')),
    listObjects: () => (async function* () {})(),
  };
}

const child = (name: string, status: ChildExecutionRecord['Status']): ChildExecutionRecord => ({
  ExecutionArn: `arn:aws:states:us-east-1:000000000000:execution:pipeline/ProcessRows:${name}`,
  Name: name,
  StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:pipeline/ProcessRows',
  Status: status,
  StartDate: '2026-11-22T10:00:00.000Z',
  StopDate: '2026-11-22T10:00:01.000Z',
  Input: '{"Items":[1]}',
  ...(status === 'SUCCEEDED' ? { Output: '{"ok":true}' } : { Error: 'TransientError', Cause: 'db down' }),
  RedriveCount: 0,
});

describe('writeMapRunResults', () => {
  it('writes one file per status group and a manifest listing them', async () => {
    const store = recordingStore();

    const details = await writeMapRunResults(
      [child('a', 'SUCCEEDED'), child('b', 'FAILED'), child('c', 'SUCCEEDED')],
      { bucket: 'chute', prefix: 'results/', mapRunArn },
      store,
    );

    expect(details).toEqual({ Bucket: 'chute', Key: 'results/5f0c1a2b/manifest.json' });
    const manifest = JSON.parse(store.objects.get('chute/results/5f0c1a2b/manifest.json')!);
    expect(manifest).toEqual({
      DestinationBucket: 'chute',
      MapRunArn: mapRunArn,
      ResultFiles: {
        FAILED: [{ Key: 'results/5f0c1a2b/FAILED_0.json', Size: expect.any(Number) }],
        PENDING: [],
        SUCCEEDED: [{ Key: 'results/5f0c1a2b/SUCCEEDED_0.json', Size: expect.any(Number) }],
      },
    });
    const succeeded = JSON.parse(store.objects.get('chute/results/5f0c1a2b/SUCCEEDED_0.json')!);
    expect(succeeded.map((entry: { Name: string }) => entry.Name)).toEqual(['a', 'c']);
    expect(succeeded[0]).toMatchObject({
      Output: '{"ok":true}',
      Status: 'SUCCEEDED',
      RedriveStatus: 'NOT_REDRIVABLE',
    });
    const failed = JSON.parse(store.objects.get('chute/results/5f0c1a2b/FAILED_0.json')!);
    expect(failed[0]).toMatchObject({
      Error: 'TransientError',
      Cause: 'db down',
      RedriveStatus: 'REDRIVABLE',
    });
    expect(failed[0]).not.toHaveProperty('Output');
  });
});
