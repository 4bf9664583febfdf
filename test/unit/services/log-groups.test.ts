import { describe, expect, it } from '@jest/globals';
import { LogGroups } from '../../../local/services/log-groups.ts';
import { answerLogsRequest } from '../../../local/services/logs-api.ts';

const put = (groups: LogGroups, message: string, arns: string[], group = 'g') =>
  groups.put({ logGroupName: group, logStreamName: 's', timestamp: 1, message }, arns);

describe('LogGroups', () => {
  it('drops the oldest events past its budget, from its group and from every execution they were under', () => {
    // Each event counts its message plus 128: a budget of 3 such events of 72 characters.
    const groups = new LogGroups(600);
    const text = (n: number) => `${n}`.padEnd(72, '.');
    put(groups, text(1), ['child-1', 'parent']);
    put(groups, text(2), ['child-2', 'parent']);
    put(groups, text(3), ['parent']);

    put(groups, text(4), ['child-2']);

    expect(groups.ofGroup('g').map((e) => e.message[0])).toEqual(['2', '3', '4']);
    expect(groups.ofExecution('child-1')).toEqual([]);
    expect(groups.ofExecution('parent').map((e) => e.message[0])).toEqual(['2', '3']);
    expect(groups.ofExecution('child-2').map((e) => e.message[0])).toEqual(['2', '4']);
  });
});

describe('the local CloudWatch Logs API', () => {
  const groups = new LogGroups();
  for (let i = 1; i <= 5; i++) put(groups, `event ${i} of "arn-${i % 2}"`, []);
  const filter = (body: object) =>
    answerLogsRequest('Logs_20140328.FilterLogEvents', { logGroupName: 'g', ...body }, groups);

  it('FilterLogEvents matches every term, quoted or not, and pages by nextToken', () => {
    const first = filter({ filterPattern: 'event "arn-1"', limit: 2 }).body as {
      events: { message: string }[];
      nextToken: string;
    };
    const rest = filter({ filterPattern: 'event "arn-1"', nextToken: first.nextToken }).body as {
      events: { message: string }[];
      nextToken?: string;
    };

    expect([...first.events, ...rest.events].map((e) => e.message)).toEqual([
      'event 1 of "arn-1"',
      'event 3 of "arn-1"',
      'event 5 of "arn-1"',
    ]);
    expect(rest.nextToken).toBeUndefined();
  });

  it.each([
    ['a group that does not exist', { logGroupName: 'nope' }, 'ResourceNotFoundException'],
    ['a JSON filter pattern', { filterPattern: '{ $.type = "TaskFailed" }' }, 'InvalidParameterException'],
    ['a limit over 10,000', { limit: 10_001 }, 'InvalidParameterException'],
  ])('FilterLogEvents refuses %s with AWS error type', (_what, body, type) => {
    expect(filter(body)).toMatchObject({ status: 400, body: { __type: type } });
  });

  it('answers an action it does not have with UnknownOperationException', () => {
    expect(answerLogsRequest('Logs_20140328.PutLogEvents', {}, groups)).toMatchObject({
      status: 400,
      body: { __type: 'UnknownOperationException' },
    });
  });
});
