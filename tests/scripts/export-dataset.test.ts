/** `npm run export:dataset`: the files hold exactly the set `npm run train` trains on. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../scripts/cli/args';
import { loadRunDataset } from '../../scripts/cli/data';
import { main, parseExportArgs } from '../../scripts/export-dataset';
import { DATASET_EXPORT_FORMAT, MANIFEST_FILE, type DatasetManifest } from '../../scripts/export/dataset-files';
import { defaultRunConfig } from '../../src/engine/defaults';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'export-dataset-'));
  dirs.push(d);
  return d;
}

describe('export:dataset', () => {
  it('writes the synthetic set of --seed byte for byte, with its manifest', async () => {
    const out = join(await tempDir(), 'ds');
    const err: string[] = [];
    expect(await main(['--seed', '7', '--out', out], { write: (t: string) => err.push(t) })).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8')) as DatasetManifest;
    const config = defaultRunConfig();
    config.seed = 7;
    const expected = await loadRunDataset(config, null);
    expect(manifest).toMatchObject({
      format: DATASET_EXPORT_FORMAT,
      name: 'synthetic',
      seed: 7,
      classNames: expected.classNames,
      height: 32,
      width: 32,
      channels: 3,
      layout: 'NHWC',
      mean: expected.mean,
      std: expected.std,
      train: { count: 5000, images: 'train-images.u8', labels: 'train-labels.u8' },
      test: { count: 1000, images: 'test-images.u8', labels: 'test-labels.u8' },
    });
    for (const which of ['train', 'test'] as const) {
      const images = new Uint8Array(await readFile(join(out, manifest[which].images)));
      const labels = new Uint8Array(await readFile(join(out, manifest[which].labels)));
      expect(images.length).toBe(manifest[which].count * 32 * 32 * 3);
      expect(Buffer.compare(images, expected[which].images)).toBe(0);
      expect(Buffer.compare(labels, expected[which].labels)).toBe(0);
    }
    expect(err.join('')).toContain('5000 train + 1000 test');
  });

  it('another seed gives another set', async () => {
    const root = await tempDir();
    const sink = { write: () => true };
    await main(['--seed', '1', '--out', join(root, 'a')], sink);
    await main(['--seed', '2', '--out', join(root, 'b')], sink);
    const a = await readFile(join(root, 'a', 'train-images.u8'));
    const b = await readFile(join(root, 'b', 'train-images.u8'));
    expect(Buffer.compare(a, b)).not.toBe(0);
  });

  it('refuses bad flags with exit code 2 and a missing data file with 3', async () => {
    const root = await tempDir();
    const err: string[] = [];
    const sink = { write: (t: string) => err.push(t) };
    expect(await main(['--seed', '1'], sink)).toBe(2);
    expect(err.join('')).toContain('--out DIR is required');
    expect(await main(['--dataset', 'cifar10', '--data', join(root, 'nothing-here'), '--out', join(root, 'x')], sink)).toBe(3);
    expect(err.join('')).toContain('no such file or directory');
    expect(() => parseExportArgs(['--dataset', 'cifar10', '--out', 'x'])).toThrow(UsageError);
    expect(() => parseExportArgs(['--data', 'x', '--out', 'x'])).toThrow('--data is not used with --dataset synthetic');
    expect(() => parseExportArgs(['--seed', '1.5', '--out', 'x'])).toThrow('--seed must be an integer');
    expect(() => parseExportArgs(['--bogus', '1'])).toThrow('unknown option --bogus');
    expect(parseExportArgs(['--out=d', '--seed=-3', '--train-size', '6000'])).toEqual({
      dataset: 'synthetic',
      data: null,
      seed: -3,
      trainSize: 6000,
      testSize: 0,
      out: 'd',
    });
  });
});
