/**
 * The CLI's side of hostile input: sizes, seeds and epochs outside the shared bounds are usage
 * errors before anything is generated or read; --out is tried before training; files linked
 * into a --data folder are read; a .bin file larger than any real one is refused unread.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunDataset } from '../../scripts/cli/data';
import { parseTrainArgs } from '../../scripts/cli/args';
import { EXIT, main } from '../../scripts/train';
import { CONFIG_BOUNDS } from '../../src/engine/config/bounds';
import { defaultRunConfig } from '../../src/engine/defaults';
import { defaultSettings, settingErrors } from '../../src/store/settings';
import { cifarBatch } from '../data/fixtures';

async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(argv, { stderr: { write: (t: string) => (stderr += t) }, isTTY: false }, { write: () => true });
  return { code, stderr };
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'train-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CLI bounds are the page’s bounds', () => {
  it('--test-size 1e9 is a usage error (exit 2) before any image is generated', async () => {
    const { code, stderr } = await run(['--test-size', '1e9']);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe(
      `train: --test-size: testSize must be an integer ≥ 0 (0 = all) and at most ${CONFIG_BOUNDS.maxImages}, got 1000000000\n`,
    );
    expect((await run(['--train-size', String(CONFIG_BOUNDS.maxImages + 1)])).code).toBe(EXIT.usage);
    expect((await run(['--batch-size', '1e7'])).code).toBe(EXIT.usage);
  });

  it('seeds: 2^32 − 1 is the largest on both surfaces; 2^32 and −1 are refused on both', async () => {
    const pageOk = (seed: number) => settingErrors({ ...defaultSettings(), seed }).seed === undefined;
    expect(pageOk(2 ** 32 - 1)).toBe(true);
    expect(pageOk(2 ** 32)).toBe(false);
    expect(pageOk(-1)).toBe(false);
    expect((await run(['--seed', String(2 ** 32)])).stderr).toMatch(/^train: --seed: seed must be an integer ≥ 0 and at most 4294967295/);
    expect((await run(['--seed', '-1'])).code).toBe(EXIT.usage);
    expect(parseTrainArgs(['--seed', String(2 ** 32 - 1)]).config.seed).toBe(2 ** 32 - 1);
  });

  it('epochs above the page’s cap are refused by the CLI too', async () => {
    const pageOk = (epochs: number) => settingErrors({ ...defaultSettings(), epochs }).epochs === undefined;
    expect(pageOk(CONFIG_BOUNDS.maxEpochs)).toBe(true);
    expect(pageOk(CONFIG_BOUNDS.maxEpochs + 1)).toBe(false);
    const { code, stderr } = await run(['--epochs', String(CONFIG_BOUNDS.maxEpochs + 1)]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(/^train: --epochs: epochs must be an integer ≥ 1 and at most 10000, got 10001/);
  });

  it('--out in a folder that takes no files is a usage error before training', async () => {
    const { code, stderr } = await run(['--epochs', '1', '--out', '/proc/esam-run.json']);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(/^train: --out \/proc\/esam-run\.json: cannot write in the folder \/proc \(/);
  });
});

describe('--data folders', () => {
  it('reads files linked into the folder, and reports a dangling link by name', async () => {
    const real = join(dir, 'real');
    const linked = join(dir, 'linked');
    await mkdir(real);
    await mkdir(linked);
    for (const [name, count, seed] of [
      ['data_batch_1.bin', 4, 1],
      ['test_batch.bin', 2, 2],
    ] as const) {
      await writeFile(join(real, name), cifarBatch('cifar10', count, seed).bin);
      await symlink(join(real, name), join(linked, name));
    }
    const config = { ...defaultRunConfig('cifar10') };
    const d = await loadRunDataset(config, linked);
    expect([d.train.count, d.test.count]).toEqual([4, 2]);
    // Training on it says what was found, on stderr, and still completes.
    const { code, stderr } = await run([
      '--dataset',
      'cifar10',
      '--data',
      linked,
      '--model',
      'linear',
      '--epochs',
      '1',
      '--batch-size',
      '2',
    ]);
    expect(code).toBe(EXIT.completed);
    expect(stderr).toContain(`note: ${linked}`);
    expect(stderr).toContain('4 training and 2 test images; the official CIFAR-10 has 50000 and 10000.');
    await symlink(join(real, 'missing.bin'), join(linked, 'data_batch_2.bin'));
    await expect(loadRunDataset(config, linked)).rejects.toThrow(`${join(linked, 'data_batch_2.bin')}: no such file or directory`);
  });

  it('a .bin file larger than any real one of its name is refused before it is read', async () => {
    const folder = join(dir, 'big');
    await mkdir(folder);
    await writeFile(join(folder, 'test_batch.bin'), cifarBatch('cifar10', 2, 2).bin);
    await writeFile(join(folder, 'data_batch_1.bin'), '');
    await truncate(join(folder, 'data_batch_1.bin'), 10_001 * 3073); // sparse: no disk used
    await expect(loadRunDataset(defaultRunConfig('cifar10'), folder)).rejects.toThrow(
      `${join(folder, 'data_batch_1.bin')}: is 30733073 bytes, more than a real file of this name holds (at most 30730000)`,
    );
  });
});
