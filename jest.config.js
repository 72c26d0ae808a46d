/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type errors are caught once by `npm run typecheck`; transpiling alone keeps test start-up fast.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
    // `feed` 6 is ES modules only: Node 20.19+ requires it as it is, jest's module loader cannot.
    '/node_modules/feed/lib/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!feed/)'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
};
