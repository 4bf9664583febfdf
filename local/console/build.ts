// `npm run build:console` (also run after `npm ci`): bundles the console into local/console/dist/.
import { buildConsole, consolePaths } from './build-console.ts';

const started = Date.now();
await buildConsole();
console.log(`console built in ${Date.now() - started} ms: ${consolePaths.dist}`);
