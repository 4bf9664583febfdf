import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ledgerItemOf, type LedgerItem } from '../../workflow/ledger-item.ts';

/**
 * The ledger entries of the files an execution claimed (a batch of small files shares one
 * execution). The ledger is keyed by file, so this scans it, page by page.
 */
export async function ledgerEntriesOf(
  dynamodb: DynamoDBClient,
  table: string,
  executionArn: string,
): Promise<LedgerItem[]> {
  const entries: LedgerItem[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'executionArn = :arn',
        ExpressionAttributeValues: marshall({ ':arn': executionArn }),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    entries.push(...(page.Items ?? []).map(ledgerItemOf));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return entries.sort((a, b) => a.pk.localeCompare(b.pk));
}
