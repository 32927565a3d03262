// Lint: typescript-eslint's recommended rules, no import circles, and the layers of src/
// (docs/ARCHITECTURE.md): a folder imports only from its own layer or the ones below it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** src/ from the bottom up; a folder may import from its own layer and every layer below it. */
const LAYERS = [
  ['common', 'config'],
  ['auth', 'observability', 'backend', 'people'],
  ['flows', 'decision-log'],
  ['cluster'],
  ['calls'],
  ['simulation', 'qa', 'floor', 'customers', 'health', 'anchoring'],
  ['authoring', 'metrics'],
  ['end-of-call', 'erasure'],
  ['realtime', 'web-app'],
  ['cti'],
  ['database'],
];
const higherThan = (index) => LAYERS.slice(index + 1).flat();
const layerZones = LAYERS.flatMap((folders, index) =>
  folders.map((folder) => ({
    target: `./src/${folder}`,
    from: [...higherThan(index).map((f) => `./src/${f}`), './src/testing', './src/app.module.ts', './src/main.ts'],
    message: `src/${folder} sits below these folders (eslint.config.mjs LAYERS): depend downwards only.`,
  })),
);
const boundaryZones = [
  // The pure step code: the determinism boundary is a folder boundary.
  {
    target: './src/calls/step',
    from: './src/calls',
    except: ['./step'],
    message: 'calls/step is pure: it knows no engine, views or Nest.',
  },
  // The browser compiles against the shared wire types only.
  { target: './web/src', from: './src', message: 'web/ imports the server only through protocol/.' },
  { target: './protocol', from: ['./src', './web'], message: 'protocol/ is the bottom: types only.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'web/dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  importX.flatConfigs.typescript,
  {
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.check.json', 'web/tsconfig.json'], noWarnOnMultipleProjects: true })],
    },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...boundaryZones] }],
      // The server logs through pino (common/logger.ts); a console line is a mistake or a CLI's output.
      'no-console': 'error',
      'import-x/no-duplicates': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/calls/step/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.pg-spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@nestjs/*', 'typeorm', 'better-sqlite3', 'pg'], message: 'calls/step is pure.' }] }],
    },
  },
  { files: ['web/src/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  {
    // Specs and test support may reach across layers (a spec of a low layer uses src/testing or the
    // simulator) and read loosely typed frames; production code may not.
    files: ['**/*.spec.ts', '**/*.pg-spec.ts', 'test/**/*.ts', 'src/testing/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
    rules: { 'import-x/no-restricted-paths': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  // Benches, the golden-call recorder and the server's command-line tools (*.cli.ts): their console is their output.
  { files: ['src/**/*.cli.ts'], rules: { 'no-console': 'off' } },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { sourceType: 'module' }, rules: { 'no-console': 'off' } },
  { files: ['jest.config.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
