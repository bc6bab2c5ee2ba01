import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatasetCache, type DatasetCache } from '../../src/data/cache';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import type { ImageDataset } from '../../src/data/types';
import { firstDiff } from './fixtures';

let dbCount = 0;
let open: DatasetCache[] = [];
async function freshCache(): Promise<DatasetCache> {
  const cache = await openDatasetCache(`test-datasets-${++dbCount}`);
  open.push(cache);
  return cache;
}
afterEach(() => {
  for (const c of open) c.close();
  open = [];
});

const small = (seed: number) => makeSyntheticDataset({ seed, trainSize: 20, testSize: 10 });

function expectSame(got: ImageDataset | undefined, want: ImageDataset): void {
  expect(got).toBeDefined();
  const g = got as ImageDataset;
  expect(g.name).toBe(want.name);
  expect(g.classNames).toEqual(want.classNames);
  expect(g.mean).toEqual(want.mean);
  expect(g.train.images).toBeInstanceOf(Uint8Array);
  expect(firstDiff(g.train.images, want.train.images)).toBe(-1);
  expect(firstDiff(g.train.labels, want.train.labels)).toBe(-1);
  expect(firstDiff(g.test.images, want.test.images)).toBe(-1);
}

describe('dataset cache (IndexedDB)', () => {
  it('puts, gets, lists, deletes and clears entries keyed by name and source', async () => {
    const cache = await freshCache();
    const a = small(1);
    const b = small(2);
    const info = await cache.put('seed-1', a);
    expect(info).toMatchObject({ name: 'synthetic', source: 'seed-1', trainCount: 20, testCount: 10, classes: 10 });
    expect(info.bytes).toBe(20 * 3072 + 20 + 10 * 3072 + 10);
    await cache.put('seed-2', b);
    expectSame(await cache.get('synthetic', 'seed-1'), a);
    expectSame(await cache.get('synthetic', 'seed-2'), b);
    expect(await cache.get('cifar10', 'seed-1')).toBeUndefined();
    expect((await cache.list()).map((e) => e.source).sort()).toEqual(['seed-1', 'seed-2']);

    await cache.put('seed-1', b); // replace
    expectSame(await cache.get('synthetic', 'seed-1'), b);
    expect(await cache.list()).toHaveLength(2);

    expect(await cache.delete('synthetic', 'seed-1')).toBe(true);
    expect(await cache.delete('synthetic', 'seed-1')).toBe(false);
    expect(await cache.get('synthetic', 'seed-1')).toBeUndefined();
    expect((await cache.list()).map((e) => e.source)).toEqual(['seed-2']);
    await cache.clear();
    expect(await cache.list()).toEqual([]);
  });

  it('keeps the old entry (data and info) when a later write fails', async () => {
    const cache = await freshCache();
    const old = small(3);
    const oldInfo = await cache.put('upload.tar.gz', old);
    // A value IndexedDB cannot store: the write fails after the info record was queued.
    const broken = { ...small(4), extra: () => 1 } as unknown as ImageDataset;
    await expect(cache.put('upload.tar.gz', broken)).rejects.toThrow(
      /^could not cache dataset synthetic from upload\.tar\.gz \(DataCloneError/,
    );
    expectSame(await cache.get('synthetic', 'upload.tar.gz'), old);
    expect(await cache.list()).toEqual([oldInfo]);
    // The cache still works afterwards.
    await cache.put('other', small(5));
    expect(await cache.list()).toHaveLength(2);
  });

  it('persists across connections', async () => {
    const first = await openDatasetCache('test-datasets-persist');
    await first.put('x', small(6));
    first.close();
    const second = await freshCache().then(() => openDatasetCache('test-datasets-persist'));
    open.push(second);
    expectSame(await second.get('synthetic', 'x'), small(6));
  });
});
