import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadBatch } from '../../../functions/load/load.ts';
import {
  notifyFailure,
  notifyFile,
  type NotifyInput,
  type Publisher,
} from '../../../functions/notify/notify.ts';
import { createPool } from '../../../functions/shared/db.ts';
import { createLookupPort } from '../../../functions/shared/db.ts';
import { migrate } from '../../../functions/shared/migrate.ts';
import { getDataset } from '../../../workflow/datasets/index.ts';
import { batchOf, orderRecord } from '../../support/batches.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { stageBatch } from '../../support/pipeline-stages.ts';

let db: ScratchDatabase;
beforeAll(async () => {
  db = await createScratchDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** Collects what would go to SNS (the SNS path itself is exercised end to end on the local cloud). */
function collectingPublisher() {
  const sent: Parameters<Publisher['publish']>[0][] = [];
  return { sent, publisher: { publish: async (m: (typeof sent)[number]) => void sent.push(m) } };
}

const fileOf = (id: string) => ({ id, bucket: 'chute', key: 'input/orders/n.csv' });

describe('notify', () => {
  it('publishes the counts PostgreSQL holds for the file', async () => {
    // Prepare: two batches of one file, with rejects of two kinds.
    const file = 's3://chute/input/orders/n.csv#e1';
    const records = [
      orderRecord({ order_id: 'N-1' }),
      orderRecord({ order_id: 'N-2', quantity: 'lots' }),
      orderRecord({ order_id: 'N-3', currency: 'ZZZ' }),
    ];
    const more = [orderRecord({ order_id: 'N-4' }), orderRecord({ order_id: 'N-5', quantity: '0' })];
    for (const batch of [
      batchOf('orders', records, { file }),
      batchOf('orders', more, { file, firstIndex: 3 }),
    ]) {
      await loadBatch(await stageBatch(batch, createLookupPort(db.pool)), getDataset('orders'), db.pool);
    }
    const { sent, publisher } = collectingPublisher();
    const input: NotifyInput = {
      file: fileOf(file),
      dataset: 'orders',
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:pipeline:n',
      startedAt: '2026-11-22T10:00:00.000Z',
      status: 'SUCCEEDED',
    };

    // Act
    const summary = await notifyFile(input, {
      dataset: getDataset('orders'),
      pool: db.pool,
      publisher,
      now: () => new Date('2026-11-22T10:00:12.500Z'),
    });

    // Assess
    expect(summary).toMatchObject({
      loaded: 2,
      rejected: 3,
      rejectedByReason: { 'clean: quantity': 2, 'enrich: currency': 1 },
      durationSeconds: 12.5,
      status: 'SUCCEEDED',
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe('Chute: input/orders/n.csv loaded (2 loaded, 3 rejected)');
    expect(JSON.parse(sent[0]!.body)).toEqual(summary);
  });

  it('summarises a failed run with its error, even for an unknown dataset', async () => {
    // Prepare
    const { sent, publisher } = collectingPublisher();

    // Act
    const summary = await notifyFile(
      {
        file: fileOf('s3://chute/input/nope/x.csv#e1'),
        dataset: 'nope',
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:pipeline:f',
        startedAt: '2026-11-22T10:00:00.000Z',
        status: 'FAILED',
        failedBatches: 3,
        error: { Error: 'UnknownDatasetError', Cause: "Unknown dataset 'nope'" },
      },
      { dataset: undefined, pool: db.pool, publisher, now: () => new Date('2026-11-22T10:00:01Z') },
    );

    // Assess
    expect(summary).toMatchObject({
      status: 'FAILED',
      loaded: 0,
      rejected: 0,
      failedBatches: 3,
      error: 'UnknownDatasetError',
    });
    expect(sent[0]!.subject).toContain('FAILED');
    expect(sent[0]!.attributes).toEqual({ dataset: 'nope', status: 'FAILED' });
  });
});

describe('the failure notification', () => {
  it('goes out with the counts marked unknown when PostgreSQL does not answer', async () => {
    // Prepare: a pool on a port where nothing listens.
    const { sent, publisher } = collectingPublisher();
    const down = createPool('postgres://chute:chute@127.0.0.1:9/chute');

    // Act
    const summary = await notifyFailure(
      {
        file: fileOf('s3://chute/input/orders/n.csv#e2'),
        dataset: 'orders',
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:pipeline:d',
        startedAt: '2026-11-22T10:00:00.000Z',
        status: 'FAILED',
        error: { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'threshold' },
      },
      {
        dataset: getDataset('orders'),
        pool: async () => down,
        publisher,
        now: () => new Date('2026-11-22T10:00:02Z'),
      },
    );
    await down.end();

    // Assess
    expect(summary).toMatchObject({ status: 'FAILED', loaded: null, rejected: null });
    expect(summary.countsUnknown).toContain('the database could not be read');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe('Chute: input/orders/n.csv FAILED (counts unknown)');
  });
});

describe('migrations', () => {
  it('running them again is a no-op', async () => {
    expect(await migrate(db.url)).toEqual([]);
  });
});
