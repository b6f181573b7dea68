/** Types are checked once by `npm run typecheck`; jest only transpiles. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
  setupFiles: [
    '<rootDir>/test/support/node-version-warning.ts',
    '<rootDir>/test/support/quiet-function-logs.ts',
  ],
};
