// `npm run bench:engine`: state transitions per second of our interpreter against
// aws-local-stepfunctions on the same definition (an inline Map of 10,000 items through
// Choice → Pass → Pass), in the same run; then the heap kept by 1,000 finished executions.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StateMachine } from 'aws-local-stepfunctions';
import { createStepFunctionsApi } from '../local/api/server.ts';
import { systemClock } from '../local/engine/clock.ts';
import { compileDefinition } from '../local/engine/compile/compile-machine.ts';
import { parseDefinition } from '../local/engine/definition/parse-definition.ts';
import type { HistoryEvent } from '../local/engine/execution-types.ts';
import { runExecution } from '../local/engine/execution.ts';
import { machineLine, table } from './support/format.ts';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const definition = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 40,
      ItemProcessor: {
        StartAt: 'Route',
        States: {
          Route: {
            Type: 'Choice',
            Choices: [{ Variable: '$.n', NumericGreaterThanEquals: 5000, Next: 'Big' }],
            Default: 'Small',
          },
          Big: { Type: 'Pass', Parameters: { 'n.$': '$.n', size: 'big' }, Next: 'Done' },
          Small: { Type: 'Pass', Parameters: { 'n.$': '$.n', size: 'small' }, Next: 'Done' },
          Done: { Type: 'Pass', End: true },
        },
      },
      End: true,
    },
  },
};
const input = { items: Array.from({ length: ITEMS }, (_, n) => ({ n })) };
// Per item: Choice, one Pass, Done; plus the Map state itself.
const transitions = ITEMS * 3 + 1;

// Both engines take their machine ready-made: ours compiled, theirs constructed, outside the timing.
const compiled = compileDefinition(parseDefinition(JSON.stringify(definition)));
const theirMachine = new StateMachine(definition as never);

async function ours(): Promise<number> {
  const events: HistoryEvent[] = [];
  const start = performance.now();
  const result = await runExecution(compiled, input, {
    context: {
      executionArn: 'arn:aws:states:us-east-1:0:execution:bench:1',
      executionName: '1',
      stateMachineArn: 'arn:aws:states:us-east-1:0:stateMachine:bench',
      stateMachineName: 'bench',
      roleArn: 'arn:aws:iam::0:role/bench',
      startTime: new Date().toISOString(),
      redriveCount: 0,
    },
    taskRunner: { run: () => Promise.reject(new Error('no tasks')) },
    clock: systemClock(0),
    onEvent: (event) => events.push(event),
    signal: new AbortController().signal,
    // 10,000 inline iterations write ~100,000 events: far past AWS's 25,000, lifted for the benchmark.
    historyLimit: Infinity,
  });
  if (result.status !== 'SUCCEEDED' || (result.output as unknown[]).length !== ITEMS)
    throw new Error(`ours: ${JSON.stringify(result).slice(0, 200)}`);
  return (performance.now() - start) / 1000;
}

async function theirs(): Promise<number> {
  const start = performance.now();
  const output = (await theirMachine.run(input).result) as unknown[];
  if (output.length !== ITEMS) throw new Error('aws-local-stepfunctions: wrong output');
  return (performance.now() - start) / 1000;
}

async function finishedExecutionsHeap(count: number): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'chute-bench-sfn-'));
  const gc = (globalThis as { gc?: () => void }).gc;
  const api = await createStepFunctionsApi({
    dataDir,
    taskRunner: { run: () => Promise.reject(new Error('none')) },
    clock: systemClock(0),
  });
  const machine = {
    arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:small',
    name: 'small',
    roleArn: 'r',
    type: 'STANDARD' as const,
    definition: JSON.stringify({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: { ok: true }, Next: 'Q' }, Q: { Type: 'Pass', End: true } },
    }),
  };
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) {
    const started = await api.services.executions.start({
      machine,
      input: JSON.stringify({ i, payload: 'x'.repeat(200) }),
    });
    await api.services.executions.wait(started.executionArn);
  }
  gc?.();
  const after = process.memoryUsage().heapUsed;
  await api.close();
  await rm(dataDir, { recursive: true, force: true });
  return after - before;
}

// The heap first, before the big runs leave garbage behind; then warm both engines up once (JIT)
// and take the median of five interleaved runs each.
const heap = await finishedExecutionsHeap(1000);
await ours();
await theirs();
// Interleaved, so neither engine always runs on the other's garbage.
const oursRuns: number[] = [];
const theirsRuns: number[] = [];
const RUNS = 5;
for (let i = 0; i < RUNS; i++) {
  oursRuns.push(await ours());
  theirsRuns.push(await theirs());
}
const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
const oursSeconds = median(oursRuns);
const theirsSeconds = median(theirsRuns);
const rateOf = (s: number) => Math.round(transitions / s);
console.log(
  `bench:engine — ${machineLine()}; inline Map of ${ITEMS} items, Choice → Pass → Pass, median of ${RUNS} interleaved runs`,
);
console.log(
  table(
    ['engine', 'seconds', 'transitions/s', 'vs aws-local-stepfunctions'],
    [
      [
        'chute (local/engine, with history)',
        oursSeconds.toFixed(3),
        rateOf(oursSeconds),
        `${(theirsSeconds / oursSeconds).toFixed(2)}×`,
      ],
      ['aws-local-stepfunctions 3.0.0', theirsSeconds.toFixed(3), rateOf(theirsSeconds), '1.00×'],
    ],
  ),
);
console.log(
  `1,000 finished executions kept by the API: ${(heap / 2 ** 20).toFixed(1)} MiB of heap (histories on disk)${(globalThis as { gc?: unknown }).gc ? '' : ' — run with --expose-gc for a precise figure'}`,
);
