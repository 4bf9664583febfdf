import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Batching } from '../../../workflow/batching.ts';
import { CONSOLE_PATH } from '../../console/serve-console.ts';
import { CliError } from '../cli-error.ts';
import { writeConnection } from '../connection-file.ts';
import { logPipelineExecutions } from '../execution-log.ts';
import { startLocalPipeline } from '../local-pipeline.ts';
import { untilSignal } from '../until-signal.ts';

/** `chute up`: the whole local cloud with the pipeline deployed, until Ctrl-C. */
export function registerUp(program: Command): void {
  program
    .command('up')
    .description(
      'Start the local cloud (S3, SQS, SNS, DynamoDB, Step Functions, EventBridge) with the pipeline deployed',
    )
    .option('--port <port>', 'the one endpoint for every service', '4566')
    .option('--data <dir>', 'where everything is kept between runs', '.chute')
    .option('--time-scale <factor>', 'multiply Wait and retry delays (0 = never wait)', '1')
    .option(
      '--batch-window <seconds>',
      'how long the pipe gathers small files into one execution (0–300)',
      String(Batching.windowSeconds),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ chute up                                  # everything on http://127.0.0.1:4566, state in .chute/
  $ chute up --port 4567 --data /tmp/scratch  # a second, throwaway local cloud
  $ chute up --batch-window 5                 # small files start within 5 s`,
    )
    .action(async (options: { port: string; data: string; timeScale: string; batchWindow: string }) => {
      const windowSeconds = Number(options.batchWindow);
      // Pipes' MaximumBatchingWindowInSeconds: an integer from 0 to 300
      // (https://docs.aws.amazon.com/eventbridge/latest/pipes-reference/API_PipeSourceSqsQueueParameters.html).
      if (!Number.isInteger(windowSeconds) || windowSeconds < 0 || windowSeconds > 300)
        throw new CliError(`--batch-window ${options.batchWindow}: a whole number of seconds from 0 to 300`);
      const started = Date.now();
      const { cloud, pipeline, close } = await startLocalPipeline({
        port: Number(options.port),
        data: options.data,
        timeScale: Number(options.timeScale),
        routing: { batching: { filesPerExecution: Batching.filesPerExecution, windowSeconds } },
      });
      // Listening before the first line is printed: whoever waits for that line may signal at once.
      const stopped = untilSignal();
      console.log(
        `Local cloud on ${cloud.url} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s, data in ${options.data})`,
      );
      console.log(`  S3, SQS, SNS      fauxqs, persisted`);
      console.log(`  DynamoDB          dynalite, persisted`);
      console.log(`  Step Functions    ${pipeline.stateMachineArn}`);
      console.log(
        `  EventBridge       s3://${pipeline.bucket}/input/<dataset>/*.{csv,json,jsonl} over ${Batching.smallFileMaxBytes / 1024} KiB starts an execution`,
      );
      console.log(
        `  Pipes             smaller files: up to ${Batching.filesPerExecution} per execution, within ${windowSeconds} s`,
      );
      console.log(`  PostgreSQL        ${pipeline.database}`);
      console.log(`                    psql '${pipeline.databaseUrl}'`);
      console.log(`  See a file's rows chute rows samples/orders.csv`);
      console.log(`  Console           ${cloud.url}${CONSOLE_PATH}`);
      console.log(
        `Try: AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url ${cloud.url} --region us-east-1 s3 cp samples/orders.csv s3://${pipeline.bucket}/input/orders/`,
      );
      logPipelineExecutions(cloud, pipeline, (line) => console.log(line));
      const forget = writeConnection(resolve(options.data), {
        endpoint: cloud.url,
        databaseUrl: pipeline.databaseUrl,
      });
      await stopped;
      forget();
      await close();
      console.log('stopped');
    });
}
