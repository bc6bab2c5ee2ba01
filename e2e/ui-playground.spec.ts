import { readFile } from 'node:fs/promises';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';

// Tiny on purpose: the software WebGPU adapter is slow.
const TINY = '/?dataset=synthetic&model=linear&optimizer=esam&beta=0.6&gamma=0.5&epochs=2&batch-size=16&train-size=64&test-size=32&seed=1';

const RUN_KEYS = ['format', 'id', 'name', 'createdAt', 'status', 'error', 'config', 'environment', 'epochs', 'summary', 'warnings'];
const EPOCH_KEYS = [
  'epoch',
  'seconds',
  'imagesPerSec',
  'lr',
  'trainLoss',
  'trainAcc',
  'testLoss',
  'testAcc',
  'lossBPlus',
  'lossBMinus',
  'lossBPlusPerturbed',
  'lossBMinusPerturbed',
  'cosBPlus',
  'cosBMinus',
  'cosRandom',
  'sharpness',
];
// The cost meter's phases of the ESAM run this spec exports (SWP and SDS on: every phase).
const COST_KEYS = ['ascentForwardBackwardMs', 'rankingMs', 'descentForwardBackwardMs', 'updateMs'];

const rows = (page: Page) => page.locator('.run-list > li');
const chart = (page: Page, title: string | RegExp) => page.getByRole('figure', { name: title, exact: typeof title === 'string' });

async function shot(page: Page, testInfo: TestInfo, name: string, fullPage = false) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function points(figure: Locator): Promise<number> {
  return Number(await figure.getAttribute('data-points'));
}

/** Checks a run object against docs/run-json.md, key by key. */
function expectContractRun(run: Record<string, unknown>) {
  expect(Object.keys(run).sort()).toEqual([...RUN_KEYS].sort());
  expect(run.format).toBe('esam-playground/run@1');
  expect(typeof run.id).toBe('string');
  expect(Number.isNaN(Date.parse(run.createdAt as string))).toBe(false);
  const config = run.config as Record<string, Record<string, unknown>>;
  expect(Object.keys(config).sort()).toEqual([
    'batchSize',
    'dataset',
    'epochs',
    'lr',
    'model',
    'momentum',
    'optimizer',
    'schedule',
    'seed',
    'weightDecay',
  ]);
  expect(Object.keys(config.dataset).sort()).toEqual(['augment', 'labelNoise', 'name', 'testSize', 'trainSize']);
  expect(Object.keys(config.optimizer).sort()).toEqual(['adaptive', 'beta', 'gamma', 'name', 'rho', 'sds', 'swp']);
  expect(Object.keys(run.environment as object).sort()).toEqual(['adapter', 'agent', 'backend', 'tfjsVersion']);
  expect(Object.keys(run.summary as object).sort()).toEqual(['bestTestAcc', 'finalTestAcc', 'imagesPerSec', 'totalSeconds']);
  for (const e of run.epochs as Record<string, unknown>[]) {
    expect(Object.keys(e).sort()).toEqual([...EPOCH_KEYS, ...COST_KEYS].sort());
    for (const k of [...EPOCH_KEYS, ...COST_KEYS]) expect(typeof e[k], k).toBe('number');
    expect(e.testAcc as number).toBeGreaterThanOrEqual(0);
    expect(e.testAcc as number).toBeLessThanOrEqual(1);
  }
}

test('train, watch, export, compare two runs, keep them across a reload, refuse a bad import', async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(TINY);
  await expect(page.getByRole('heading', { level: 1, name: 'ESAM Playground' })).toBeVisible();
  await expect(page.getByTestId('backend')).toContainText('WebGPU', { timeout: 60_000 });
  // The sample grid shows the built-in set's images with their class names.
  await expect(page.locator('.sample-grid canvas').first()).toBeVisible();
  await expect(page.getByLabel('β (SWP)')).toHaveValue('0.6');
  await expect(page.getByLabel('γ (SDS)')).toHaveValue('0.5');
  await shot(page, testInfo, 'configure-1280');

  // First run: ESAM with SWP and SDS.
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(rows(page)).toHaveCount(1);
  const first = rows(page).nth(0);
  await expect(first.getByTestId('run-status')).toHaveText(/queued|running|completed/);
  await expect(first.getByTestId('run-status')).toHaveText('completed', { timeout: 240_000 });

  // The charts filled with both epochs, the diagnostics too.
  expect(await points(chart(page, 'Loss'))).toBe(2);
  expect(await points(chart(page, 'Accuracy'))).toBe(2);
  expect(await points(chart(page, 'Training loss per step'))).toBeGreaterThanOrEqual(8);
  expect(await points(chart(page, /^Fig\. 5/))).toBe(2);
  expect(await points(chart(page, /^Fig\. 6/))).toBe(2);
  expect(await points(chart(page, 'Sharpness'))).toBe(2);
  await expect(chart(page, 'Loss').locator('.recharts-line-curve').first()).toBeVisible();
  await shot(page, testInfo, 'watch-1280', true);

  // Export JSON: one run, exactly the contract's keys.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  expectContractRun(exported);
  expect(exported.status).toBe('completed');
  expect(exported.epochs).toHaveLength(2);
  expect(exported.config).toMatchObject({
    dataset: { name: 'synthetic', trainSize: 64, testSize: 32 },
    model: 'linear',
    optimizer: { name: 'esam', swp: true, beta: 0.6, sds: true, gamma: 0.5 },
    batchSize: 16,
    epochs: 2,
    seed: 1,
  });
  expect(exported.environment.backend).toBe('webgpu');

  // Second run: SWP and SDS off (ESAM's steps are then SAM's).
  await page.getByRole('checkbox', { name: /^SWP/ }).uncheck();
  await page.getByRole('checkbox', { name: /^SDS/ }).uncheck();
  await expect(page).toHaveURL(/swp=0/);
  await expect(page).toHaveURL(/sds=0/);
  await expect(page.getByLabel('β (SWP)')).toBeDisabled();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).nth(1).getByTestId('run-status')).toHaveText('completed', { timeout: 240_000 });

  // Both runs overlay in the charts and the comparison.
  const names = await rows(page)
    .locator('.run-name-input')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(names[0]).not.toBe(names[1]);
  const legend = chart(page, 'Loss').locator('.legend');
  for (const name of names) await expect(legend).toContainText(name);
  await expect(chart(page, 'Loss').locator('.recharts-line')).toHaveCount(4);
  await expect(page.locator('.summary-table tbody tr')).toHaveCount(2);
  await expect(page.locator('.summary-table')).toContainText('×');
  expect(await points(chart(page, /^Fig\. 3/))).toBe(2);
  await page.getByRole('radio', { name: 'by time' }).check({ force: true });
  expect(await points(chart(page, /by training time/))).toBe(4);
  await shot(page, testInfo, 'compare-1280', true);

  // Reload: both runs are still there, finished.
  await page.reload();
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).getByTestId('run-status')).toHaveText(['completed', 'completed']);
  expect(await points(chart(page, 'Loss'))).toBe(2);

  // A malformed import is refused with an alert naming the first bad key; nothing changes.
  const bad = {
    format: 'esam-playground/runs@1',
    runs: [{ ...exported, config: { ...exported.config, optimizer: { ...exported.config.optimizer, beta: 'high' } } }],
  };
  await page
    .getByTestId('import-input')
    .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.getByRole('alert')).toContainText('runs[0].config.optimizer.beta: expected a number');
  await expect(rows(page)).toHaveCount(2);
  await shot(page, testInfo, 'import-refused-1280');

  // Importing the exported run again adds nothing (same id, same contents: it is skipped).
  await page
    .getByTestId('import-input')
    .setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
  await expect(rows(page)).toHaveCount(2);

  // A narrow window: one column, nothing cut off.
  await page.setViewportSize({ width: 600, height: 900 });
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, testInfo, 'narrow-600-top');
  await page.getByRole('heading', { name: 'Compare' }).scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'narrow-600-compare');
  await shot(page, testInfo, 'narrow-600-full', true);
});

test('an invalid β disables Start and says why, from the address or typed', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  // From the address (see docs/url.md): ignored with a visible notice, the default stands in.
  await page.goto(TINY.replace('beta=0.6', 'beta=0'));
  const start = page.getByRole('button', { name: 'Start', exact: true });
  await expect(page.getByRole('status')).toContainText('beta=0 was ignored: β (SWP) must be in (0, 1]');
  const beta = page.getByLabel('β (SWP)');
  await expect(beta).toHaveValue('0.6');
  await expect(start).toBeEnabled();

  // Typed: explained beside the control, and Start is blocked until it is fixed.
  await beta.fill('0');
  await expect(start).toBeDisabled();
  await expect(page.locator('#start-blocked')).toContainText('β (SWP) must be in (0, 1]');
  await expect(page.locator('#setting-beta-error')).toHaveText('β (SWP) must be in (0, 1]');
  await shot(page, testInfo, 'invalid-beta');
  await beta.fill('0.6');
  await expect(start).toBeEnabled();
  await beta.fill('1.5');
  await expect(start).toBeDisabled();
  await expect(page.locator('#setting-beta-error')).toHaveText('β (SWP) must be in (0, 1]');
  await expect(page).toHaveURL(/beta=1\.5/);
  await beta.fill('abc');
  await expect(page.locator('#start-blocked')).toContainText('is not a number');
  await beta.fill('0.5');
  await expect(start).toBeEnabled();
  await expect(page).toHaveURL(/beta=0\.5/);

  // Unknown keys and values of the wrong type are ignored with a notice, never a blank page.
  await page.goto('/?dataset=imagenet&epochs=many&colour=blue&model=linear');
  await expect(page.getByRole('heading', { level: 1, name: 'ESAM Playground' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('dataset=imagenet was ignored');
  await expect(page.getByRole('status')).toContainText('Unknown setting “colour”');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('linear');
  await expect(start).toBeEnabled();
});

test('presets set the optimizer and the URL; the ablation queues the five rows of Table 3', async ({ page }, testInfo) => {
  test.setTimeout(360_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(TINY.replace('epochs=2', 'epochs=1'));
  await page.getByRole('radio', { name: 'ESAM-SDS', exact: true }).check({ force: true });
  await expect(page).toHaveURL(/optimizer=esam/);
  await expect(page).toHaveURL(/swp=0/);
  await expect(page).toHaveURL(/sds=1/);
  await page.getByRole('radio', { name: 'SAM', exact: true }).check({ force: true });
  await expect(page).toHaveURL(/optimizer=sam/);
  await expect(page.getByLabel('γ (SDS)')).toBeDisabled();
  await page.getByRole('radio', { name: 'ESAM', exact: true }).check({ force: true });

  await page.getByRole('button', { name: 'Run the ablation' }).click();
  await expect(rows(page)).toHaveCount(5);
  const names = await rows(page)
    .locator('.run-name-input')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(names).toEqual(['SGD', 'SAM', 'ESAM-SWP', 'ESAM-SDS', 'ESAM']);
  await expect(rows(page).getByTestId('run-status')).toHaveText(Array(5).fill('completed'), { timeout: 300_000 });
  await expect(page.locator('.summary-table tbody tr')).toHaveCount(5);
  await expect(page.locator('.ablation-banner')).toContainText('Table 3 for your setup');
  await expect(page.locator('.summary-table tbody tr').nth(1)).toContainText('1.00× SAM');
  await page.getByRole('heading', { name: 'Compare' }).scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'ablation-table3-1280');
});
