import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { TaskRequest, TaskRunner } from '../../local/engine/ports.ts';
import { StatesError } from '../../local/engine/errors.ts';
import { launchBrowser, screenshot, waitForText, type TestBrowser } from '../support/browser.ts';
import { roleArn, startSfn, waitForExecution, type RunningSfn } from '../support/sfn-server.ts';

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** `gate` waits until released (or aborted); `flaky` fails its first attempt; `broken` always fails. */
const tasks: TaskRunner & { release(): void } = {
  release: () => {},
  async run(request: TaskRequest): Promise<unknown> {
    if (request.resource === fn('gate'))
      return new Promise((resolve, reject) => {
        tasks.release = () => resolve({ released: true });
        request.signal.addEventListener('abort', () => reject(request.signal.reason));
      });
    if (request.resource === fn('flaky') && request.context.attempt === 0)
      throw new StatesError('Flaky.Once', 'first attempt fails');
    if (request.resource === fn('broken')) throw new StatesError('Broken.Always', 'never works');
    return { ok: true };
  },
};

// Parallel with a nested Map, a Choice, a retried Task, a caught Task and a Fail.
const nested = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: fn('flaky'),
      ResultPath: null,
      Retry: [{ ErrorEquals: ['Flaky.Once'], IntervalSeconds: 1 }],
      Next: 'Fan',
    },
    Fan: {
      Type: 'Parallel',
      Next: 'Choose',
      Branches: [
        { StartAt: 'A1', States: { A1: { Type: 'Pass', Next: 'A2' }, A2: { Type: 'Pass', End: true } } },
        {
          StartAt: 'Each',
          States: {
            Each: {
              Type: 'Map',
              ItemsPath: '$.items',
              ItemProcessor: {
                StartAt: 'Item',
                States: {
                  Item: {
                    Type: 'Task',
                    Resource: fn('broken'),
                    Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Skip' }],
                    End: true,
                  },
                  Skip: { Type: 'Pass', End: true },
                },
              },
              End: true,
            },
          },
        },
      ],
    },
    Choose: {
      Type: 'Choice',
      Choices: [{ Variable: '$[0].fail', BooleanEquals: true, Next: 'Boom' }],
      Default: 'Done',
    },
    Boom: { Type: 'Fail', Error: 'Custom.Boom', Cause: 'the input asked for it' },
    Done: { Type: 'Succeed' },
  },
};

const gated = {
  StartAt: 'Wait for the gate',
  States: {
    'Wait for the gate': { Type: 'Task', Resource: fn('gate'), Next: 'After' },
    After: { Type: 'Pass', End: true },
  },
};

// 6,249 turns of Increment → Check: 4 events each, plus 4 = 25,000 events.
const long = {
  StartAt: 'Increment',
  States: {
    Increment: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Check' },
    Check: {
      Type: 'Choice',
      Choices: [{ Variable: '$.n', NumericLessThan: 6249, Next: 'Increment' }],
      Default: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

describe('the console against the Step Functions API', () => {
  let sfn: RunningSfn;
  let browser: TestBrowser;
  const arns: Record<string, string> = {};
  const start = async (machine: string, input: object, name?: string) => {
    const { executionArn } = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: arns[machine], input: JSON.stringify(input), name }),
    );
    return executionArn!;
  };
  beforeAll(async () => {
    [sfn, browser] = await Promise.all([startSfn({ taskRunner: tasks }), launchBrowser()]);
    for (const [name, definition] of Object.entries({ nested, gated, long })) {
      const created = await sfn.client.send(
        new CreateStateMachineCommand({ name, roleArn, definition: JSON.stringify(definition) }),
      );
      arns[name] = created.stateMachineArn!;
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sfn?.close();
  });

  it('filters executions by status and redrive, searches names, and pages', async () => {
    for (let i = 0; i < 27; i++)
      await waitForExecution(sfn.client, await start('nested', { fail: false, items: [1] }, `ok-${i}`));
    const failed = [];
    for (const name of ['bad-1', 'bad-2'])
      failed.push(await start('nested', { fail: true, items: [1] }, name));
    for (const arn of failed) await waitForExecution(sfn.client, arn);
    await sfn.client.send(new RedriveExecutionCommand({ executionArn: failed[0] }));
    await waitForExecution(sfn.client, failed[0]!);
    const page = await browser.page();

    await page.goto(`${sfn.url}/console/`);
    await page.getByRole('link', { name: 'long' }).waitFor();
    await screenshot(page, 'state-machines');
    await page.getByRole('link', { name: 'nested' }).click();
    const heading = page.getByRole('heading', { name: /^Executions/ });
    const rows = page.locator('table.executions tbody tr');
    await waitForText(heading, 'Executions (29)');
    await waitForText(page.getByRole('navigation', { name: 'Executions pages' }), 'Page 1 of 2');
    expect(await rows.count()).toBe(25);
    await page.getByRole('button', { name: 'Next' }).click();
    await waitForText(page.getByRole('navigation', { name: 'Executions pages' }), 'Page 2 of 2');
    expect(await rows.count()).toBe(4);
    await screenshot(page, 'state-machine-executions');

    await page.getByRole('combobox', { name: 'Status filter' }).selectOption('FAILED');
    await waitForText(heading, 'Executions (2)');
    expect((await rows.allTextContents()).every((text) => text.includes('FAILED'))).toBe(true);
    await page.getByRole('combobox', { name: 'Redrive filter' }).selectOption('REDRIVEN');
    await waitForText(heading, 'Executions (1)');
    expect(await rows.first().textContent()).toContain('bad-1');

    await page.getByRole('combobox', { name: 'Status filter' }).selectOption('');
    await page.getByRole('combobox', { name: 'Redrive filter' }).selectOption('');
    await page.getByRole('searchbox', { name: 'Search by name' }).fill('ok-2');
    // ok-2 and ok-20 … ok-26
    await waitForText(heading, 'Executions (8)');

    await page.getByRole('tab', { name: 'Definition' }).click();
    await page
      .getByRole('region', { name: 'Definition graph' })
      .getByRole('button', { name: 'Boom' })
      .waitFor();
    await waitForText(page.getByRole('region', { name: 'Definition ASL' }), '"StartAt": "Prepare"');
    await screenshot(page, 'state-machine-definition');
    expect(page.errors).toEqual([]);
  }, 120_000);

  it('draws Parallel and a nested Map with what each state did, and shows a state when clicked', async () => {
    const arn = await start('nested', { fail: true, items: [1, 2] });
    await waitForExecution(sfn.client, arn);
    const page = await browser.page();
    const logsAnswer = page.waitForResponse((r) => r.url().includes('/console/api/pipeline/logs'));
    await page.goto(`${sfn.url}/console/executions/${arn}`);

    for (const name of [
      'Prepare: retried',
      'Fan: succeeded',
      'A1: succeeded',
      'A2: succeeded',
      'Each: succeeded',
      'Item: caught',
      'Skip: succeeded',
      'Choose: succeeded',
      'Boom: failed',
      'Done: not reached',
    ])
      await page.getByRole('button', { name, exact: true }).waitFor();
    expect(await page.locator('g.box.branch').count()).toBe(3); // two branches and an item processor
    await page.getByRole('button', { name: 'Item: caught' }).click();
    const details = page.getByRole('complementary', { name: 'State details' });
    await waitForText(details, 'Broken.Always');
    await waitForText(details, 'never works');
    // Entered once per item: the latest entry first, the number picks the other.
    const entry = details.getByRole('spinbutton', { name: 'Entry' });
    expect(await entry.inputValue()).toBe('2');
    const input = details.getByRole('region', { name: 'State input' });
    const first = (await input.textContent()) ?? '';
    await entry.fill('1');
    await page.waitForFunction(([element, before]) => element?.textContent !== before, [
      await input.elementHandle(),
      first,
    ] as const);
    expect([first, await input.textContent()].map((text) => text?.replace('State input', '')).sort()).toEqual(
      ['1', '2'],
    );
    await screenshot(page, 'graph-parallel-map');

    // A Task's input and output processing: its input, what it was scheduled with, its result,
    // the ResultPath that dropped it, and its output.
    await page.getByRole('button', { name: 'Prepare: retried' }).click();
    const processing = details.getByRole('region', { name: 'Input and output processing' });
    await waitForText(processing.getByRole('region', { name: 'Task result' }), '"ok": true');
    await waitForText(processing.getByRole('listitem', { name: 'ResultPath' }), 'null');
    expect(
      await processing.getByRole('region').evaluateAll((regions) => regions.map((r) => r.ariaLabel)),
    ).toEqual(['State input', 'After InputPath', 'Task result', 'State output']);
    await waitForText(processing.getByRole('region', { name: 'State output' }), '"fail": true');
    await screenshot(page, 'state-io-processing');

    // No pipeline behind `chute stepfunctions`: its views answer 404 and their panels stay hidden.
    expect((await logsAnswer).status()).toBe(404);
    expect(await page.getByRole('region', { name: /^Lambda logs/ }).count()).toBe(0);

    // The states entered, as a table: the Map's item state once per item.
    await page.getByRole('tab', { name: 'Table view' }).click();
    const states = page.getByRole('region', { name: 'States entered' }).locator('tbody tr');
    await states.first().waitFor();
    expect((await states.allTextContents()).filter((row) => row.startsWith('Item'))).toEqual([
      expect.stringContaining('caught'),
      expect.stringContaining('caught'),
    ]);

    // Export as JSON: the execution and its whole history.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
    expect(exported.execution).toMatchObject({ executionArn: arn, status: 'FAILED' });
    expect([exported.events[0].type, exported.events.at(-1).type]).toEqual([
      'ExecutionStarted',
      'ExecutionFailed',
    ]);
    expect(page.errors).toEqual([]);
  }, 60_000);

  it('updates a running execution live, stops one, and starts a new one from its input', async () => {
    const page = await browser.page();
    const running = await start('gated', { step: 1 });
    await page.goto(`${sfn.url}/console/executions/${running}`);
    const status = page.getByTestId('execution-status');
    await waitForText(status, 'RUNNING');
    await page.getByRole('button', { name: 'Wait for the gate: running' }).waitFor();
    expect(await page.getByRole('button', { name: 'Redrive', exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'execution-running');
    tasks.release();
    await waitForText(status, 'SUCCEEDED'); // no reload: the page polls while it runs
    await page.getByRole('button', { name: 'After: succeeded' }).waitFor();

    const stopped = await start('gated', { step: 2 });
    await page.goto(`${sfn.url}/console/executions/${stopped}`);
    await waitForText(status, 'RUNNING');
    await page.getByRole('button', { name: 'Stop' }).click();
    await waitForText(status, 'ABORTED');
    const described = await sfn.client.send(new DescribeExecutionCommand({ executionArn: stopped }));
    expect(described.status).toBe('ABORTED');

    await page.getByRole('button', { name: 'New execution' }).click();
    const editor = page.getByRole('textbox', { name: 'Input' });
    expect(JSON.parse(await editor.inputValue())).toEqual({ step: 2 });
    await editor.fill('{"step": 3}');
    await page.getByRole('textbox', { name: 'Name (optional)' }).fill('from-the-console');
    await page.getByRole('button', { name: 'Start execution' }).click();
    await page.waitForURL(/execution:gated:from-the-console$/);
    await waitForText(status, 'RUNNING');
    tasks.release();
    await waitForText(status, 'SUCCEEDED');
    await waitForText(page.getByRole('region', { name: 'Input' }), '"step": 3');
    expect(page.errors).toEqual([]);
  }, 60_000);

  it('opens an execution of 25,000 events', async () => {
    const arn = await start('long', { n: 0 });
    await waitForExecution(sfn.client, arn);
    const page = await browser.page();

    const started = performance.now();
    await page.goto(`${sfn.url}/console/executions/${arn}`);
    await waitForText(page.getByTestId('execution-status'), 'SUCCEEDED');
    await page.getByRole('button', { name: 'Done' }).waitFor(); // the graph, before the statuses
    const shown = performance.now() - started;
    await waitForText(page.getByTestId('event-count'), /^25,000$/, 60_000);
    await page.getByRole('button', { name: 'Done: succeeded' }).waitFor();
    const whole = performance.now() - started;
    await page.getByRole('tab', { name: 'Events' }).click();
    await waitForText(page.getByRole('heading', { name: /^Events/ }), 'Events (25,000)');
    await page.getByRole('combobox', { name: 'Event type' }).selectOption('ChoiceStateEntered');
    await waitForText(page.getByRole('navigation', { name: 'Events pages' }), 'Page 1 of 63');
    // The figures for the README (printed, not asserted: they depend on the machine).
    console.log(
      `25,000-event execution: summary and graph in ${Math.round(shown)} ms, ` +
        `all events read and every state's status in ${Math.round(whole)} ms`,
    );
    await screenshot(page, 'events-25000', false);
    expect(page.errors).toEqual([]);
  }, 120_000);
});
