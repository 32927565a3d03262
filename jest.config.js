// Nest 12 ships ESM; SWC compiles it (and our TS) to CommonJS for Jest on Node 20.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|j)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
};
module.exports = {
  // Per-project testTimeout is ignored by Jest; end-to-end tests start real servers, some twice.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', rootDir: 'src', testRegex: '.*\\.spec\\.ts$' },
    {
      ...common,
      displayName: 'e2e',
      rootDir: 'test',
      // End-to-end (real server, real WebSocket) and browser (real Chromium) tests share one build.
      testRegex: '.*\\.(e2e|browser)-spec\\.ts$',
      globalSetup: '<rootDir>/support/global-setup.ts',
    },
  ],
};
