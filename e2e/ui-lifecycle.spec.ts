import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const BASE = '/?dataset=synthetic&model=linear&optimizer=esam&beta=0.6&gamma=0.5&batch-size=16&train-size=64&test-size=32&seed=1';

const rows = (page: Page) => page.locator('.run-list > li');
const status = (page: Page, i: number) => rows(page).nth(i).getByTestId('run-status');
const points = async (page: Page, title: string) =>
  Number(await page.getByRole('figure', { name: title, exact: true }).getAttribute('data-points'));

/** A tiny Fashion-MNIST in the four IDX files: each class a bright bar at its own height. */
function fashionFiles(trainCount: number, testCount: number) {
  const images = (n: number) => {
    const bytes = Buffer.alloc(16 + n * 28 * 28);
    bytes.writeUInt32BE(2051, 0);
    bytes.writeUInt32BE(n, 4);
    bytes.writeUInt32BE(28, 8);
    bytes.writeUInt32BE(28, 12);
    for (let i = 0; i < n; i++) {
      const row = 2 + (i % 10) * 2;
      for (let x = 4; x < 24; x++) bytes[16 + i * 784 + row * 28 + x] = 230;
    }
    return bytes;
  };
  const labels = (n: number) => {
    const bytes = Buffer.alloc(8 + n);
    bytes.writeUInt32BE(2049, 0);
    bytes.writeUInt32BE(n, 4);
    for (let i = 0; i < n; i++) bytes[8 + i] = i % 10;
    return bytes;
  };
  const file = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/gzip', buffer: gzipSync(buffer) });
  return [
    file('train-images-idx3-ubyte.gz', images(trainCount)),
    file('train-labels-idx1-ubyte.gz', labels(trainCount)),
    file('t10k-images-idx3-ubyte.gz', images(testCount)),
    file('t10k-labels-idx1-ubyte.gz', labels(testCount)),
  ];
}

test('pause, resume, stop, cancel a queued run, and a reload mid-run leaves it interrupted', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await page.goto(`${BASE}&epochs=300`);
  const start = page.getByRole('button', { name: 'Start', exact: true });
  await start.click();
  await expect(status(page, 0)).toHaveText('running', { timeout: 60_000 });
  // A second run waits in the queue; Cancel ends it as stopped with no epochs.
  await start.click();
  await expect(status(page, 1)).toHaveText('queued');
  await rows(page)
    .nth(1)
    .getByRole('button', { name: /^Cancel/ })
    .click();
  await expect(status(page, 1)).toHaveText('stopped');

  await expect.poll(() => points(page, 'Loss'), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole('progressbar', { name: 'Training progress' })).toBeVisible();
  await expect(page.getByTestId('progress-text')).toContainText(/Epoch \d+ of 300/);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(status(page, 0)).toHaveText('paused');
  await expect(page.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('paused-1280.png') });
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(status(page, 0)).toHaveText('running');

  // The backend details show tf.memory() numbers from the epoch messages.
  await page.getByText('Backend and memory details').click();
  await expect(page.getByTestId('memory-tensors')).toHaveText(/^\d[\d,]*$/);

  // Reload while it trains: the run is kept, interrupted, with the epochs it completed.
  await page.reload();
  await expect(status(page, 0)).toHaveText('interrupted');
  expect(await points(page, 'Loss')).toBeGreaterThanOrEqual(1);
  await expect(rows(page).nth(0)).toContainText(/[1-9]\d*\/300 epochs/);

  // Stop ends a training run as stopped.
  await start.click();
  await expect(status(page, 2)).toHaveText('running', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(status(page, 2)).toHaveText('stopped', { timeout: 60_000 });

  // Delete removes a run for good.
  await rows(page)
    .nth(1)
    .getByRole('button', { name: /^Delete/ })
    .click();
  await expect(rows(page)).toHaveCount(2);
  await page.reload();
  await expect(rows(page)).toHaveCount(2);
});

test('a dataset dropped as files is read, shown, trained on and kept; a URL that cannot be read says why', async ({
  page,
  consoleGuard,
}, testInfo) => {
  test.setTimeout(240_000);
  await page.goto(`${BASE}&epochs=1`);
  await page.getByLabel('Dataset', { exact: true }).selectOption('fashion-mnist');
  await expect(page).toHaveURL(/dataset=fashion-mnist/);
  const start = page.getByRole('button', { name: 'Start', exact: true });
  await expect(start).toBeDisabled();
  await expect(page.locator('#start-blocked')).toContainText('Fashion-MNIST is not loaded');

  await page.getByLabel('Dataset files', { exact: true }).setInputFiles(fashionFiles(80, 40));
  await expect(page.locator('.availability')).toContainText('80 training and 40 test images', { timeout: 60_000 });
  await expect(page.locator('.sample-grid figcaption').first()).toHaveText(
    /T-shirt\/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot/,
  );
  await expect(start).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath('fashion-loaded.png') });
  await start.click();
  await expect(status(page, 0)).toHaveText('completed', { timeout: 120_000 });
  await expect(rows(page).nth(0)).toContainText('Fashion-MNIST (64)');

  // The parsed dataset stays in this browser across a reload.
  await page.reload();
  await expect(page.locator('.availability')).toContainText('80 training and 40 test images');
  await expect(start).toBeEnabled();

  // Nothing listens on port 9: the load fails and the page says what to do instead.
  await page.getByText('Load CIFAR-10, CIFAR-100 or Fashion-MNIST').click();
  await page.getByLabel('Or a URL').fill('http://127.0.0.1:9/cifar-10-binary.tar.gz');
  await page.getByRole('button', { name: 'Load URL' }).click();
  await expect(page.getByRole('alert')).toContainText('Could not read http://127.0.0.1:9/cifar-10-binary.tar.gz');
  await expect(page.locator('.load-error')).toContainText('drop it on the zone above');
  consoleGuard.take(/ERR_CONNECTION_REFUSED|Failed to load resource|Failed to fetch/);
  await expect(page.getByTestId('backend')).toContainText('WebGPU', { timeout: 60_000 });
  await page.screenshot({ path: testInfo.outputPath('url-refused.png') });

  // A truncated archive is refused with a message naming it; the dataset loaded before stays.
  const truncated = gzipSync(Buffer.alloc(64 * 1024, 7)).subarray(0, 300);
  await page
    .getByLabel('Dataset files', { exact: true })
    .setInputFiles({ name: 'cifar-10-binary.tar.gz', mimeType: 'application/gzip', buffer: truncated });
  await expect(page.getByRole('alert').filter({ hasText: /^Dataset not loaded: cifar-10-binary\.tar\.gz: / })).toBeVisible({
    timeout: 60_000,
  });
  await page.getByLabel('Dataset', { exact: true }).selectOption('fashion-mnist');
  await expect(page.locator('.availability')).toContainText('80 training and 40 test images');
  await expect(start).toBeEnabled();
});
