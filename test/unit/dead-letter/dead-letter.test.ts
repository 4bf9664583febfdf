import { describe, expect, it } from '@jest/globals';
import {
  EXECUTION_ATTRIBUTE,
  PAYLOAD_SIZE_ATTRIBUTE,
  POINTER_CLASS,
  clearDeadLetters,
  pointerOf,
  rowsOf,
  sendDeadLetter,
  sqsSafeJson,
  type DeadLetterQueuePort,
  type PayloadStore,
  type QueueMessage,
} from '../../../functions/dead-letter/dead-letter.ts';
import { transientIfRetryable } from '../../../functions/shared/aws-errors.ts';

// SQS's set (SendMessage, MessageBody), tested by code point.
const outsideSqs = (text: string) =>
  [...text].filter((c) => {
    const p = c.codePointAt(0)!;
    return !(
      p === 0x9 ||
      p === 0xa ||
      p === 0xd ||
      (p >= 0x20 && p <= 0xd7ff) ||
      (p >= 0xe000 && p <= 0xfffd) ||
      (p >= 0x10000 && p <= 0x10ffff)
    );
  });

/** A queue and a store in memory: what the handler does through SQS and S3. */
function memory(maxMessageBytes: number) {
  const messages: QueueMessage[] = [];
  const objects = new Map<string, string>();
  const queue: DeadLetterQueuePort = {
    maxMessageBytes: async () => maxMessageBytes,
    send: async (body, attributes) => {
      messages.push({
        body,
        attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, v.StringValue])),
      });
      return `m${messages.length}`;
    },
    sweep: async (visit) => {
      for (const message of [...messages])
        if (await visit(message)) messages.splice(messages.indexOf(message), 1);
    },
  };
  const store: PayloadStore = {
    put: async (key, body) => {
      objects.set(key, body);
      return { s3BucketName: 'chute', s3Key: key };
    },
    remove: async ({ s3Key }) => void objects.delete(s3Key),
  };
  return { messages, objects, queue, store, newId: () => `id${objects.size}` };
}

const parent = 'arn:aws:states:us-east-1:0:execution:chute-pipeline:run-1';
const batchOf = (values: unknown[], executionArn = parent) => ({
  BatchInput: {
    file: { id: 's3://chute/input/orders/x.csv#e', bucket: 'chute', key: 'input/orders/x.csv' },
    dataset: 'orders',
    executionArn,
  },
  Items: values.map((value, index) => ({ index, value })),
});
const failure = (batch: unknown) => ({
  action: 'send' as const,
  stage: 'load',
  error: 'DatabaseError',
  cause: 'refused',
  execution: 'arn:aws:states:us-east-1:0:execution:chute-pipeline/Rows:child-1',
  batch,
});

describe('sqsSafeJson', () => {
  it.each([
    ['astral characters', '\u{1F600} \u{10FFFF}'],
    ['U+FFFE and U+FFFF', '\uFFFE\uFFFF'],
    ['C0 controls and NUL', '\u0000\u0001\u001F'],
    ['lone surrogates', '\uD800 \uDFFF'],
    ['replacement characters', '\uFFFD'],
  ])('writes %s as escapes SQS accepts, and parses back to the same value', (_, text) => {
    const value = { text, nested: [text] };

    const json = sqsSafeJson(value);

    expect(outsideSqs(json)).toEqual([]);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('rowsOf', () => {
  it('counts items before validate, rows and rejects after', () => {
    expect(rowsOf({ Items: [1, 2, 3] })).toBe(3);
    expect(rowsOf({ rows: [1, 2], rejected: [3] })).toBe(3);
    expect(rowsOf('not a batch')).toBe(0);
  });
});

describe('sendDeadLetter', () => {
  it('sends the letter itself when it fits, tagged with the pipeline execution', async () => {
    const m = memory(1_048_576);

    const result = await sendDeadLetter(failure(batchOf(['\u{1F4A9}', 'b'])), m);

    expect(result).toMatchObject({ offloaded: false, rows: 2 });
    expect(m.messages).toHaveLength(1);
    expect(m.messages[0]!.attributes).toEqual({ [EXECUTION_ATTRIBUTE]: parent });
    expect(JSON.parse(m.messages[0]!.body)).toMatchObject({
      stage: 'load',
      parentExecution: parent,
      rows: 2,
      batch: { Items: [{ value: '\u{1F4A9}' }, { value: 'b' }] },
    });
  });

  it('keeps a letter over the queue limit in S3 and sends an extended-client pointer', async () => {
    const m = memory(1024);

    const result = await sendDeadLetter(failure(batchOf(['x'.repeat(2000)])), m);

    expect(result.offloaded).toBe(true);
    const [message] = m.messages;
    expect(JSON.parse(message!.body)).toEqual([
      POINTER_CLASS,
      { s3BucketName: 'chute', s3Key: 'dead-letters/run-1/id0.json' },
    ]);
    expect(pointerOf(message!.body)).toEqual({ s3BucketName: 'chute', s3Key: 'dead-letters/run-1/id0.json' });
    const stored = m.objects.get('dead-letters/run-1/id0.json')!;
    expect(message!.attributes[PAYLOAD_SIZE_ATTRIBUTE]).toBe(String(Buffer.byteLength(stored)));
    expect(JSON.parse(stored)).toMatchObject({ rows: 1, parentExecution: parent });
  });

  it('still sends a letter whose batch envelope is malformed', async () => {
    const m = memory(1_048_576);

    await sendDeadLetter(failure({ nonsense: true }), m);

    expect(m.messages).toHaveLength(1);
    expect(m.messages[0]!.attributes).toEqual({});
  });
});

describe('clearDeadLetters', () => {
  it("removes one execution's letters and their S3 payloads, and nothing else", async () => {
    const m = memory(1024);
    await sendDeadLetter(failure(batchOf(['x'.repeat(2000)])), m);
    await sendDeadLetter(failure(batchOf(['y'.repeat(2000)], `${parent}-other`)), m);

    const { removed } = await clearDeadLetters(parent, m);

    expect(removed).toBe(1);
    expect([...m.objects.keys()]).toEqual(['dead-letters/run-1-other/id1.json']);
    expect(m.messages.map((x) => x.attributes[EXECUTION_ATTRIBUTE])).toEqual([`${parent}-other`]);
  });
});

describe('transientIfRetryable', () => {
  it('makes what the SDK would retry a TransientError (the name the ASL retries), and leaves the rest', () => {
    const throttled = Object.assign(new Error('slow down'), { $retryable: { throttling: true } });
    const unavailable = Object.assign(new Error('unavailable'), { $metadata: { httpStatusCode: 503 } });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const missing = Object.assign(new Error('no queue'), {
      name: 'QueueDoesNotExist',
      $metadata: { httpStatusCode: 400 },
    });

    for (const error of [throttled, unavailable, refused])
      expect((transientIfRetryable(error) as Error).name).toBe('TransientError');
    expect(transientIfRetryable(missing)).toBe(missing);
  });
});
