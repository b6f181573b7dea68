/** Types are checked once by `npm run typecheck`; jest only transpiles. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // A limit that only catches hangs: every wait ends on the event it awaits (waitFor), never on a
  // guess of how fast the machine is.
  testTimeout: 300_000,
  setupFiles: [
    '<rootDir>/test/support/node-version-warning.ts',
    '<rootDir>/test/support/quiet-function-logs.ts',
  ],
};
