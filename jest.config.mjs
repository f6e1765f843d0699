/** Jest in ESM mode (see shared STACK-NOTES): ts-jest transpiles only; `tsc --noEmit` type-checks. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
  // Each ESM test file leaves its module graph in the worker (native ESM, jestjs/jest#14605): a worker that ran 27 files held
  // 1.4 GB and took over Jest's 500 ms to exit at the end ("a worker process has failed to exit gracefully").
  // Recycled above 500 MB, the last heaps are 250-630 MB and exit at once; the e2e specs took 118 s, as before.
  workerIdleMemoryLimit: '500MB',
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.mjs'],
};
