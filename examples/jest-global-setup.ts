import { fileURLToPath } from 'node:url';
import { globalSetupEmulator } from 'chute/testing';

// jest's globalSetup: one emulator on a free port for every test file, with Step Functions
// Local's MockConfigFile for executions started on a `#TestCase`.
export default () =>
  globalSetupEmulator({ mockConfigPath: fileURLToPath(new URL('./pipeline-mocks.json', import.meta.url)) });
