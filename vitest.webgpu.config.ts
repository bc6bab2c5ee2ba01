import { defineConfig } from 'vitest/config';

// Engine tests again, on tfjs's WebGPU backend in Node (Dawn from the npm package `webgpu`,
// Chromium's SwiftShader as the Vulkan driver). `npm run test:webgpu` runs it.
// Files named *.webgpu.test.ts run only here; the default run (vitest.config.ts) skips them.
// The test processes are forked from this one, so setting the variables here (when unset) also
// makes a plain `npx vitest run --config vitest.webgpu.config.ts` work: the dynamic linker and
// the Vulkan loader of each fork read them when it starts.
const chromiumLibs = '/usr/lib/chromium';
const libPath = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
if (!libPath.includes(chromiumLibs)) process.env.LD_LIBRARY_PATH = [chromiumLibs, ...libPath].join(':');
process.env.VK_ICD_FILENAMES ||= `${chromiumLibs}/vk_swiftshader_icd.json`;
process.env.TFJS_BACKEND = 'webgpu';

export default defineConfig({
  test: {
    include: ['tests/engine/**/*.test.ts', 'tests/**/*.webgpu.test.ts'],
    // *.wasm.test.ts are for the WASM run (vitest.wasm.config.ts). The SAM family's rule-logic
    // tests and the λ_max runner test do not depend on the backend and take many minutes on
    // SwiftShader; the family's fixtures and leaks, and λ_max's own maths, do run here.
    exclude: ['**/node_modules/**', 'tests/**/*.wasm.test.ts', 'tests/engine/family-rules.test.ts', 'tests/engine/runner-hessian.test.ts'],
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
