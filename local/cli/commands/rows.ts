import { resolve } from 'node:path';
import { basename } from 'node:path';
import type { Command } from 'commander';
import pg from 'pg';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { clientsFor, type AwsClients } from '../../services/aws-clients.ts';
import { readFileRows } from '../../services/file-rows.ts';
import { ledgerEntriesOf } from '../../services/ledger-entries.ts';
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
  // Reading rows starts nothing: no upload rules, no pipe taking messages off the buffer queue.
  const started = await startLocalPipeline({ port: 0, data, routing: { startOnUpload: false } });
  return { clients: started.cloud.clients, databaseUrl: started.pipeline.databaseUrl, close: started.close };
}

/** The ledger's id of the file an argument names: an id, an execution ARN or a local file. */
async function fileIdOf(argument: string, session: Session, dataset: string | undefined): Promise<string> {
  if (/^s3:\/\/[^/]+\/.+#.+$/.test(argument)) return argument;
  if (argument.startsWith('arn:aws:states:')) {
    const [entry] = await ledgerEntriesOf(session.clients.dynamodb, ResourceNames.ledgerTable, argument);
    const id = entry?.pk;
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
          const limit = Math.max(0, Number(options.limit) || 0);
          await client.connect();
          const read = await readFileRows(client, file, limit);
          if (options.json) {
            const { table, loaded, rejected, rows, rejects } = read;
            console.log(JSON.stringify({ file, table, loaded, rejected, rows, rejects }));
            return;
          }
          console.log(
            `${file}: ${plural(read.loaded, 'row')} loaded${read.table ? ` into ${read.table}` : ''}, ${plural(read.rejected, 'row')} rejected`,
          );
          if (read.rows.length) {
            console.log(`\nloaded (${read.rows.length} of ${read.loaded}):`);
            console.table(read.rows);
          }
          if (read.rejects.length)
            console.log(
              `\nrejected (${read.rejects.length} of ${read.rejected}), by record number in the file:`,
            );
          for (const reject of read.rejects)
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
