import type { BenchState } from '../src/bench/tasks';
import { expect, test } from './fixtures';

/**
 * The bench page (what `npm run bench` drives, and what a person opens to measure their own GPU):
 * behaviour only, on tiny settings; speeds are measured by `npm run bench`, never asserted here.
 */
const state = (page: import('@playwright/test').Page) => page.evaluate(() => (window as unknown as { __bench: BenchState }).__bench);

test('throughput of the five configurations on webgpu, as a table and as data', async ({ page }) => {
  await page.goto('/bench.html?task=throughput&backend=webgpu&model=linear&batch=8&warmup=1&steps=1&samples=2');
  await expect.poll(async () => (await state(page)).status, { timeout: 150_000 }).toBe('done');
  const { result, backend } = await state(page);
  expect(backend).toMatch(/WebGPU/);
  if (result?.task !== 'throughput') throw new Error('expected a throughput result');
  expect(result.results.map((r) => r.config)).toEqual(['sgd', 'sam', 'esam-swp', 'esam-sds', 'esam']);
  for (const r of result.results) {
    expect(r.samples).toHaveLength(2);
    expect(r.min).toBeGreaterThan(0);
    expect(r.min).toBeLessThanOrEqual(r.median);
    expect(r.median).toBeLessThanOrEqual(r.max);
  }
  expect(result.results[1].ratioToSam).toBe(1);
  await expect(page.getByRole('table')).toContainText('ESAM β=0.6 γ=0.5');
  await expect(page.getByRole('row')).toHaveCount(6);
});

test('the worker loop against the bare loop, with tensor count and GPU bytes per epoch', async ({ page }) => {
  await page.goto('/bench.html?task=overhead&backend=webgpu&model=linear&batch=8&train-size=32&epochs=3');
  await expect.poll(async () => (await state(page)).status, { timeout: 150_000 }).toBe('done');
  const { result } = await state(page);
  if (result?.task !== 'overhead') throw new Error('expected an overhead result');
  const r = result.result;
  expect(r.workerImagesPerSec).toHaveLength(3);
  expect(r.bareImagesPerSec).toHaveLength(3);
  expect(Number.isFinite(r.ratio) && r.ratio > 0).toBe(true);
  expect(new Set(r.memory.map((m) => m.numTensors)).size).toBe(1);
  expect(r.memory.every((m) => typeof m.numBytesInGPU === 'number')).toBe(true);
  await expect(page.getByText(/Worker loop ÷ bare loop/)).toBeVisible();
});

test('a bad parameter is named, and nothing runs', async ({ page }) => {
  await page.goto('/bench.html?task=throughput&backend=webgpu&samples=0');
  await expect(page.getByText('Failed: samples=0: expected an integer from 1 to 100')).toBeVisible();
  expect((await state(page)).result).toBeNull();
});

test('without a task the page offers the measurements', async ({ page }) => {
  await page.goto('/bench.html');
  await expect(page.getByRole('link', { name: /Throughput, default CNN, batch 128, WebGPU/ })).toBeVisible();
});
