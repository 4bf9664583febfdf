import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Command } from 'commander';
import { ledgerItemOf } from '../../../workflow/ledger-item.ts';
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
      for (const { status, pk, loaded, rejected, error } of (page.Items ?? []).map(ledgerItemOf)) {
        const counts = loaded !== undefined ? ` loaded ${loaded} rejected ${rejected ?? 0}` : '';
        console.log(`${(status ?? '?').padEnd(9)} ${pk}${counts}${error ? ` — ${error}` : ''}`);
      }
      start = page.LastEvaluatedKey as typeof start;
    } while (start);
  });
}
