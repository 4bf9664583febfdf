import type { Config } from 'jest';

// Every project runs TypeScript through @swc/jest as native ES modules (Node's
// --experimental-vm-modules, see the `jest` npm script); `tsc --noEmit` type-checks separately.
const swc: NonNullable<Config['transform']> = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
      module: { type: 'es6' },
    },
  ],
};

const project = (name: string, extra: Partial<Config> = {}): Config => ({
  displayName: name,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: swc,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  ...extra,
});

const config: Config = {
  projects: [
    project('unit'),
    project('conformance'),
    project('api'),
    project('e2e', {
      globalSetup: '<rootDir>/test/support/database-setup.ts',
      globalTeardown: '<rootDir>/test/support/database-teardown.ts',
    }),
    project('infra'),
    // A user's tests of the pipeline through `chute/testing`, run so the examples cannot rot.
    project('examples', {
      testMatch: ['<rootDir>/examples/**/*.test.ts'],
      globalSetup: '<rootDir>/examples/jest-global-setup.mjs',
      globalTeardown: '<rootDir>/examples/jest-global-teardown.mjs',
    }),
    // Debian's chromium driven by playwright-core against the console; the bundle is built once.
    project('browser', { globalSetup: '<rootDir>/test/support/console-setup.ts' }),
  ],
};

export default config;
