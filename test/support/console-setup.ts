import { buildConsole } from '../../local/console/build-console.ts';

/** jest globalSetup of the browser tests: the console bundled once, before the workers serve it. */
export default async function setup(): Promise<void> {
  await buildConsole();
}
