import { defineConfig } from 'vitest/config';

// The engine tests that matter for a backend, again on tfjs's WASM backend (the CLI's default and
// the page's fallback without WebGPU/WebGL): golden vectors (the family's too), the step, leaks,
// the runner, and the WASM kernels themselves. `npm run test:wasm` runs it; files named
// *.wasm.test.ts run only here.
process.env.TFJS_BACKEND = 'wasm';

export default defineConfig({
  test: {
    include: [
      'tests/engine/golden.test.ts',
      'tests/engine/golden-family.test.ts',
      'tests/engine/family-leaks.test.ts',
      'tests/engine/step.test.ts',
      'tests/engine/leaks.test.ts',
      'tests/engine/runner.test.ts',
      'tests/engine/batchnorm.test.ts',
      'tests/engine/runner-linearity.test.ts',
      'tests/engine/runner-picks.test.ts',
      'tests/**/*.wasm.test.ts',
    ],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // tfjs keeps one global engine per process: one process per file.
    pool: 'forks',
    env: { TFJS_BACKEND: 'wasm' },
  },
});
