import type { SFNClient } from '@aws-sdk/client-sfn';
import { clientsFor, type AwsClients } from '../services/aws-clients.ts';
import { sfnClient, startCloud, startEmulator, type RunningEmulator } from './start.ts';

// jest runs globalSetup and the test files in different module registries (and the tests in
// worker processes): the endpoint reaches them through the environment, which workers inherit,
// and the running server reaches globalTeardown through globalThis, which the two share.
const URL_VARIABLE = 'CHUTE_STEPFUNCTIONS_URL';
const running = Symbol.for('chute.testing.running');
type WithRunning = typeof globalThis & { [running]?: RunningEmulator };

/**
 * For jest's `globalSetup`: starts the emulator (with these options, see `startEmulator`) or,
 * with `{ cloud: true }`, the whole local cloud (see `startCloud`), on port 0. Write the
 * globalSetup file as `.mjs`: Node then imports this package itself, where jest's transform
 * would load it through require(), which the local cloud's fauxqs (ESM only) refuses.
 */
export async function globalSetupEmulator(
  options:
    | (Parameters<typeof startEmulator>[0] & { cloud?: false })
    | (Parameters<typeof startCloud>[0] & { cloud: true }) = {},
): Promise<void> {
  const { cloud, ...rest } = options;
  const started = cloud ? await startCloud(rest) : await startEmulator(rest);
  (globalThis as WithRunning)[running] = started;
  process.env[URL_VARIABLE] = started.url;
}

/** For jest's `globalTeardown`: stops what `globalSetupEmulator` started. */
export async function globalTeardownEmulator(): Promise<void> {
  await (globalThis as WithRunning)[running]?.close();
  delete (globalThis as WithRunning)[running];
}

/** In a test file: SDK clients (S3, SQS, SNS, DynamoDB, SFN) for the local cloud globalSetup started. */
export function connectToCloud(): AwsClients {
  return clientsFor(endpointFromSetup());
}

/** In a test file: an SFN client for the endpoint globalSetup started. */
export function connectToEmulator(): SFNClient {
  return sfnClient(endpointFromSetup());
}

function endpointFromSetup(): string {
  const url = process.env[URL_VARIABLE];
  if (!url) throw new Error(`${URL_VARIABLE} is not set: is globalSetupEmulator in jest's globalSetup?`);
  return url;
}
