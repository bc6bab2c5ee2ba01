import { defineConfig } from 'vitest/config';

// Engine tests again, on tfjs's WebGPU backend in Node (Dawn from the npm package `webgpu`,
// Chromium's SwiftShader as the Vulkan driver). Run it through `npm run test:webgpu`, which
// sets LD_LIBRARY_PATH, VK_ICD_FILENAMES and TFJS_BACKEND=webgpu before Node starts.
// Files named *.webgpu.test.ts run only here; the default run (vitest.config.ts) skips them.
export default defineConfig({
  test: {
    include: ['tests/engine/**/*.test.ts', 'tests/**/*.webgpu.test.ts'],
    environment: 'node',
    setupFiles: ['tests/support/webgpu-setup.ts'],
    passWithNoTests: true,
    // Software WebGPU compiles every shader on the CPU: slow, but it must not time out.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // tfjs keeps one global engine per process, and Dawn is a native module: one process per file.
    pool: 'forks',
    env: { TFJS_BACKEND: 'webgpu' },
  },
});
