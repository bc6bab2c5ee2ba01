// ESLint for the whole tree: typescript-eslint's recommended rules (not the type-checked set, so a
// run stays cheap), React's rules of hooks, and the layers' import boundaries (docs/README.md).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Packages that hold tfjs values: the page's main thread (ui, store) may import their types only. */
const TFJS = ['@tensorflow/*'];
const TFJS_MESSAGE = 'ui and store never touch tensors: import tfjs types only (`import type`), and leave tfjs values to the worker.';

/** The layers above engine and data, as an import path reaches them from inside src/. */
const UPPER_LAYERS = '^(\\.\\./)+(worker|store|ui)(/|$)';
const UPPER_LAYERS_MESSAGE = 'engine and data run in Node and in the worker: they import nothing from worker, store or ui.';

/** `import(...)` of a module whose path matches `pattern` (no-restricted-imports sees static imports only). */
const dynamicImport = (pattern, message) => ({ selector: `ImportExpression[source.value=/${pattern}/]`, message });

/** Libraries of the page's main thread: engine and data run in Node and the worker without them. */
const PAGE_LIBRARIES = ['react', 'react-dom', 'react-dom/*', 'recharts', 'zustand', 'zustand/*'];

const boundaries = [
  {
    name: 'boundaries/ui-store-no-tfjs-values',
    files: ['src/ui/**/*.{ts,tsx}', 'src/store/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: TFJS,
              allowTypeImports: true,
              message: TFJS_MESSAGE,
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', dynamicImport('^@tensorflow\\/', TFJS_MESSAGE)],
    },
  },
  {
    name: 'boundaries/engine-data-below-worker-store-ui',
    files: ['src/engine/**/*.ts', 'src/data/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: UPPER_LAYERS,
              message: UPPER_LAYERS_MESSAGE,
            },
            {
              group: PAGE_LIBRARIES,
              message: 'engine and data run in Node and in the worker: no UI or page-state library.',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', dynamicImport(UPPER_LAYERS.replaceAll('/', '\\/'), UPPER_LAYERS_MESSAGE)],
    },
  },
];

export default defineConfig([
  globalIgnores(['dist/', 'test-results/', 'playwright-report/', 'bench-results/', 'public/', 'tests/fixtures/', 'node_modules/']),
  {
    files: ['**/*.{js,ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // tsc's noUnusedLocals and noUnusedParameters (every tsconfig) already decide this, with the
      // same `_` convention: one checker, one answer.
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  {
    // Where React runs: the page's components and the store's hooks (bench and worker have none).
    files: ['src/ui/**/*.{ts,tsx}', 'src/store/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  ...boundaries,
]);
