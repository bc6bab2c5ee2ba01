/**
 * Setup file of the webgpu test run (vitest.webgpu.config.ts). Runs before each test file's own
 * imports, so Dawn's `navigator.gpu` exists before anything loads the tfjs WebGPU backend, and
 * fails every test after which the GPU device reported an error (an invalid pipeline gives
 * silently wrong numbers, so it must never pass unnoticed).
 */
import { afterEach } from 'vitest';
import { expectNoWebgpuValidationErrors, installNodeWebgpu, requestedBackend } from './backend';

if (requestedBackend() === 'webgpu') {
  await installNodeWebgpu();
}

afterEach(async () => {
  await expectNoWebgpuValidationErrors();
});
