import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // *.webgpu.test.ts need Dawn and SwiftShader (`npm run test:webgpu`), *.wasm.test.ts the WASM
    // backend (`npm run test:wasm`), tests/twin python3 with torch (`npm run test:twin`).
    exclude: ['**/node_modules/**', 'tests/**/*.webgpu.test.ts', 'tests/**/*.wasm.test.ts', 'tests/twin/**'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs keeps one global engine per process; files must not share it.
    pool: 'forks',
  },
});
