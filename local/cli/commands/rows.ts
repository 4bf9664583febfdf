import { resolve } from 'node:path';
import { basename } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Command } from 'commander';
import pg from 'pg';
import { datasets } from '../../../workflow/datasets/index.ts';
import { ledgerItemOf } from '../../../workflow/ledger-item.ts';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { clientsFor, type AwsClients } from '../../services/aws-clients.ts';
import { CliError } from '../cli-error.ts';
import { readConnection } from '../connection-file.ts';
import { fileEtag } from '../file-etag.ts';
import { startLocalPipeline } from '../local-pipeline.ts';
import { plural } from '../plural.ts';
import { datasetOfFile } from './run.ts';

interface Session {
  clients: AwsClients;
  databaseUrl: string;
  close(): Promise<void>;
}

/** The running `chute up` of the data dir, or the local pipeline started for this one command. */
async function openSession(data: string): Promise<Session> {
  const running = await readConnection(resolve(data));
  if (running) {
    const clients = clientsFor(running.endpoint);
    return {
      clients,
      databaseUrl: running.databaseUrl,
      close: async () => Object.values(clients).forEach((client) => client.destroy()),
    };
  }
  const started = await startLocalPipeline({ port: 0, data });
  return { clients: started.cloud.clients, databaseUrl: started.pipeline.databaseUrl, close: started.close };
}

/** The ledger's id of the file an argument names: an id, an execution ARN or a local file. */
async function fileIdOf(argument: string, session: Session, dataset: string | undefined): Promise<string> {
  if (/^s3:\/\/[^/]+\/.+#.+$/.test(argument)) return argument;
  if (argument.startsWith('arn:aws:states:')) {
    const { Items } = await session.clients.dynamodb.send(
      new ScanCommand({
        TableName: ResourceNames.ledgerTable,
        FilterExpression: 'executionArn = :arn',
        ExpressionAttributeValues: marshall({ ':arn': argument }),
      }),
    );
    const id = Items?.[0] && ledgerItemOf(Items[0]).pk;
    if (!id) throw new CliError(`no file in the ledger was claimed by ${argument}`);
    return id;
  }
  const name = dataset ?? datasetOfFile(argument);
  if (!name) throw new CliError(`${argument}: which dataset? The name does not say: pass --dataset`);
  const etag = await fileEtag(argument).catch(() => {
    throw new CliError(`${argument}: no such file (give a file, an execution ARN or s3://bucket/key#etag)`);
  });
  return `s3://${ResourceNames.bucket}/input/${name}/${basename(argument)}#${etag}`;
}

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/** `chute rows FILE|ARN`: what one file loaded and what it rejected, and why. */
export function registerRows(program: Command): void {
  program
    .command('rows')
    .description('Show the rows a file loaded and the rows it rejected, with their reasons')
    .argument('<file>', 'a local file, an execution ARN, or s3://bucket/key#etag')
    .option(
      '--data <dir>',
      'the local cloud’s data dir (a running `chute up` is used when it holds it)',
      '.chute',
    )
    .option('--dataset <name>', 'the dataset, when the file name does not say it')
    .option('--limit <n>', 'how many rows of each kind to print', '20')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
Examples:
  $ chute rows samples/orders.csv
  $ chute rows arn:aws:states:us-east-1:000000000000:execution:chute-pipeline:<id> --limit 5`,
    )
    .action(
      async (
        argument: string,
        options: { data: string; dataset?: string; limit: string; json?: boolean },
      ) => {
        const session = await openSession(options.data);
        const client = new pg.Client({ connectionString: session.databaseUrl });
        try {
          const file = await fileIdOf(argument, session, options.dataset);
          const dataset = datasets[file.split('/')[4] ?? '']; // s3://bucket/input/<dataset>/…
          const limit = Math.max(0, Number(options.limit) || 0);
          await client.connect();
          const count = async (table: string) =>
            Number(
              (
                await client.query<{ n: string }>(
                  `SELECT count(*) AS n FROM ${table} WHERE source_file = $1`,
                  [file],
                )
              ).rows[0]?.n ?? 0,
            );
          const loaded = dataset
            ? (
                await client.query(
                  `SELECT * FROM ${quote(dataset.table)} WHERE source_file = $1 ORDER BY ${dataset.naturalKey.map(quote).join(', ')} LIMIT $2`,
                  [file, limit],
                )
              ).rows.map(({ source_file: _, ...row }: Record<string, unknown>) => row)
            : [];
          const rejected = (
            await client.query<{ item_index: number; stage: string; reasons: string[]; raw: unknown }>(
              'SELECT item_index, stage, reasons, raw FROM rejects WHERE source_file = $1 ORDER BY item_index LIMIT $2',
              [file, limit],
            )
          ).rows;
          const totals = {
            loaded: dataset ? await count(quote(dataset.table)) : 0,
            rejected: await count('rejects'),
          };
          if (options.json) {
            console.log(
              JSON.stringify({
                file,
                table: dataset?.table ?? null,
                ...totals,
                rows: loaded,
                rejects: rejected,
              }),
            );
            return;
          }
          console.log(
            `${file}: ${plural(totals.loaded, 'row')} loaded${dataset ? ` into ${dataset.table}` : ''}, ${plural(totals.rejected, 'row')} rejected`,
          );
          if (loaded.length) {
            console.log(`\nloaded (${loaded.length} of ${totals.loaded}):`);
            console.table(loaded);
          }
          if (rejected.length)
            console.log(
              `\nrejected (${rejected.length} of ${totals.rejected}), by record number in the file:`,
            );
          for (const reject of rejected)
            console.log(
              `  #${reject.item_index}  ${reject.stage}: ${reject.reasons.join('; ')}\n      ${JSON.stringify(reject.raw)}`,
            );
        } finally {
          await client.end().catch(() => {});
          await session.close();
        }
      },
    );
}
