import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Command } from 'commander';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { clientsOf, withEndpoint } from '../endpoint.ts';

/** `chute files`: the ledger, one line per file the pipeline has claimed. */
export function registerFiles(program: Command): void {
  withEndpoint(
    program
      .command('files')
      .description('List the files in the ledger and how they ended')
      .addHelpText('after', '\nExample:\n  $ chute files --endpoint http://127.0.0.1:4566'),
  ).action(async (options: { endpoint: string }) => {
    const { dynamodb } = clientsOf(options);
    let start: Record<string, never> | undefined;
    do {
      const page = await dynamodb.send(
        new ScanCommand({
          TableName: ResourceNames.ledgerTable,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const counts = item.loaded ? ` loaded ${item.loaded.N} rejected ${item.rejected?.N ?? 0}` : '';
        console.log(
          `${(item.status?.S ?? '?').padEnd(9)} ${item.pk?.S}${counts}${item.error ? ` — ${item.error.S}` : ''}`,
        );
      }
      start = page.LastEvaluatedKey as typeof start;
    } while (start);
  });
}
