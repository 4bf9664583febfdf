#!/usr/bin/env node
// The `chute` command. The project runs on Node 22 (TypeScript type stripping); when started by
// an older Node, it re-runs itself on the Node 22 that the `node` devDependency installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const node22 = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(node22)) {
    console.error(
      `chute needs Node.js 22 or later (this is ${process.version}); run \`npm ci\` to install it.`,
    );
    process.exit(1);
  }
  const result = spawnSync(node22, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

// fauxqs persists through node:sqlite, which Node 22 flags as experimental when it loads.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'ExperimentalWarning') console.warn(`${warning.name}: ${warning.message}`);
});

const { main } = await import('../local/cli/main.ts');
await main(process.argv);
