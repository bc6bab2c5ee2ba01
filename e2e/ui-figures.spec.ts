import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const BASE = '/?dataset=synthetic&model=linear&optimizer=esam&beta=0.6&gamma=0.5&batch-size=16&train-size=64&test-size=32&seed=1&epochs=1';

const rows = (page: Page) => page.locator('.run-list > li');

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { download, bytes: await readFile((await download.path())!) };
}

test('a tiny β sweep queues its grid, shows progress, plots Fig. 3, and exports', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(BASE);
  const sweep = page.getByRole('region', { name: 'β and γ sweep (Fig. 3)' });
  await sweep.getByLabel('from', { exact: true }).fill('0.5');
  await sweep.getByLabel('to', { exact: true }).fill('0.6');
  await sweep.getByLabel('step', { exact: true }).fill('0.1');
  await sweep.getByRole('checkbox', { name: /as references/ }).uncheck();
  await sweep.getByRole('button', { name: 'Start sweep' }).click();

  // Each grid point is an ordinary run in the list.
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).nth(0).locator('.run-name-input')).toHaveValue('Sweep 1: β=0.5');
  await expect(rows(page).nth(1).locator('.run-name-input')).toHaveValue('Sweep 1: β=0.6');
  const card = sweep.getByLabel('Sweep 1', { exact: true });
  await expect(card.getByTestId('sweep-count')).toHaveText('2 of 2 runs finished', { timeout: 180_000 });
  await expect(card.getByRole('progressbar', { name: 'Progress of Sweep 1' })).toHaveAttribute('aria-valuenow', '100');
  const figure = card.getByRole('figure');
  await expect(figure).toHaveAttribute('data-points', '2');
  await expect(figure.locator('.recharts-scatter-symbol')).toHaveCount(2);

  const json = await downloaded(page, () => card.getByRole('button', { name: 'Export Sweep 1 as JSON' }).click());
  const exported = JSON.parse(json.bytes.toString('utf8'));
  expect(exported.format).toBe('esam-playground/sweep@1');
  expect(exported.points.map((p: { value: number }) => p.value)).toEqual([0.5, 0.6]);
  expect(
    exported.runs.map((r: { config: { optimizer: { beta: number; swp: boolean; sds: boolean } } }) => r.config.optimizer),
  ).toMatchObject([
    { beta: 0.5, swp: true, sds: false },
    { beta: 0.6, swp: true, sds: false },
  ]);

  const title = await figure.getAttribute('aria-label');
  const svg = await downloaded(page, () => figure.getByRole('button', { name: `Save ${title} as SVG` }).click());
  expect(svg.download.suggestedFilename()).toMatch(/\.svg$/);
  const text = svg.bytes.toString('utf8');
  expect(text).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(text).toContain('ESAM-SWP, β sweep');
  const png = await downloaded(page, () => figure.getByRole('button', { name: `Save ${title} as PNG` }).click());
  expect(png.download.suggestedFilename()).toMatch(/\.png$/);
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('a small loss landscape of a finished run, centred on its loss, and again after a reload', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(BASE);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(rows(page).nth(0).getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });

  const panel = page.getByRole('region', { name: 'Loss landscape (Fig. 4 and 8)' });
  await panel.getByLabel('Grid').selectOption('5');
  await panel.getByLabel('Probe set').selectOption('test');
  await panel.getByLabel('Probe images').fill('32');
  await panel
    .locator('.landscape-runs')
    .getByRole('checkbox', { name: /linear/ })
    .check();
  await panel.getByRole('button', { name: 'Compute landscape' }).click();
  const heatmaps = panel.getByRole('figure', { name: 'Loss landscape' });
  await expect(heatmaps).toHaveAttribute('data-points', '1', { timeout: 120_000 });
  await expect(heatmaps.locator('svg[data-exportable] rect.cell')).toHaveCount(25);

  const landscapes = JSON.parse(
    (await downloaded(page, () => panel.getByRole('button', { name: 'Export landscapes JSON' }).click())).bytes.toString('utf8'),
  );
  const runs = JSON.parse(
    (await downloaded(page, () => page.getByRole('button', { name: 'Export JSON', exact: true }).click())).bytes.toString('utf8'),
  );
  const run = runs.runs ? runs.runs[0] : runs;
  const [landscape] = landscapes.landscapes;
  expect(landscape.loss).toHaveLength(5);
  expect(landscape.probeCount).toBe(32);
  // The whole test split is the probe set: the centre is the run's final test loss.
  expect(Math.abs(landscape.originLoss - run.epochs.at(-1).testLoss)).toBeLessThan(1e-4 * Math.max(1, run.epochs.at(-1).testLoss));
  expect(landscape.loss[2][2]).toBeCloseTo(landscape.originLoss, 5);

  // Weights and landscapes are kept: after a reload the adversarial version goes beside the first.
  await page.reload();
  await expect(heatmaps).toHaveAttribute('data-points', '1');
  await panel.getByLabel('Directions').selectOption('adversarial');
  await panel.getByLabel('Grid').selectOption('5');
  await panel
    .locator('.landscape-runs')
    .getByRole('checkbox', { name: /linear/ })
    .check();
  await panel.getByRole('button', { name: 'Compute landscape' }).click();
  await expect(heatmaps).toHaveAttribute('data-points', '2', { timeout: 120_000 });
  await expect(heatmaps.locator('svg[data-exportable] rect.cell')).toHaveCount(50);
});
