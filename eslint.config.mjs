// ESLint flat config (eslint 9). `npm run lint` runs `eslint . --max-warnings 0 && tsc --noEmit`.
//
// Besides Next's and typescript-eslint's recommended rules, this file enforces the layers of design.md §6
// with `no-restricted-imports`, one block per folder:
//   lib/         pure, isomorphic: no React, Next, Node built-ins, client-node, databases, server/ components/ app/,
//                and no clock (time is passed in).
//   components/  never imports server/.
//   server/      never imports components/ or app/.
import { builtinModules } from 'node:module';
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import tseslint from 'typescript-eslint';

const SOURCE_FILES = '**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}';
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx'];

/** Every Node built-in, bare (`fs`, `fs/promises`) and prefixed (`node:fs`, `node:test`). */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
const nodeBuiltinPaths = nodeBuiltins.map((name) => ({
  name,
  message: 'lib/ is isomorphic: Node built-ins belong in server/ or bin/.',
}));
const nodeBuiltinPattern = {
  regex: '^node:',
  message: 'lib/ is isomorphic: Node built-ins belong in server/ or bin/.',
};

/**
 * A project folder reached by a relative path made only of `./` and `../` segments (`../server/x`,
 * `../../server`), or through the `@/` alias (`@/server/x`).
 * @param {string[]} folders
 */
function folderImportPatterns(folders, message) {
  const alternatives = folders.join('|');
  return [
    { regex: `^(\\./)?(\\.\\./)+(${alternatives})(/|$)`, caseSensitive: true, message },
    { regex: `^@/(${alternatives})(/|$)`, caseSensitive: true, message },
  ];
}

const libForbiddenPackages = [
  { regex: '^react(-dom)?(/|$)', message: 'lib/ is pure: React belongs in components/ and app/.' },
  { regex: '^next(/|$)', message: 'lib/ is pure: Next.js belongs in app/ and server/.' },
  { regex: '^@kubernetes/client-node(/|$)', message: 'lib/ is pure: the Kubernetes client belongs in server/.' },
  { regex: '^(better-sqlite3|pg)(/|$)', message: 'lib/ is pure: database drivers belong in server/.' },
  ...folderImportPatterns(
    ['server', 'components', 'app', 'bin'],
    'lib/ is the bottom layer: it may not import server/, components/, app/ or bin/.',
  ),
];

/** The clock is an effect: lib/ takes `now` as an argument (style.md, habit 2). */
const clockProperties = [
  { object: 'Date', property: 'now', message: 'lib/ must not read the clock: take `now` as an argument.' },
  { object: 'performance', property: 'now', message: 'lib/ must not read the clock: take `now` as an argument.' },
];
const clockSyntax = [
  {
    selector: "NewExpression[callee.type='Identifier'][callee.name='Date'][arguments.length=0]",
    message: 'lib/ must not read the clock: `new Date()` without arguments is "now"; take `now` as an argument.',
  },
  {
    selector: "CallExpression[callee.type='Identifier'][callee.name='Date']",
    message: 'lib/ must not read the clock: `Date()` returns the current time; take `now` as an argument.',
  },
];
/** `no-restricted-imports` only sees static imports; lib/ has no use for the dynamic kinds at all. */
const dynamicImportSyntax = [
  { selector: 'ImportExpression', message: 'lib/ is pure: no dynamic import().' },
  { selector: "CallExpression[callee.type='Identifier'][callee.name='require']", message: 'lib/ is pure: no require().' },
  { selector: 'TSExternalModuleReference', message: 'lib/ is pure: no `import x = require()`.' },
];

export default defineConfig([
  globalIgnores([
    'node_modules/**',
    '.next/**',
    '.next-standalone/**',
    'dist/**',
    'data/**',
    'test-results/**',
    'playwright-report/**',
    'next-env.d.ts',
  ]),

  ...nextVitals,
  ...nextTs,
  // Already part of eslint-config-next/typescript; listed so the intent survives a change there.
  ...tseslint.configs.recommended,
  {
    // Warnings fail the build (--max-warnings 0); make the intent explicit and allow `_`-prefixed unused names.
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  // ---- Layer: lib/ (source files) ----
  {
    name: 'layers/lib',
    files: [`lib/${SOURCE_FILES}`],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: nodeBuiltinPaths, patterns: [nodeBuiltinPattern, ...libForbiddenPackages] },
      ],
      'no-restricted-properties': ['error', ...clockProperties],
      'no-restricted-syntax': ['error', ...clockSyntax, ...dynamicImportSyntax],
    },
  },
  // ---- Layer: lib/ tests. They may read the clock and Node built-ins (fixtures on disk), nothing else. ----
  {
    name: 'layers/lib-tests',
    files: TEST_FILES.map((glob) => `lib/${glob}`),
    rules: {
      'no-restricted-imports': ['error', { patterns: libForbiddenPackages }],
    },
  },

  // ---- Layer: components/ ----
  {
    name: 'layers/components',
    files: [`components/${SOURCE_FILES}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: folderImportPatterns(
            ['server'],
            'components/ may not import server/: take data as props or fetch it through an API route.',
          ),
        },
      ],
    },
  },

  // ---- Layer: server/ ----
  {
    name: 'layers/server',
    files: [`server/${SOURCE_FILES}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: folderImportPatterns(
            ['components', 'app'],
            'server/ may not import components/ or app/: the UI depends on the server, not the other way.',
          ),
        },
      ],
    },
  },
]);
