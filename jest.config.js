/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 60000,
  // Integration suites start their own redis-server processes on free ports; two workers keep
  // the 2-core machine responsive.
  maxWorkers: 2,
  snapshotFormat: { escapeString: true, printBasicPrototype: true },
};
