import { fileURLToPath } from 'node:url';
import { globalSetupEmulator } from 'chute/testing';

// jest's globalSetup: the whole local cloud on a free port for every test file, with Step
// Functions Local's MockConfigFile for executions started on a `#TestCase`. (`{ cloud: false }`
// or no `cloud` starts the Step Functions emulator alone.)
export default () =>
  globalSetupEmulator({
    cloud: true,
    mockConfigPath: fileURLToPath(new URL('./pipeline-mocks.json', import.meta.url)),
  });
