import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

// Two seeds of a tiny label-noise run: a seed group, the gallery of SDS's picks and its label-noise chart.
const GROUP =
  '/?dataset=synthetic&model=linear&optimizer=esam&beta=0.6&gamma=0.5&batch-size=16&train-size=64&test-size=32&seed=1&epochs=2&label-noise=0.5&seeds=2';

const rows = (page: Page) => page.locator('.run-list > li');
const chart = (page: Page, title: string) => page.getByRole('figure', { name: title, exact: true });

test('two seeds train as one group: mean ± std in the table, a band in the charts, SDS’s picks in a gallery', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(GROUP);
  await expect(page.getByLabel('Seeds', { exact: true })).toHaveValue('2');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).nth(0).locator('.run-name-input')).toHaveValue(/ · seed 1$/);
  await expect(rows(page).nth(1).locator('.run-name-input')).toHaveValue(/ · seed 2$/);
  for (const i of [0, 1]) await expect(rows(page).nth(i).getByTestId('run-status')).toHaveText('completed', { timeout: 200_000 });

  // One table row for the group, mean ± std.
  const table = page.locator('.summary-table tbody tr');
  await expect(table).toHaveCount(1);
  await expect(table.first()).toHaveAttribute('data-seeds', '2');
  await expect(table.first().locator('td.num').first()).toHaveText(/^\d+\.\d\d ± \d+\.\d\d%$/);
  await expect(table.first().locator('th')).toContainText('2 seeds');
  // The accuracy chart draws the group's mean with a shaded ±1 std band.
  await expect(chart(page, 'Accuracy').locator('.recharts-area-area').first()).toBeAttached();

  // The focused run's B+ of the probe batch: ⌊0.5 · 16⌋ = 8 images with labels; the label-noise shares.
  const gallery = page.getByTestId('sds-gallery');
  await expect(gallery.locator('canvas')).toHaveCount(8);
  await expect(gallery.locator('figcaption').first()).not.toBeEmpty();
  await expect(chart(page, 'Label noise in B+')).toHaveAttribute('data-points', '2');

  // Export as PyTorch gives the twin's command for the run.
  await rows(page)
    .nth(0)
    .getByRole('button', { name: /as PyTorch$/ })
    .click();
  await expect(rows(page).nth(0).getByLabel('PyTorch commands')).toContainText('scripts/reference/twin/train.py');
  await expect(rows(page).nth(0).getByLabel('PyTorch commands')).toContainText('--label-noise 0.5');

  const path = testInfo.outputPath('seeds-1280.png');
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach('seeds-1280', { path, contentType: 'image/png' });
});
