import { EPOCH_KEYS } from '../src/engine/run-record';
import type { FromWorker } from '../src/worker/protocol';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * The training worker on real WebGPU in Chromium: a tiny run set up by URL, as a script or a
 * new user would, checked through the worker's own messages (recorded by wrapping the page's
 * Worker constructor; the app itself is unchanged).
 */
const TINY =
  '/?dataset=synthetic&model=conv&optimizer=esam&beta=0.6&gamma=0.5&rho=0.05&epochs=2&batch-size=16&train-size=64&test-size=32&seed=1&backend=webgpu';

type Of<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

/** Records every message the page's workers post (wrapping the Worker constructor). */
async function recordWorkerMessages(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const NativeWorker = window.Worker;
    const seen: unknown[] = [];
    (window as unknown as { __workerMessages: unknown[] }).__workerMessages = seen;
    window.Worker = class extends NativeWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.addEventListener('message', (e) => seen.push(e.data));
      }
    };
  });
}

function workerMessages(page: Page): Promise<FromWorker[]> {
  return page.evaluate(() => (window as unknown as { __workerMessages: FromWorker[] }).__workerMessages);
}

test('a tiny run completes on the webgpu backend and streams finite, leak-free epochs', async ({ page }) => {
  await recordWorkerMessages(page);
  await page.goto(TINY);
  const messages = () => workerMessages(page);

  await expect.poll(async () => (await messages()).some((m) => m.type === 'ready'), { timeout: 60_000 }).toBe(true);
  const ready = (await messages()).find((m) => m.type === 'ready') as Of<'ready'>;
  expect(ready.backend.backend).toBe('webgpu');
  await expect(page.getByText(/WebGPU/).first()).toBeVisible();

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect.poll(async () => (await messages()).some((m) => m.type === 'done'), { timeout: 170_000 }).toBe(true);

  const all = await messages();
  const done = all.find((m) => m.type === 'done') as Of<'done'>;
  expect(done.error).toBeNull();
  expect(done.status).toBe('completed');

  const started = all.find((m) => m.type === 'run-started') as Of<'run-started'>;
  expect(started.record.environment.backend).toBe('webgpu');
  expect(started.record.config.dataset.trainSize).toBe(64);

  const epochs = all.filter((m) => m.type === 'epoch') as Of<'epoch'>[];
  expect(epochs).toHaveLength(2);
  for (const { epoch } of epochs) {
    for (const key of EPOCH_KEYS) expect(Number.isFinite(epoch[key]), `${key} = ${epoch[key]}`).toBe(true);
  }
  expect(epochs[0].memory.numTensors).toBe(epochs[1].memory.numTensors);

  // Progress carries only the new step losses: 64 / 16 = 4 steps per epoch, one loss each.
  const losses = (all.filter((m) => m.type === 'progress') as Of<'progress'>[]).flatMap((m) => m.recentLosses);
  expect(losses).toHaveLength(8);
  await expect(page.getByText(/completed/i).first()).toBeVisible();
});

test('on the wasm backend a short run completes, cross-origin isolated so on the multi-threaded build', async ({ page }) => {
  await recordWorkerMessages(page);
  await page.goto(TINY.replace('backend=webgpu', 'backend=wasm').replace('epochs=2', 'epochs=1'));
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect.poll(async () => (await workerMessages(page)).some((m) => m.type === 'ready'), { timeout: 60_000 }).toBe(true);
  const ready = (await workerMessages(page)).find((m) => m.type === 'ready') as Of<'ready'>;
  expect(ready.backend.backend).toBe('wasm');
  // The preview server sends COOP/COEP, so SharedArrayBuffer exists and tfjs loads its threaded
  // build; it uses half the logical cores (between 1 and 8), one on a two-core machine.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = Math.min(8, Math.max(1, Math.floor(cores / 2)));
  expect(ready.backend.adapter).toBe(`SIMD, multi-threaded build, ${threads} thread${threads === 1 ? '' : 's'}`);

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect.poll(async () => (await workerMessages(page)).some((m) => m.type === 'done'), { timeout: 120_000 }).toBe(true);
  const done = (await workerMessages(page)).find((m) => m.type === 'done') as Of<'done'>;
  expect(done.error).toBeNull();
  expect(done.status).toBe('completed');
  const epochs = (await workerMessages(page)).filter((m) => m.type === 'epoch') as Of<'epoch'>[];
  expect(epochs).toHaveLength(1);
  for (const key of EPOCH_KEYS) expect(Number.isFinite(epochs[0].epoch[key]), key).toBe(true);
});
