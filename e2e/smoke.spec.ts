import type { Page } from '@playwright/test';
import { expect, test, WEBGPU_VALIDATION } from './fixtures';

// Source of functions that run inside the browser (the page or a worker). They are plain
// JavaScript strings so that the same code can be evaluated in the page and shipped to a
// worker through a Blob URL.

/** Asks for a WebGPU adapter; resolves to a plain, serialisable report. */
const ADAPTER_PROBE = `async () => {
  const where = typeof window === 'undefined' ? 'worker' : 'page';
  if (!self.isSecureContext) return { where, ok: false, why: 'not a secure context' };
  if (!navigator.gpu) return { where, ok: false, why: 'navigator.gpu is missing' };
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return { where, ok: false, why: 'requestAdapter() returned null' };
  const info = adapter.info || {};
  return {
    where, ok: true,
    vendor: info.vendor || '', architecture: info.architecture || '',
    description: info.description || '', device: info.device || '',
    isFallbackAdapter: !!(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
    maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
  };
}`;

/**
 * Builds a compute pipeline with 9 storage buffers on a device with default limits (8 per
 * stage), the same mistake as tfjs's AddN of 8+ tensors, and submits work with it. Nobody
 * listens for 'uncapturederror', exactly as with tfjs, so the browser reports it on the console.
 */
const INVALID_PIPELINE = `async () => {
  const adapter = await navigator.gpu.requestAdapter();
  const device = await adapter.requestDevice();
  const n = 9;
  let code = '';
  for (let i = 0; i < n; i++) code += '@group(0) @binding(' + i + ') var<storage, read_write> b' + i + ': array<f32>;\\n';
  code += '@compute @workgroup_size(1) fn main() {\\n';
  for (let i = 1; i < n; i++) code += '  b0[0] = b0[0] + b' + i + '[0];\\n';
  code += '}\\n';
  const module = device.createShaderModule({ code, label: 'NineStorageBuffers' });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: 'NineStorageBuffers' });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.dispatchWorkgroups(1);
  pass.end();
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  return 'submitted';
}`;

/** Runs `fnSource` inside a module Web Worker created from a Blob URL and returns its result. */
async function inModuleWorker<T>(page: Page, fnSource: string): Promise<T> {
  return page.evaluate(async (src) => {
    const body = `const fn = ${src};\nself.onmessage = async () => {\n  try { self.postMessage({ value: await fn() }); }\n  catch (e) { self.postMessage({ error: String(e && e.stack || e) }); }\n};\n`;
    const url = URL.createObjectURL(new Blob([body], { type: 'text/javascript' }));
    const worker = new Worker(url, { type: 'module', name: 'e2e-probe' });
    try {
      const reply = await new Promise<{ value?: unknown; error?: string }>((resolve, reject) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(`worker failed: ${e.message}`));
        worker.postMessage('go');
      });
      if (reply.error) throw new Error(reply.error);
      return reply.value;
    } finally {
      // Give the browser a moment to flush the worker's console before it goes away.
      await new Promise((r) => setTimeout(r, 500));
      worker.terminate();
      URL.revokeObjectURL(url);
    }
  }, fnSource) as Promise<T>;
}

interface AdapterReport {
  where: string;
  ok: boolean;
  why?: string;
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
  maxStorageBuffersPerShaderStage?: number;
}

test('the built page loads with its heading and a clean console', async ({ page, consoleGuard }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'ESAM Playground' })).toBeVisible();
  await expect(page).toHaveTitle('ESAM Playground');
  // Let late async work (chunks, workers) report before judging the console.
  await page.waitForLoadState('networkidle');
  expect(consoleGuard.messages.filter((m) => m.type === 'error' || m.kind === 'pageerror')).toEqual([]);
});

test('WebGPU gives an adapter in the page and in a module worker', async ({ page }, testInfo) => {
  await page.goto('/');
  const inPage = (await page.evaluate(`(${ADAPTER_PROBE})()`)) as AdapterReport;
  const inWorker = await inModuleWorker<AdapterReport>(page, ADAPTER_PROBE);
  for (const r of [inPage, inWorker]) {
    const line =
      `WebGPU adapter (${r.where}): ` +
      (r.ok
        ? `vendor=${r.vendor} architecture=${r.architecture} description=${JSON.stringify(r.description)} ` +
          `fallback=${r.isFallbackAdapter} maxStorageBuffersPerShaderStage=${r.maxStorageBuffersPerShaderStage}`
        : `none (${r.why})`);
    console.log(line);
    testInfo.annotations.push({ type: 'webgpu-adapter', description: line });
  }
  expect(inPage, 'adapter in the page').toMatchObject({ ok: true });
  expect(inWorker, 'adapter in a module worker').toMatchObject({ ok: true });
});

test('the console guard sees WebGPU validation errors from the page and from a worker', async ({ page, consoleGuard }) => {
  await page.goto('/');
  await page.evaluate(`(${INVALID_PIPELINE})()`);
  await consoleGuard.waitFor(/exceeds the maximum/);
  await inModuleWorker<string>(page, INVALID_PIPELINE);
  const seen = await consoleGuard.waitFor(/exceeds the maximum/);
  expect(
    seen.some((m) => m.source.startsWith('worker')),
    'a message from the worker',
  ).toBe(true);
  expect(
    seen.some((m) => !m.source.startsWith('worker')),
    'a message from the page',
  ).toBe(true);
  // Claim the expected messages so that the guard does not fail this test for them.
  expect(consoleGuard.take(WEBGPU_VALIDATION).length).toBeGreaterThan(0);
});
