/**
 * The worker's dataset provider without IndexedDB (as in some private windows): a loaded
 * dataset is listed as held in memory and can be trained on; a load can be cancelled.
 */
import { describe, expect, it } from 'vitest';
import { LoadCancelled } from '../../src/data/streams';
import { createDatasetProvider } from '../../src/worker/datasets';
import { concat, makeCifarArchive } from '../data/fixtures';

describe('dataset provider without storage', () => {
  it('keeps the dataset usable from memory and lists it as not stored', async () => {
    expect(typeof indexedDB).toBe('undefined');
    const a = await makeCifarArchive('cifar10', { batches: 1, perBatch: 3, testCount: 2 });
    const provider = createDatasetProvider();
    const file = new File([a.gz as Uint8Array<ArrayBuffer>], 'cifar-10-binary.tar.gz');
    const loaded = await provider.loadFiles([file], () => {});
    expect(loaded.notStored).toBe('this browser offers no IndexedDB storage here');
    expect(await provider.listCached()).toEqual([
      { name: 'cifar10', source: 'cifar-10-binary.tar.gz', trainCount: 3, testCount: 2, bytes: 5 * 3072, stored: false },
    ]);
    const d = await provider.get({ kind: 'cached', name: 'cifar10', source: 'cifar-10-binary.tar.gz' }, 0);
    expect(d.train.count).toBe(3);
  });

  it('an aborted load ends with LoadCancelled', async () => {
    const a = await makeCifarArchive('cifar10', { batches: 1, perBatch: 3, testCount: 2 });
    // Without its end marker and with 8 MB more, the archive takes several chunks to read.
    const file = new File([concat([a.tar.subarray(0, a.tar.length - 1024), new Uint8Array(8 << 20)]) as Uint8Array<ArrayBuffer>], 'c.tar');
    const abort = new AbortController();
    const provider = createDatasetProvider();
    const load = provider.loadFiles([file], () => abort.abort(), abort.signal);
    await expect(load).rejects.toBeInstanceOf(LoadCancelled);
  });
});

describe('dropped files larger than any real one', () => {
  it('are refused by name before they are read; stray files are not read at all', async () => {
    const provider = createDatasetProvider();
    let read = false;
    const huge = {
      name: 'data_batch_1.bin',
      size: 10_001 * 3073,
      arrayBuffer: async () => ((read = true), new ArrayBuffer(0)),
    } as unknown as File;
    await expect(provider.loadFiles([huge, new File([new Uint8Array(2)], 'test_batch.bin')], () => {})).rejects.toThrow(
      'data_batch_1.bin: is 30733073 bytes, more than a real file of this name holds (at most 30730000)',
    );
    expect(read).toBe(false);
    let strayRead = false;
    const stray = { name: 'movie.mp4', size: 4e9, arrayBuffer: async () => ((strayRead = true), new ArrayBuffer(0)) } as unknown as File;
    await expect(provider.loadFiles([stray, new File([new Uint8Array(3073)], 'test_batch.bin')], () => {})).rejects.toThrow(
      /has no CIFAR-10 training data/,
    );
    expect(strayRead).toBe(false);
  });
});
