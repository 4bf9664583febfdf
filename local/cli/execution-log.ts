import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Batching } from '../../workflow/batching.ts';
import { fileUploadedPattern } from '../../workflow/event-pattern.ts';
import type { LocalCloud } from '../services/cloud.ts';
import type { DeployedPipeline } from '../stack.ts';
import { fileOf } from './execution-file.ts';
import { plural } from './plural.ts';

interface StatusChange {
  detail: {
    executionArn: string;
    status: string;
    startDate: number;
    stopDate: number | null;
    input: string | null;
    error: string | null;
    cause: string | null;
  };
}

/**
 * What `chute up` prints while it runs: a line when an upload starts the pipeline and a line when
 * each of its executions ends (file, status, rows loaded and rejected from the ledger, duration;
 * for a file the ledger already had, which execution loaded it). Listens on the local EventBridge
 * like any other rule.
 */
export function logPipelineExecutions(
  cloud: LocalCloud,
  pipeline: DeployedPipeline,
  print: (line: string) => void,
): void {
  const time = () => new Date().toISOString().slice(11, 19);
  cloud.bus.putRule({
    name: 'chute-up-log-uploads',
    pattern: fileUploadedPattern(pipeline.bucket),
    target: async (event) => {
      const { detail } = event as { detail: { object: { key: string; size: number } } };
      const queued = pipeline.batching && detail.object.size <= Batching.smallFileMaxBytes;
      const next = queued ? 'queued for the next batch' : 'starting';
      print(`${time()} ${detail.object.key}: uploaded (${detail.object.size} bytes), ${next}`);
    },
  });
  cloud.bus.putRule({
    name: 'chute-up-log-executions',
    pattern: {
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { stateMachineArn: [pipeline.stateMachineArn] },
    },
    target: async (event) => {
      const { detail } = event as StatusChange;
      if (detail.status === 'RUNNING') return;
      const file = fileOf(detail.input);
      const seconds = detail.stopDate ? ((detail.stopDate - detail.startDate) / 1000).toFixed(1) : '?';
      const { Item } = file
        ? await cloud.clients.dynamodb.send(
            new GetItemCommand({ TableName: pipeline.ledgerTable, Key: { pk: { S: file.id } } }),
          )
        : { Item: undefined };
      const name = file?.key ?? detail.executionArn;
      const claimedBy = Item?.executionArn?.S;
      if (claimedBy && claimedBy !== detail.executionArn) {
        print(
          `${time()} ${name}: already loaded on ${Item?.startedAt?.S ?? '?'} by ${claimedBy} — not run again`,
        );
        return;
      }
      const counts = Item?.loaded
        ? `, ${plural(Number(Item.loaded.N), 'row')} loaded, ${plural(Number(Item.rejected?.N ?? 0), 'row')} rejected`
        : '';
      const error = detail.error ? ` — ${detail.error}: ${(detail.cause ?? '').slice(0, 300)}` : '';
      print(`${time()} ${name}: ${detail.status}${counts} in ${seconds} s${error}  (${detail.executionArn})`);
    },
  });
}
