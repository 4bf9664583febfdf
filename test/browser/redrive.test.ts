import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '../../local/services/postgres.ts';
import { launchBrowser, screenshot, waitForText, type TestBrowser } from '../support/browser.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const header = 'order_id,customer_id,order_date,sku,quantity,unit_price,currency';
const ordersCsv = (prefix: string, count: number) =>
  [
    header,
    ...Array.from({ length: count }, (_, i) => `${prefix}-${i},C-001,2024-01-01,SKU-1,1,10.00,USD`),
  ].join('\n');

const statusOf = (page: Page, testId: string) => page.getByTestId(testId);

describe('the console, for a file that failed while PostgreSQL was down', () => {
  let postgres: RunningPostgres;
  let pgDir: string;
  let port: number;
  let local: TestPipeline;
  let browser: TestBrowser;
  beforeAll(async () => {
    pgDir = await mkdtemp(join(tmpdir(), 'chute-console-pg-'));
    port = await freePort();
    postgres = await startEmbeddedPostgres({ dataDir: pgDir, port });
    [local, browser] = await Promise.all([startTestPipeline(postgres.url), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
    await postgres?.stop();
    await rm(pgDir, { recursive: true, force: true });
  });

  it('shows the execution FAILED at the Map, the failed children, and redrives it to SUCCEEDED', async () => {
    await postgres.stop();
    const run = await local.ingest('input/orders/outage.csv', ordersCsv('P', 250));
    expect(run.status).toBe('FAILED');
    const page = await browser.page();

    // State machines → the pipeline's executions, filtered to the failed ones.
    await page.goto(`${local.cloud.url}/console/`);
    await page.getByRole('link', { name: 'chute-pipeline' }).click();
    await page.getByRole('combobox', { name: 'Status filter' }).selectOption('FAILED');
    const listed = page.locator('table.executions tbody tr');
    await waitForText(page.getByRole('heading', { name: /^Executions/ }), 'Executions (1)');
    await waitForText(listed, 'FAILED');
    const row = listed.first();
    await waitForText(row, `s3://${local.pipeline.bucket}/input/orders/outage.csv`); // the file it is for
    await screenshot(page, 'executions');

    // Execution details: FAILED, the Map state failed (in words), its error.
    await row.getByRole('link').click();
    await waitForText(statusOf(page, 'execution-status'), 'FAILED');
    await waitForText(page.getByRole('alert'), 'States.ExceedToleratedFailureThreshold');
    const map = page.getByRole('button', { name: 'ProcessCsvRows: failed' });
    await map.press('Enter'); // the keyboard works (its middle is covered by its item processor)
    await waitForText(
      page.getByRole('complementary', { name: 'State details' }),
      'States.ExceedToleratedFailureThreshold',
    );
    expect(await page.getByRole('button', { name: 'Redrive', exact: true }).isEnabled()).toBe(true);
    // The pipeline's views: the file's ledger entry, and its rows, which PostgreSQL, down, cannot give.
    await waitForText(page.getByTestId('ledger-entry'), run.fileId);
    await waitForText(page.getByRole('region', { name: 'Rows in PostgreSQL' }), 'Could not read the rows');
    await screenshot(page, 'execution-failed');

    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByRole('combobox', { name: 'Event type' }).selectOption('MapRunFailed');
    await page.getByRole('button', { name: 'Show' }).first().click();
    await waitForText(page.locator('tr.details-row'), 'States.ExceedToleratedFailureThreshold');
    await screenshot(page, 'events');

    // The Map Run: counters and the failed child executions, each opening its own details.
    await page
      .getByRole('link', { name: /^[0-9a-f-]{36}$/ })
      .first()
      .click();
    await waitForText(statusOf(page, 'map-run-status'), 'FAILED');
    await page.getByRole('combobox', { name: 'Status filter' }).selectOption('FAILED');
    const failedChildren = page.locator('table.executions tbody tr');
    await waitForText(failedChildren, 'FAILED');
    expect(await failedChildren.count()).toBeGreaterThanOrEqual(1);
    expect(await failedChildren.filter({ hasNotText: 'FAILED' }).count()).toBe(0);
    // … and the dead-letter messages of those batches: one per failed child, with its stage's error.
    const deadLetters = page.getByRole('region', { name: /^Dead letters/ });
    await waitForText(deadLetters, /Dead letters \([1-9]\d*\)/);
    const letters = deadLetters.locator('tbody tr');
    expect(await letters.count()).toBe(await failedChildren.count());
    expect((await letters.allTextContents()).every((text) => /(enrich|load)/.test(text))).toBe(true);
    await screenshot(page, 'map-run');
    const mapRunUrl = page.url();
    await failedChildren.first().getByRole('link').click();
    await waitForText(statusOf(page, 'execution-status'), 'FAILED');
    // The child is EXPRESS: no history to read (AWS keeps none), so the page shows what
    // DescribeExecution gives: the error its Fail state raised, after the stage had dead-lettered the batch.
    await waitForText(page.getByRole('alert'), 'TransientError');
    await waitForText(
      page.getByTestId('no-history'),
      'AWS keeps no execution history for Express executions',
    );
    expect(await page.getByRole('tab').count()).toBe(0);
    expect(await page.getByText('Could not read the history').count()).toBe(0);
    // What it has instead: its failure in the pipeline's CloudWatch Logs group (level ERROR).
    const executionLog = page.getByRole('region', { name: /^Execution log/ });
    await waitForText(executionLog, 'level ERROR');
    await waitForText(executionLog, 'TaskFailed');
    await waitForText(executionLog.locator('tr', { hasText: 'ExecutionFailed' }), 'TransientError');
    expect(await page.getByRole('button', { name: 'Stop', exact: true }).isDisabled()).toBe(true);
    // AWS redrives a Map Run's children only through their parent: the button says why it is off.
    expect(await page.getByRole('button', { name: 'Redrive', exact: true }).isDisabled()).toBe(true);
    await waitForText(page.locator('#redrive-reason'), 'redriven through its parent');
    // Each Lambda invocation of the child, with its log lines: the failing stage logged its error.
    const logs = page.getByRole('region', { name: /^Lambda logs/ });
    await waitForText(logs, 'chute-validate');
    const failedCall = logs
      .locator('details')
      .filter({ hasText: /chute-(enrich|load)/ })
      .last();
    await failedCall.locator('summary').click();
    await waitForText(failedCall.locator('pre'), /"level":"ERROR".*"message":"(enrich|load) failed"/);
    await waitForText(failedCall.locator('pre'), /^START RequestId: /);
    await screenshot(page, 'child-execution');

    // PostgreSQL back, Redrive pressed on the parent: the page follows it to SUCCEEDED.
    postgres = await startEmbeddedPostgres({ dataDir: pgDir, port });
    await page.goto(mapRunUrl);
    await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link').nth(1).click();
    await waitForText(statusOf(page, 'execution-status'), 'FAILED');
    await page.getByRole('button', { name: 'Redrive', exact: true }).click();
    await waitForText(statusOf(page, 'execution-status'), 'SUCCEEDED', 60_000);
    await page.getByRole('button', { name: 'ProcessCsvRows: succeeded' }).waitFor();
    expect(await page.getByRole('button', { name: 'Redrive', exact: true }).isDisabled()).toBe(true);
    // The ledger follows, every row is loaded, and the batches' dead letters are gone.
    await waitForText(page.getByTestId('ledger-entry'), 'SUCCEEDED');
    await waitForText(page.getByTestId('row-counts'), '250 loaded into orders, 0 rejected');
    await waitForText(page.getByRole('region', { name: /^Dead letters/ }), 'Dead letters (0)');
    await screenshot(page, 'execution-redriven');

    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT count(*)::int AS n, count(DISTINCT order_id)::int AS distinct_ids FROM orders WHERE order_id LIKE 'P-%'`,
    );
    await client.end();
    expect(rows[0]).toEqual({ n: 250, distinct_ids: 250 });
    expect(page.errors).toEqual([]);
  }, 180_000);
});
