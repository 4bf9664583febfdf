/**
 * `chute/testing`: what a jest suite needs to test its state machines against Chute. Start the
 * Step Functions emulator (or the whole local cloud) on port 0 in jest's globalSetup, stop it in
 * globalTeardown; in the tests, deploy an ASL file with its substitutions, run executions to
 * their end, and call TestState.
 */
export { deployStateMachine, readAsl, type DeployOptions } from './deploy.ts';
export { runExecution, type ExecutionResult, type RunOptions } from './run-execution.ts';
export { sfnClient, startCloud, startEmulator, type RunningEmulator } from './start.ts';
export { testState, type TestStateResult } from './test-state.ts';
export {
  connectToCloud,
  connectToEmulator,
  globalSetupEmulator,
  globalTeardownEmulator,
} from './jest-global.ts';
