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
  // openid-client and its dependencies (src/sso) are ESM-only too.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|openid-client|oauth4webapi|jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
};
/** End-to-end specs that touch storage, run a second time on PostgreSQL (project e2e-pg). */
const PG_E2E_SPECS = [
  'call-engine',
  'hotline',
  'recovery',
  'crash-kill',
  'authoring',
  'knowledge',
  'work-items',
  'quick-answers',
  'unloadable-versions',
  'qa',
  'metrics',
  'evaluation',
  'login-throttle',
  'floor',
  'session-recheck',
  'verification-locks',
  'profile-reads',
  'cti',
  'people',
  'erasure',
  'new-businesses',
  'training',
  'satisfaction',
  'campaigns',
];
module.exports = {
  // Per-project testTimeout is ignored by Jest; end-to-end tests start real servers, some twice.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', rootDir: 'src', testRegex: '.*(?<!\\.pg)\\.spec\\.ts$' },
    {
      ...common,
      displayName: 'e2e',
      rootDir: 'test',
      // End-to-end (real server, real WebSocket) and browser (real Chromium) tests share one build.
      testRegex: '.*\\.(e2e|browser)-spec\\.ts$',
      globalSetup: '<rootDir>/support/global-setup.ts',
    },
    {
      ...common,
      // The storage-touching end-to-end specs again, on PostgreSQL: a throwaway cluster for the run
      // (globalSetup/globalTeardown), one database per server (test/support/pg-database.ts), plus
      // the PostgreSQL store's own specs (*.pg.spec.ts co-located in src/).
      displayName: 'e2e-pg',
      rootDir: '.',
      testMatch: [
        '<rootDir>/src/**/*.pg.spec.ts',
        '<rootDir>/src/**/*.pg-spec.ts',
        '<rootDir>/test/e2e/*.pg-spec.ts',
        ...PG_E2E_SPECS.map((name) => `<rootDir>/test/e2e/${name}.e2e-spec.ts`),
      ],
      // Only this project's servers use PostgreSQL (npm test runs every project in one process, and
      // the cluster's URL is in process.env for all of them): test/support/pg-database.ts pgMode().
      globals: { LAIHUA_STORE: 'postgres' },
      globalSetup: '<rootDir>/test/support/global-setup-pg.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown-pg.ts',
    },
  ],
};
